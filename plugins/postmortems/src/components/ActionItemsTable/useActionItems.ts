import { useApi } from '@backstage/core-plugin-api';
import type {
  ActionItem,
  IssueTracker,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  ActionItemInput,
  postmortemsApiRef,
  TrackerSyncResult,
} from '../../api';
import { trackerLabel } from '../ActionItemIssue';

/**
 * The changes the action items table makes: one at a time (`busy`), each
 * handing the new list to `onChange`, a failure kept in `error`. `editing` is
 * the id of the item being edited, or 'new'.
 */
export function useActionItems(
  incidentId: string,
  items: ActionItem[],
  onChange: (items: ActionItem[]) => void,
) {
  const api = useApi(postmortemsApiRef);
  const [editing, setEditing] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [creatingIssue, setCreatingIssue] = useState<string>();
  const [syncing, setSyncing] = useState(false);
  const [synced, setSynced] = useState<TrackerSyncResult>();
  // Without trackers (none configured, or an older backend) the table simply
  // offers no issues; their absence is not an error worth a banner.
  const trackerList = useAsync(
    () => api.listTrackers().catch(() => [] as IssueTracker[]),
    [api],
  );
  const trackers = trackerList.value ?? [];

  /** Runs a change; a failure is shown above the table, `context` first. */
  const act = async (work: () => Promise<ActionItem[]>, context?: string) => {
    setBusy(true);
    setError(undefined);
    try {
      onChange(await work());
      setEditing(undefined);
    } catch (e) {
      const message = (e as Error).message;
      setError(context ? new Error(`${context}: ${message}`) : (e as Error));
    } finally {
      setBusy(false);
    }
  };

  const replace = (updated: ActionItem) =>
    items.map(item => (item.id === updated.id ? updated : item));

  const create = (input: ActionItemInput & { description: string }) =>
    act(async () => [...items, await api.createActionItem(incidentId, input)]);
  const update = (id: string, input: ActionItemInput) =>
    act(async () => replace(await api.updateActionItem(incidentId, id, input)));
  const remove = (id: string) =>
    act(async () => {
      await api.deleteActionItem(incidentId, id);
      return items.filter(item => item.id !== id);
    });
  const createIssue = async (item: ActionItem, tracker: IssueTracker) => {
    setCreatingIssue(item.id);
    await act(
      async () =>
        replace(await api.createIssue(incidentId, item.id, tracker.id)),
      `The issue could not be created in ${trackerLabel(tracker)}`,
    );
    setCreatingIssue(undefined);
  };
  // Closed issues turn items done in the backend; the items are read again
  // afterwards since any of them may have changed.
  const sync = async () => {
    setSyncing(true);
    setSynced(undefined);
    await act(async () => {
      const result = await api.syncTrackers();
      const { action_items } = await api.getPostmortem(incidentId);
      setSynced(result);
      return action_items;
    }, 'Syncing with the trackers failed');
    setSyncing(false);
  };

  return {
    editing,
    startEditing: (id: string) => setEditing(id),
    stopEditing: () => setEditing(undefined),
    busy,
    error,
    creatingIssue,
    syncing,
    synced,
    trackers,
    create,
    update,
    remove,
    createIssue,
    sync,
  };
}
