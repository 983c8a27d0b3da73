import type { ActionItem } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { todayIso } from './time';

/** Past its due date and not done. */
export function isOverdue(
  item: ActionItem,
  today: string = todayIso(),
): boolean {
  return Boolean(
    item.due_date && item.due_date < today && item.status !== 'done',
  );
}

/** An item a generated draft proposed that no reviewer has accepted yet. */
export function isProposal(item: ActionItem): boolean {
  return item.source === 'ai' && !item.accepted;
}

/** Open or in progress. */
export function isOpen(item: ActionItem): boolean {
  return item.status !== 'done';
}

export const ACTION_ITEM_STATUS_LABELS: Record<ActionItem['status'], string> = {
  open: 'Open',
  in_progress: 'In progress',
  done: 'Done',
};
