import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Box, Button, Grid, makeStyles, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import type {
  ActionItem,
  Postmortem,
  TimelineEntry,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSignal } from '@backstage/plugin-signals-react';
import { useCurrentUser } from '../../hooks/useCurrentUser';
import {
  postmortemSignalChannel,
  PostmortemSignal,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import useAsync from 'react-use/esm/useAsync';
import { postmortemsApiRef } from '../../api';
import { sectionsWithDrafts, useDraftStorage } from '../../domain/localDrafts';
import { formatDateTime } from '../../domain/time';
import { useGenerationJob } from '../../hooks/useGenerationJob';
import { useAnnouncer } from '../../hooks/useAnnouncer';
import { useIncidentPostmortem } from '../../hooks/useIncidentPostmortem';
import { useRecurrences } from '../../hooks/useRecurrences';
import { useFocusTargetClass } from '../accessibility';
import { ActionItemsTable } from '../ActionItemsTable';
import { CuratedTimeline } from '../CuratedTimeline';
import { EvidenceFindings } from '../EvidenceFindings';
import { GeneratePostmortem } from '../GeneratePostmortem';
import { GenerationProgress } from '../GenerationProgress';
import { IncidentHeader } from '../IncidentHeader';
import { PostmortemStatusChip } from '../IncidentChips';
import { PostmortemComments } from '../PostmortemComments';
import { PostmortemExports } from '../PostmortemExports';
import { PostmortemSectionCard } from '../PostmortemSectionCard';
import { NewerVersionNotice } from '../NewerVersionNotice';
import { PublishControls } from '../PublishControls';
import { EntityRefOrText } from '../EntityRefOrText';
import { AmendedNotice, PostmortemReview } from '../PostmortemReview';
import { RevisionHistory } from '../RevisionHistory';
import { RelatedPostmortems } from '../RelatedPostmortems';
import { PostmortemCauses } from '../PostmortemCauses';
import { RecurrenceNotice } from '../RecurrenceNotice';

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
  },
  meta: { flex: 1, minWidth: 240 },
  findings: {
    position: 'sticky',
    top: theme.spacing(2),
  },
}));

const GENERATED_BY: Record<string, string> = {
  ai: 'drafted by the model',
  deterministic: 'drafted from the evidence (no model)',
  manual: 'written by hand',
};

/** Timeline entries by id, read once when the draft cites evidence. */
function useEvidence(incidentId: string, postmortem?: Postmortem | null) {
  const api = useApi(postmortemsApiRef);
  const cites = Boolean(
    postmortem &&
      Object.values(postmortem.evidence ?? {}).some(ids => ids.length),
  );
  return useAsync(async () => {
    if (!cites) return new Map<string, TimelineEntry>();
    const byId = new Map<string, TimelineEntry>();
    for (let page = 1; page <= 10; page++) {
      const result = await api.getTimeline(incidentId, { page, limit: 100 });
      result.data.forEach(entry => byId.set(entry.id, entry));
      if (result.data.length < result.limit) break;
    }
    return byId;
  }, [api, incidentId, cites]);
}

const PostmortemDocument = ({
  incidentId,
  postmortem,
  setPostmortem,
  reload,
  created,
}: {
  incidentId: string;
  postmortem: Postmortem;
  setPostmortem(postmortem: Postmortem): void;
  reload(): Promise<void>;
  /** Said once the document shows, when it was just generated or started. */
  created?: string;
}) => {
  const classes = useStyles();
  const focusTarget = useFocusTargetClass();
  const announce = useAnnouncer();
  const statusRef = useRef<HTMLDivElement>(null);
  // The generate form this document replaces is gone, and focus with it:
  // it moves to the new document's status bar, and the change is announced.
  useEffect(() => {
    if (!created) return;
    statusRef.current?.focus();
    announce(created);
  }, [created, announce]);
  const api = useApi(postmortemsApiRef);
  const drafts = useDraftStorage();
  const evidence = useEvidence(incidentId, postmortem);
  const enhancement = useGenerationJob();
  const recurrences = useRecurrences(incidentId);
  const template = useAsync(
    async () =>
      postmortem.template_id
        ? api.getTemplate(postmortem.template_id).catch(() => undefined)
        : undefined,
    [api, postmortem.template_id],
  );

  // Improving rewrites the draft with a model; the deterministic drafter
  // would only write the same text again, so without a model it is not
  // offered.
  const provider = useAsync(() => api.getProviderStatus(), [api]);
  const canImprove =
    provider.value?.configured === true &&
    provider.value.provider !== 'deterministic';

  const enhance = async () => {
    const job = await enhancement.run(() => api.enhancePostmortem(incidentId));
    if (job?.status === 'succeeded') await reload();
  };

  const findingsOf = (key: string | null) =>
    (postmortem.findings ?? []).filter(f => f.section_key === key);
  const orphanFindings = (postmortem.findings ?? []).filter(
    f =>
      f.section_key === null ||
      !postmortem.sections.some(s => s.key === f.section_key),
  );

  const setActionItems = useCallback(
    (action_items: ActionItem[]) =>
      setPostmortem({ ...postmortem, action_items }),
    [postmortem, setPostmortem],
  );

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard>
          <div
            className={`${classes.toolbar} ${focusTarget}`}
            ref={statusRef}
            tabIndex={-1}
            role="region"
            aria-label="Post-mortem status"
          >
            <PostmortemStatusChip status={postmortem.status} />
            <Typography variant="body2" className={classes.meta}>
              Version {postmortem.version} ·{' '}
              {GENERATED_BY[postmortem.generated_by] ?? postmortem.generated_by}
              {postmortem.template_name
                ? ` · template ${postmortem.template_name}`
                : ''}{' '}
              · updated {formatDateTime(postmortem.updated_at)}
              {postmortem.updated_by && (
                <>
                  {' by '}
                  <EntityRefOrText value={postmortem.updated_by} />
                </>
              )}
              {postmortem.published_at
                ? ` · published ${formatDateTime(postmortem.published_at)}`
                : ''}
            </Typography>
            {postmortem.status === 'draft' && canImprove && (
              <Button
                variant="outlined"
                onClick={enhance}
                disabled={enhancement.running}
              >
                Improve draft
              </Button>
            )}
            <PublishControls
              incidentId={incidentId}
              postmortem={postmortem}
              unsavedSections={() =>
                sectionsWithDrafts(drafts, incidentId).length
              }
              onChange={setPostmortem}
            />
          </div>
          <NewerVersionNotice
            incidentId={postmortem.incident_id}
            version={postmortem.version}
            onShowLatest={reload}
          />
          <AmendedNotice postmortem={postmortem} />
          <RecurrenceNotice recurrences={recurrences.value} />
          <PostmortemReview
            incidentId={incidentId}
            postmortem={postmortem}
            onChange={setPostmortem}
          />
          {enhancement.running && (
            <Box mt={2}>
              <GenerationProgress
                job={enhancement.job}
                sections={enhancement.sections}
              />
            </Box>
          )}
          {enhancement.error && (
            <Box mt={2}>
              <Alert severity="error">
                The draft could not be improved: {enhancement.error.message}
              </Alert>
            </Box>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <PostmortemExports
          incidentId={incidentId}
          version={postmortem.version}
        />
      </Grid>
      <Grid item xs={12}>
        <PostmortemCauses
          incidentId={incidentId}
          onSaved={recurrences.reload}
        />
      </Grid>
      <RelatedPostmortems incidentId={incidentId} />
      {orphanFindings.length > 0 && (
        <Grid item xs={12}>
          <EvidenceFindings
            findings={orphanFindings}
            label="Findings about the whole post-mortem"
          />
        </Grid>
      )}
      {postmortem.sections.map(section => {
        const findings = findingsOf(section.key);
        const cited = (postmortem.evidence?.[section.key] ?? [])
          .map(id => evidence.value?.get(id))
          .filter((e): e is TimelineEntry => Boolean(e));
        return (
          <Grid item xs={12} key={section.key}>
            <Grid container spacing={2}>
              <Grid item xs={12} md={findings.length ? 8 : 12}>
                <PostmortemSectionCard
                  incidentId={incidentId}
                  section={section}
                  postmortem={postmortem}
                  evidence={cited}
                  onPostmortemChange={setPostmortem}
                  onReload={reload}
                />
              </Grid>
              {findings.length > 0 && (
                <Grid item xs={12} md={4}>
                  <Box className={classes.findings}>
                    <EvidenceFindings
                      findings={findings}
                      label={`Findings in ${section.title}`}
                    />
                  </Box>
                </Grid>
              )}
              {section.key === 'timeline' && (
                <Grid item xs={12}>
                  <CuratedTimeline incidentId={incidentId} />
                </Grid>
              )}
            </Grid>
          </Grid>
        );
      })}
      {!postmortem.sections.some(s => s.key === 'timeline') && (
        <Grid item xs={12}>
          <CuratedTimeline incidentId={incidentId} />
        </Grid>
      )}
      <Grid item xs={12}>
        <ActionItemsTable
          incidentId={incidentId}
          items={postmortem.action_items}
          categories={template.value?.action_item_categories}
          onChange={setActionItems}
        />
      </Grid>
      <Grid item xs={12}>
        <RevisionHistory
          incidentId={incidentId}
          postmortem={postmortem}
          onChange={setPostmortem}
        />
      </Grid>
      <Grid item xs={12}>
        <PostmortemComments
          incidentId={incidentId}
          signalId={postmortem.incident_id}
        />
      </Grid>
    </Grid>
  );
};

/**
 * The post-mortem of one incident: its header, then either the way to create
 * one or the document with its sections, findings, action items, history and
 * comments. Used by the incident's entity tab and the page's incident route.
 *
 * @public
 */
export const IncidentPostmortem = ({ incidentId }: { incidentId: string }) => {
  const state = useIncidentPostmortem(incidentId);
  const { incident, postmortem, setPostmortem, reload } = state;
  const [reloadError, setReloadError] = useState<Error>();
  const [created, setCreated] = useState<string>();

  const reloadSafely = useMemo(
    () => async () => {
      setReloadError(undefined);
      try {
        await reload();
      } catch (e) {
        setReloadError(e as Error);
      }
    },
    [reload],
  );

  // A draft made elsewhere (drafted when the incident resolved, or by a
  // colleague) replaces "no post-mortem yet" as soon as it is saved.
  const { lastSignal } = useSignal<PostmortemSignal>(
    postmortemSignalChannel(incident?.id ?? incidentId),
  );
  const waitingForDraft = !state.loading && !!incident && !postmortem;
  const me = useCurrentUser().value?.userEntityRef;
  useEffect(() => {
    // One's own drafts (generated on this page) are shown by the page itself.
    if (
      waitingForDraft &&
      lastSignal?.change === 'saved' &&
      lastSignal.by !== me
    ) {
      setCreated('Draft ready');
      reloadSafely();
    }
    // Only a new signal reloads.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lastSignal]);

  if (state.loading) {
    return <Progress />;
  }
  if (state.error || !incident) {
    return (
      <ResponseErrorPanel
        title={`Incident ${incidentId} could not be loaded`}
        error={state.error ?? new Error('Unknown incident')}
      />
    );
  }

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <IncidentHeader incident={incident} />
      </Grid>
      {reloadError && (
        <Grid item xs={12}>
          <ResponseErrorPanel error={reloadError} />
        </Grid>
      )}
      <Grid item xs={12}>
        {postmortem ? (
          <PostmortemDocument
            incidentId={incident.id}
            postmortem={postmortem}
            setPostmortem={setPostmortem}
            reload={reloadSafely}
            created={created}
          />
        ) : (
          <GeneratePostmortem
            incidentId={incident.id}
            incident={incident}
            onCreated={blank => {
              if (blank) {
                setCreated('Blank post-mortem created');
                setPostmortem(blank);
              } else {
                setCreated('Draft generated');
                reloadSafely();
              }
            }}
          />
        )}
      </Grid>
      {/* Before there is a draft: has this happened before? */}
      {!postmortem && <RelatedPostmortems incidentId={incident.id} />}
    </Grid>
  );
};
