import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import type {
  AuthorKind,
  Postmortem,
  PostmortemRevision,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { PostmortemConflictError, postmortemsApiRef } from '../../api';
import { formatDateTime } from '../../domain/time';
import { EntityRefOrText } from '../EntityRefOrText';
import { RevisionDiffView } from './RevisionDiffView';

/** Who wrote a version, in the words of the history table. */
const KIND_LABELS: Record<AuthorKind, string> = {
  ai: 'AI',
  deterministic: 'Drafted from evidence',
  human: 'Person',
  system: 'System',
};

/**
 * Every kept version of the post-mortem: compare one with the current version
 * side by side, or restore it (which adds a new version; nothing is lost).
 */
export const RevisionHistory = ({
  incidentId,
  postmortem,
  onChange,
}: {
  incidentId: string;
  postmortem: Postmortem;
  onChange(postmortem: Postmortem): void;
}) => {
  const api = useApi(postmortemsApiRef);
  const revisions = useAsyncRetry(
    () => api.listRevisions(incidentId),
    [api, incidentId, postmortem.version],
  );
  const [compared, setCompared] = useState<number>();
  const [restoring, setRestoring] = useState<PostmortemRevision>();
  const [busy, setBusy] = useState(false);
  const [restoreError, setRestoreError] = useState<Error>();

  const diff = useAsync(
    async () =>
      compared === undefined
        ? undefined
        : api.diffRevisions(incidentId, postmortem.version, compared),
    [api, incidentId, compared, postmortem.version],
  );

  const restore = async () => {
    if (!restoring) return;
    setBusy(true);
    setRestoreError(undefined);
    try {
      onChange(
        await api.restoreRevision(
          incidentId,
          restoring.version,
          postmortem.version,
        ),
      );
      setRestoring(undefined);
      setCompared(undefined);
    } catch (e) {
      if (e instanceof PostmortemConflictError) {
        onChange(e.current);
        setRestoreError(
          new Error(
            `${e.message}. Check the current version, then restore again if you still want to.`,
          ),
        );
      } else {
        setRestoreError(e as Error);
      }
    } finally {
      setBusy(false);
    }
  };

  let body;
  if (revisions.loading && !revisions.value) {
    body = <Progress />;
  } else if (revisions.error) {
    body = <ResponseErrorPanel error={revisions.error} />;
  } else {
    body = (
      <Table size="small" aria-label="Revisions">
        <TableHead>
          <TableRow>
            <TableCell>Version</TableCell>
            <TableCell>What</TableCell>
            <TableCell>By</TableCell>
            <TableCell>When</TableCell>
            <TableCell>Actions</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {(revisions.value ?? []).map(revision => {
            const current = revision.version === postmortem.version;
            return (
              <TableRow
                key={revision.id}
                selected={compared === revision.version}
              >
                <TableCell>
                  {revision.version}
                  {current ? ' (current)' : ''}
                </TableCell>
                <TableCell>
                  {revision.reason} ·{' '}
                  {KIND_LABELS[revision.kind]}
                  {revision.status === 'published' ? ' · published' : ''}
                </TableCell>
                <TableCell>
                  <EntityRefOrText value={revision.author} />
                </TableCell>
                <TableCell>{formatDateTime(revision.created_at)}</TableCell>
                <TableCell align="right">
                  {!current && (
                    <Box
                      display="flex"
                      justifyContent="flex-end"
                      style={{ gap: 8, whiteSpace: 'nowrap' }}
                    >
                      <Button
                        size="small"
                        onClick={() => setCompared(revision.version)}
                        aria-label={`Compare version ${revision.version} with the current version`}
                      >
                        Compare
                      </Button>
                      <Button
                        size="small"
                        onClick={() => setRestoring(revision)}
                        aria-label={`Restore version ${revision.version}`}
                      >
                        Restore
                      </Button>
                    </Box>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    );
  }

  return (
    <InfoCard
      title="Revision history"
      subheader="Every save, generation, publication and restore is kept"
    >
      {body}
      {compared !== undefined && (
        <Box mt={3}>
          <Box
            display="flex"
            alignItems="center"
            justifyContent="space-between"
          >
            <Typography variant="h6" component="h4">
              Version {compared} compared with version {postmortem.version}
            </Typography>
            <Button size="small" onClick={() => setCompared(undefined)}>
              Close comparison
            </Button>
          </Box>
          {diff.loading && <Progress />}
          {diff.error && <ResponseErrorPanel error={diff.error} />}
          {diff.value && <RevisionDiffView diff={diff.value} />}
        </Box>
      )}
      <Dialog
        open={Boolean(restoring)}
        onClose={() => setRestoring(undefined)}
        aria-labelledby="restore-dialog-title"
      >
        <DialogTitle id="restore-dialog-title">
          Restore version {restoring?.version}?
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            Its content becomes a new version ({postmortem.version + 1}). The
            current content stays in the history.
          </DialogContentText>
          {restoreError && (
            <Alert severity="error">{restoreError.message}</Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setRestoring(undefined)} disabled={busy}>
            Cancel
          </Button>
          <Button
            color="primary"
            variant="contained"
            onClick={restore}
            disabled={busy}
          >
            Restore
          </Button>
        </DialogActions>
      </Dialog>
    </InfoCard>
  );
};
