import { ActionItemStatus } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { IssueState } from '@postmortems-oss/backstage-plugin-postmortems-node';

/** The issue state an item's status calls for: done items have closed issues. */
export function issueStateFor(status: ActionItemStatus): IssueState {
  return status === 'done' ? 'closed' : 'open';
}

export interface Reconciliation {
  /** The item's new status, when the tracker's change moves it. */
  status?: ActionItemStatus;
  /** The issue state to push to the tracker, when a change here is not there yet. */
  push?: IssueState;
}

/**
 * Which side wins when an item and its issue disagree.
 *
 * The rule: the tracker moves the item only when the issue's state differs
 * from the one last seen there (`lastSeen`), i.e. the issue changed in the
 * tracker since. Closed there -> done here; reopened there -> a done item
 * goes back to open (an item in progress stays in progress).
 *
 * When the issue has not changed since it was last seen but the item says
 * otherwise, the change was made here and its push did not reach the tracker
 * (a failed best-effort push of a PATCH): it is pushed again, and the item is
 * not flipped back. If both sides changed, the tracker wins: its change is
 * the later one to be seen.
 */
export function reconcile(
  status: ActionItemStatus,
  lastSeen: IssueState | null,
  observed: IssueState,
): Reconciliation {
  if (observed !== lastSeen) {
    if (observed === 'closed' && status !== 'done') return { status: 'done' };
    if (observed === 'open' && status === 'done') return { status: 'open' };
    return {};
  }
  const wanted = issueStateFor(status);
  return wanted === observed ? {} : { push: wanted };
}
