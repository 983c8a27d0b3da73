import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { ActionItem } from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  ReminderCandidate,
  ReminderKind,
  ReminderStore,
} from './ReminderStore';

/** How many days ahead of its due date an item counts as due soon. */
export const DUE_SOON_DAYS = 7;

const DAY_MS = 24 * 60 * 60 * 1000;

type NotificationPayload = Parameters<
  NotificationService['send']
>[0]['payload'];

export interface ReminderRunResult {
  sent: number;
  failed: number;
}

/**
 * Tells action item owners, through Backstage notifications, that an item
 * was assigned to them, is due within a week or is overdue.
 *
 * Every reminder is claimed in the database before it is sent (see
 * {@link ReminderStore.claim}), so replicas running the same task, or a
 * reassignment racing the task, never notify twice. A due-soon or overdue
 * reminder whose sending failed is released and retried by the next run; a
 * failed assignment notice is logged and not retried.
 */
export class ReminderService {
  private readonly pageSize: number;

  constructor(
    private readonly deps: {
      store: ReminderStore;
      notifications: NotificationService;
      logger: LoggerService;
      /** Items per query; small in tests to exercise paging. */
      pageSize?: number;
    },
  ) {
    this.pageSize = deps.pageSize ?? 200;
  }

  /**
   * Sends the due-soon and overdue reminders owed as of `now`. Dates are
   * compared as UTC calendar days, as the `overdue` filter of the API does.
   */
  async sendDue(now = new Date()): Promise<ReminderRunResult> {
    const today = isoDay(now);
    const result: ReminderRunResult = { sent: 0, failed: 0 };
    await this.sendRange({ kind: 'overdue', before: today }, now, result);
    await this.sendRange(
      {
        kind: 'due_soon',
        from: today,
        before: isoDay(new Date(now.getTime() + (DUE_SOON_DAYS + 1) * DAY_MS)),
      },
      now,
      result,
    );
    if (result.sent || result.failed) {
      this.deps.logger.info(
        `Action item reminders: ${result.sent} sent, ${result.failed} failed`,
      );
    }
    return result;
  }

  /**
   * Tells the owner of an item that it is theirs. Meant to be called after an
   * owner was set or changed, or a proposal with an owner accepted; items
   * that are done, unaccepted or unowned get nothing. Returns whether a
   * notification went out.
   */
  async notifyAssigned(item: ActionItem, now = new Date()): Promise<boolean> {
    if (!item.owner || !item.accepted || item.status === 'done') return false;
    const candidate = await this.deps.store.candidate(item.id);
    // The item may have changed since the caller read it; remind about what
    // the database says now.
    if (!candidate) return false;
    const outcome = await this.remind(
      'assigned',
      candidate.owner,
      candidate,
      now,
    );
    return outcome === 'sent';
  }

  private async sendRange(
    range: { kind: 'due_soon' | 'overdue'; from?: string; before: string },
    now: Date,
    result: ReminderRunResult,
  ) {
    let after: { dueDate: string; itemId: string } | undefined;
    for (;;) {
      const page = await this.deps.store.pageDue({
        ...range,
        after,
        limit: this.pageSize,
      });
      for (const candidate of page) {
        const outcome = await this.remind(
          range.kind,
          candidate.dueDate!,
          candidate,
          now,
        );
        if (outcome !== 'claimed-elsewhere') result[outcome] += 1;
      }
      if (page.length < this.pageSize) return;
      const last = page[page.length - 1];
      after = { dueDate: last.dueDate!, itemId: last.itemId };
    }
  }

  /**
   * Claims and sends one reminder. A failed send releases the claim so that
   * a later run retries.
   */
  private async remind(
    kind: ReminderKind,
    key: string,
    candidate: ReminderCandidate,
    now: Date,
  ): Promise<'sent' | 'failed' | 'claimed-elsewhere'> {
    const claimId = await this.deps.store.claim(
      { itemId: candidate.itemId, kind, key, recipient: candidate.owner },
      now,
    );
    if (!claimId) return 'claimed-elsewhere';
    try {
      await this.deps.notifications.send({
        recipients: { type: 'entity', entityRef: candidate.owner },
        payload: reminderPayload(kind, candidate, now),
      });
      return 'sent';
    } catch (error) {
      // Due reminders are looked for again by the next run; an assignment
      // is only notified when it happens.
      const retry = kind === 'assigned' ? '' : '; the next run retries';
      this.deps.logger.warn(
        `Could not send the ${kind} reminder of action item ${candidate.itemId} to ${candidate.owner}${retry}`,
        error as Error,
      );
      await this.deps.store.release(claimId);
      return 'failed';
    }
  }
}

/** What the owner reads; exported for tests. */
export function reminderPayload(
  kind: ReminderKind,
  item: ReminderCandidate,
  now: Date,
): NotificationPayload {
  const what = shorten(item.description, 120).replace(/[.\s]+$/, '');
  const source = `From the post-mortem of ${item.incidentReference} "${item.incidentTitle}".`;
  const link = `/postmortems/incidents/${item.incidentReference}`;
  if (kind === 'assigned') {
    const due = item.dueDate ? ` (due ${item.dueDate})` : '';
    return {
      title: `You own an action item of ${item.incidentReference}`,
      description: `${what}${due}. ${source}`,
      link,
      severity: 'normal',
      topic: 'postmortems',
    };
  }
  if (kind === 'overdue') {
    return {
      title: `Action item overdue: ${what}`,
      description: `It was due ${item.dueDate}. ${source}`,
      link,
      severity: 'high',
      topic: 'postmortems',
    };
  }
  const days = Math.round(
    (Date.parse(`${item.dueDate}T00:00:00Z`) -
      Date.parse(`${isoDay(now)}T00:00:00Z`)) /
      DAY_MS,
  );
  return {
    title: `Action item due ${dueIn(days)}: ${what}`,
    description: `It is due ${item.dueDate}. ${source}`,
    link,
    severity: 'normal',
    topic: 'postmortems',
  };
}

function dueIn(days: number): string {
  if (days <= 0) return 'today';
  if (days === 1) return 'tomorrow';
  return `in ${days} days`;
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function shorten(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
