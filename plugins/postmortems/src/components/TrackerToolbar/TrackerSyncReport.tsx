import { Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import type { IssueTracker } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { TrackerSyncResult } from '../../api';
import { trackerLabel } from '../ActionItemIssue';

const plural = (count: number, one: string, many: string) =>
  `${count} ${count === 1 ? one : many}`;

/** "Synced with the trackers: 2 issues checked, 1 item done." */
export function describeSync(result: TrackerSyncResult): string {
  const parts = [plural(result.checked, 'issue checked', 'issues checked')];
  if (result.done) parts.push(plural(result.done, 'item done', 'items done'));
  if (result.reopened) {
    parts.push(plural(result.reopened, 'item reopened', 'items reopened'));
  }
  if (result.pushed) {
    parts.push(plural(result.pushed, 'change sent', 'changes sent'));
  }
  if (result.missing) {
    parts.push(plural(result.missing, 'issue not found', 'issues not found'));
  }
  return `Synced with the trackers: ${parts.join(', ')}.`;
}

export interface TrackerSyncReportProps {
  synced?: TrackerSyncResult;
  /** A failure of the sync as a whole replaces its summary. */
  failed: boolean;
  trackers: IssueTracker[];
}

/** What the last sync with the trackers did, and which trackers failed. */
export const TrackerSyncReport = ({
  synced,
  failed,
  trackers,
}: TrackerSyncReportProps) => (
  <>
    {synced && !failed && (
      <Typography
        role="status"
        variant="body2"
        color="textSecondary"
        style={{ marginBottom: 16 }}
      >
        {describeSync(synced)}
      </Typography>
    )}
    {/* One tracker failing does not fail the sync; it still needs saying. */}
    {synced?.errors.map(failure => {
      const tracker = trackers.find(t => t.id === failure.tracker);
      return (
        <Alert
          key={failure.tracker}
          severity="warning"
          style={{ marginBottom: 16 }}
        >
          {tracker ? trackerLabel(tracker) : failure.tracker} could not be read:{' '}
          {failure.message}
        </Alert>
      );
    })}
  </>
);
