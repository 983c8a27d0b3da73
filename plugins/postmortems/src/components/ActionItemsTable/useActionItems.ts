import { useApi } from '@backstage/core-plugin-api';
import type {
  ActionItem,
  IssueTracker,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { useState } from 'react';
import {
  ActionItemInput,
  postmortemsApiRef,
  TrackerSyncResult,
} from '../../api';
import { useAnnouncer } from '../../hooks/useAnnouncer';
import { useIssueTrackers } from '../../hooks/useIssueTrackers';
import { trackerLabel } from '../ActionItemIssue';

/**
 * The changes the action items table makes: one at a time (`busy`), each
 * handing the new list to `onChange`, a failure kept in `error`. `editing` is
 * the id of the item being edited, or 'new'. After a save from the edit row,
 * `focusItem` names the saved item, whose row takes focus (the edit row it
 * replaces is gone) and calls `focused()`; a polite announcement says so.
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
  const [focusItem, setFocusItem] = useState<string>();
  const announce = useAnnouncer();
  const trackers = useIssueTrackers();

  /**
   * Runs a change; a failure is shown above the table, `context` first.
   * Resolves to whether it succeeded.
   */
  const act = async (
    work: () => Promise<ActionItem[]>,
    context?: string,
  ): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      onChange(await work());
      setEditing(undefined);
      return true;
    } catch (e) {
      const message = (e as Error).message;
      setError(context ? new Error(`${context}: ${message}`) : (e as Error));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const replace = (updated: ActionItem) =>
    items.map(item => (item.id === updated.id ? updated : item));

  const create = async (input: ActionItemInput & { description: string }) => {
    let id: string | undefined;
    const done = await act(async () => {
      const created = await api.createActionItem(incidentId, input);
      id = created.id;
      return [...items, created];
    });
    if (done && id) {
      setFocusItem(id);
      announce('Action item added');
    }
  };
  const update = (id: string, input: ActionItemInput) =>
    act(async () => replace(await api.updateActionItem(incidentId, id, input)));
  /** Saves the edit row of item `id`. */
  const save = async (id: string, input: ActionItemInput) => {
    if (await update(id, input)) {
      setFocusItem(id);
      announce('Action item saved');
    }
  };
  /** Leaves the edit row; focus goes back to the item it edited. */
  const stopEditing = () => {
    if (editing && editing !== 'new') setFocusItem(editing);
    setEditing(undefined);
  };
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
    startEditing: (id: string) => {
      setFocusItem(undefined);
      setEditing(id);
    },
    stopEditing,
    focusItem,
    focused: () => setFocusItem(undefined),
    busy,
    error,
    creatingIssue,
    syncing,
    synced,
    trackers,
    create,
    update,
    save,
    remove,
    createIssue,
    sync,
  };
}
