import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  makeStyles,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import type {
  Incident,
  Postmortem,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { postmortemsApiRef } from '../../api';
import { useGenerationJob } from '../../hooks/useGenerationJob';
import { useFocusRing } from '../accessibility';
import { GenerationProgress } from '../GenerationProgress';

const useStyles = makeStyles(theme => ({
  actions: {
    display: 'flex',
    gap: theme.spacing(2),
    alignItems: 'center',
    flexWrap: 'wrap',
    margin: theme.spacing(2, 0),
  },
  picker: { minWidth: 280 },
}));

/**
 * What an incident without a post-mortem offers: generate a draft from its
 * evidence with a chosen template, or start from the template's blank
 * sections.
 */
export const GeneratePostmortem = ({
  incidentId,
  incident,
  onCreated,
}: {
  incidentId: string;
  /** When known: an incident still open is drafted only once it is resolved. */
  incident?: Pick<Incident, 'reference' | 'status'>;
  /** Called once a draft exists (generated or blank). */
  onCreated: (postmortem?: Postmortem) => void;
}) => {
  const classes = useStyles();
  const api = useApi(postmortemsApiRef);
  const templates = useAsync(() => api.listTemplates(), [api]);
  const [templateId, setTemplateId] = useState('');
  const generation = useGenerationJob();
  const [creating, setCreating] = useState(false);
  const [blankError, setBlankError] = useState<Error>();
  const focusRing = useFocusRing();
  const openReasonId = `generate-${incidentId}-open-reason`;

  useEffect(() => {
    if (!templateId && templates.value?.length) {
      const active =
        templates.value.find(t => t.is_active) ?? templates.value[0];
      setTemplateId(active.id);
    }
  }, [templates.value, templateId]);

  const template = templates.value?.find(t => t.id === templateId);
  const busy = generation.running || creating;
  const open =
    incident?.status === 'triggered' || incident?.status === 'acknowledged';

  const generate = async () => {
    setBlankError(undefined);
    const job = await generation.run(() =>
      api.generatePostmortem(incidentId, {
        templateId: templateId || undefined,
      }),
    );
    if (job?.status === 'succeeded') {
      onCreated();
    }
  };

  const startBlank = async () => {
    setCreating(true);
    setBlankError(undefined);
    generation.reset();
    try {
      onCreated(
        await api.createPostmortem(incidentId, {
          templateId: templateId || undefined,
        }),
      );
    } catch (e) {
      setBlankError(e as Error);
    } finally {
      setCreating(false);
    }
  };

  const error = generation.error ?? blankError;
  return (
    <InfoCard title="No post-mortem yet">
      <Typography variant="body1">
        Draft the post-mortem from this incident's timeline, alerts and chat
        thread, or start from the template's empty sections. Either way you
        review and edit every section before publishing.
      </Typography>
      <Box className={classes.actions}>
        {templates.loading ? (
          <Progress />
        ) : (
          <TextField
            select
            variant="outlined"
            size="small"
            label="Template"
            id="postmortem-template"
            className={classes.picker}
            value={templateId}
            disabled={busy || !templates.value?.length}
            onChange={e => setTemplateId(e.target.value)}
            helperText={
              templates.error
                ? `Templates could not be loaded: ${templates.error.message}`
                : template?.description
            }
          >
            {(templates.value ?? []).map(t => (
              <MenuItem key={t.id} value={t.id}>
                {t.name}
                {t.is_active ? ' (active)' : ''}
              </MenuItem>
            ))}
          </TextField>
        )}
        <Button
          variant="contained"
          color="primary"
          {...focusRing}
          onClick={generate}
          disabled={busy || open}
          aria-describedby={open ? openReasonId : undefined}
        >
          Generate Post-Mortem
        </Button>
        <Button variant="outlined" onClick={startBlank} disabled={busy}>
          Start blank
        </Button>
      </Box>
      {open && (
        <Alert severity="info" style={{ marginBottom: 16 }} id={openReasonId}>
          {incident?.reference} is still {incident?.status}. The draft is
          generated from the whole timeline once the incident is resolved; you
          can start a blank post-mortem now.
        </Alert>
      )}
      {(generation.running || generation.job) && (
        <GenerationProgress
          job={generation.job}
          sections={generation.sections}
          expected={template?.sections.map(s => ({
            key: s.key,
            title: s.title,
          }))}
        />
      )}
      {error && (
        <Alert
          severity="error"
          action={
            generation.error ? (
              <Button color="inherit" size="small" onClick={generate}>
                Try again
              </Button>
            ) : undefined
          }
        >
          {generation.error
            ? `The draft could not be generated: ${error.message}`
            : `The post-mortem could not be created: ${error.message}`}
        </Alert>
      )}
    </InfoCard>
  );
};
