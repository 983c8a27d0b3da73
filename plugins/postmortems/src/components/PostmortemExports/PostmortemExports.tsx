import { InfoCard, Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  CircularProgress,
  makeStyles,
  Typography,
} from '@material-ui/core';
import PublishIcon from '@material-ui/icons/Publish';
import Alert from '@material-ui/lab/Alert';
import Skeleton from '@material-ui/lab/Skeleton';
import type {
  ExportTarget,
  PostmortemExportRecord,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { ExportFormat, postmortemsApiRef } from '../../api';
import { formatDateTime } from '../../domain/time';
import { ExportButtons } from '../ExportButtons';

const useStyles = makeStyles(theme => ({
  targets: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  target: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
  },
  button: { minWidth: 220 },
  error: { flexBasis: '100%' },
}));

/** Markdown and JSON are always served; other files only when configured. */
const ALWAYS: ExportFormat[] = ['markdown', 'json'];

function downloadFormats(targets: ExportTarget[]): ExportFormat[] {
  const configured = targets
    .filter(t => t.kind === 'file')
    .map(t => t.type as ExportFormat);
  return [...ALWAYS, ...configured.filter(f => !ALWAYS.includes(f))];
}

/** One page target: export (or update) it, then link to the page. */
const PageExport = ({
  incidentId,
  target,
  initial,
  currentVersion,
}: {
  incidentId: string;
  target: ExportTarget;
  initial?: PostmortemExportRecord;
  currentVersion: number;
}) => {
  const classes = useStyles();
  const api = useApi(postmortemsApiRef);
  const [record, setRecord] = useState(initial);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<Error>();

  const run = async () => {
    setRunning(true);
    setError(undefined);
    try {
      setRecord(await api.exportToTarget(incidentId, target.id));
    } catch (e) {
      setError(e as Error);
    } finally {
      setRunning(false);
    }
  };

  const label = record
    ? `Update ${target.title} page`
    : `Export to ${target.title}`;
  return (
    <Box className={classes.target} role="group" aria-label={target.title}>
      <Button
        variant="outlined"
        color="primary"
        className={classes.button}
        startIcon={
          running ? (
            <CircularProgress size={16} aria-hidden="true" />
          ) : (
            <PublishIcon />
          )
        }
        disabled={running}
        onClick={run}
      >
        {label}
      </Button>
      {running && (
        <Typography variant="body2" role="status">
          Exporting to {target.title}…
        </Typography>
      )}
      {!running && record?.url && (
        <Link to={record.url}>Open in {target.title}</Link>
      )}
      {!running && record && (
        <Typography variant="body2" color="textSecondary">
          Version {record.version} exported {formatDateTime(record.exported_at)}{' '}
          by {record.exported_by}
          {/* Pages do not follow edits: say when the page is behind. */}
          {record.version < currentVersion
            ? ` · the post-mortem is now at version ${currentVersion}`
            : ''}
        </Typography>
      )}
      {error && (
        <Alert severity="error" className={classes.error}>
          Export to {target.title} failed: {error.message}
        </Alert>
      )}
    </Box>
  );
};

/**
 * Where the post-mortem can go: each configured page target (Confluence,
 * Notion) with its last export, and the file downloads. Targets that are not
 * configured are not offered.
 */
export const PostmortemExports = ({
  incidentId,
  version,
}: {
  incidentId: string;
  /** The post-mortem's current version, to tell when a page is behind. */
  version: number;
}) => {
  const classes = useStyles();
  const api = useApi(postmortemsApiRef);
  const state = useAsync(async () => {
    const [targets, exports] = await Promise.all([
      api.listExportTargets(),
      api.listExports(incidentId),
    ]);
    return { targets, exports };
  }, [api, incidentId]);

  const targets = state.value?.targets ?? [];
  const pages = targets.filter(t => t.kind === 'page');
  return (
    <InfoCard title="Export">
      {state.loading && <Skeleton variant="rect" height={36} />}
      {state.error && (
        <Alert severity="warning" style={{ marginBottom: 16 }}>
          Export targets could not be loaded: {state.error.message}
        </Alert>
      )}
      {pages.length > 0 && (
        <Box className={classes.targets}>
          {pages.map(target => (
            <PageExport
              key={target.id}
              incidentId={incidentId}
              target={target}
              initial={state.value?.exports.find(r => r.target === target.id)}
              currentVersion={version}
            />
          ))}
        </Box>
      )}
      {/* Downloads work without any configuration, so they are always offered. */}
      <ExportButtons
        incidentId={incidentId}
        formats={downloadFormats(targets)}
      />
    </InfoCard>
  );
};
