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
import { ActionItemField, fieldErrorsOf } from '../../domain/actionItems';
import { useAnnouncer } from '../../hooks/useAnnouncer';
import { useIssueTrackers } from '../../hooks/useIssueTrackers';
import { trackerLabel } from '../ActionItemIssue';

/**
 * Why the edit row's last save failed: at the fields the backend named, and
 * `message` for the rest.
 */
export interface ActionItemFormError {
  fields: Partial<Record<ActionItemField, string>>;
  message?: string;
}

/**
 * The changes the action items table makes: one at a time (`busy`), each
 * handing the new list to `onChange`, a failure kept in `error` (or, for a
 * save from the edit row, in `formError`, shown in the row). `editing` is
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
  const [formError, setFormError] = useState<ActionItemFormError>();
  const [creatingIssue, setCreatingIssue] = useState<string>();
  const [syncing, setSyncing] = useState(false);
  const [synced, setSynced] = useState<TrackerSyncResult>();
  const [focusItem, setFocusItem] = useState<string>();
  const announce = useAnnouncer();
  const trackers = useIssueTrackers();

  /**
   * Runs a change; a failure is shown above the table, `context` first, or
   * in the edit row for a save from it (`form`). Resolves to whether it
   * succeeded.
   */
  const act = async (
    work: () => Promise<ActionItem[]>,
    options: { context?: string; form?: boolean } = {},
  ): Promise<boolean> => {
    const { context, form } = options;
    setBusy(true);
    setError(undefined);
    setFormError(undefined);
    try {
      onChange(await work());
      setEditing(undefined);
      return true;
    } catch (e) {
      const message = (e as Error).message;
      if (form) {
        const fields = fieldErrorsOf(e);
        setFormError({
          fields,
          message: Object.keys(fields).length
            ? undefined
            : `The action item was not saved: ${message}`,
        });
      } else {
        setError(context ? new Error(`${context}: ${message}`) : (e as Error));
      }
      return false;
    } finally {
      setBusy(false);
    }
  };

  const replace = (updated: ActionItem) =>
    items.map(item => (item.id === updated.id ? updated : item));

  const create = async (input: ActionItemInput & { description: string }) => {
    let id: string | undefined;
    const done = await act(
      async () => {
        const created = await api.createActionItem(incidentId, input);
        id = created.id;
        return [...items, created];
      },
      { form: true },
    );
    if (done && id) {
      setFocusItem(id);
      announce('Action item added');
    }
  };
  const update = (id: string, input: ActionItemInput) =>
    act(async () => replace(await api.updateActionItem(incidentId, id, input)));
  /** Saves the edit row of item `id`. */
  const save = async (id: string, input: ActionItemInput) => {
    const saved = await act(
      async () => replace(await api.updateActionItem(incidentId, id, input)),
      { form: true },
    );
    if (saved) {
      setFocusItem(id);
      announce('Action item saved');
    }
  };
  /**
   * Leaves the edit row, and with it what went wrong there; focus goes back
   * to the item it edited.
   */
  const stopEditing = () => {
    if (editing && editing !== 'new') setFocusItem(editing);
    setEditing(undefined);
    setFormError(undefined);
    setError(undefined);
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
      { context: `The issue could not be created in ${trackerLabel(tracker)}` },
    );
    setCreatingIssue(undefined);
  };
  // Closed issues turn items done in the backend; the items are read again
  // afterwards since any of them may have changed.
  const sync = async () => {
    setSyncing(true);
    setSynced(undefined);
    await act(
      async () => {
        const result = await api.syncTrackers();
        const { action_items } = await api.getPostmortem(incidentId);
        setSynced(result);
        return action_items;
      },
      { context: 'Syncing with the trackers failed' },
    );
    setSyncing(false);
  };

  return {
    editing,
    startEditing: (id: string) => {
      setFocusItem(undefined);
      setFormError(undefined);
      setEditing(id);
    },
    stopEditing,
    focusItem,
    focused: () => setFocusItem(undefined),
    busy,
    error,
    formError,
    /** The author changed `field`: what the backend said about it no longer holds. */
    fieldChanged: (field: ActionItemField) =>
      setFormError(current =>
        current?.fields[field]
          ? { ...current, fields: { ...current.fields, [field]: undefined } }
          : current,
      ),
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
