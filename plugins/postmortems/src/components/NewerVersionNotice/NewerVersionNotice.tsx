import { Box, Button } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  postmortemSignalChannel,
  PostmortemSignal,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { useCurrentUser } from '../../hooks/useCurrentUser';
import { EntityRefOrText } from '../EntityRefOrText';

export interface NewerVersionNoticeProps {
  /** The incident's id (not its reference: signals are sent per id). */
  incidentId: string;
  /** The version on screen. */
  version: number;
  /** Reads the post-mortem again. */
  onShowLatest(): void;
}

/**
 * Tells a reader, as it happens, that someone else saved this post-mortem or
 * commented on it, so that nobody edits or reviews a version that is no
 * longer the latest without knowing. Heard through Backstage signals; in a
 * portal without them it shows nothing, and a save of an older version is
 * still answered with a conflict to merge.
 */
export const NewerVersionNotice = ({
  incidentId,
  version,
  onShowLatest,
}: NewerVersionNoticeProps) => {
  const { lastSignal } = useSignal<PostmortemSignal>(
    postmortemSignalChannel(incidentId),
  );
  const me = useCurrentUser().value?.userEntityRef;
  if (!lastSignal || lastSignal.incident_id !== incidentId) return null;
  // One's own saves arrive as signals too: the screen already shows them.
  if (lastSignal.by && lastSignal.by === me) return null;
  const newer = lastSignal.version > version;
  if (!newer && lastSignal.change !== 'comment') return null;
  return (
    <Box mt={2}>
      <Alert
        severity="info"
        role="status"
        action={
          newer ? (
            <Button color="inherit" size="small" onClick={onShowLatest}>
              Show the latest
            </Button>
          ) : undefined
        }
      >
        <EntityRefOrText value={lastSignal.by ?? 'Someone'} />{' '}
        {lastSignal.change === 'comment'
          ? 'commented on this post-mortem.'
          : `saved version ${lastSignal.version} while you were reading version ${version}.`}
        {newer && ' Edits you have not saved stay in this browser.'}
      </Alert>
    </Box>
  );
};
