import { NotificationService } from '@backstage/plugin-notifications-node';

export type SentNotification = Parameters<NotificationService['send']>[0];

/**
 * A NotificationService that records what it is asked to send, and can be
 * told to fail, as the notifications backend does when it is unreachable.
 */
export class RecordingNotifications implements NotificationService {
  readonly sent: SentNotification[] = [];
  /** How many of the next sends fail. */
  failNext = 0;

  async send(options: SentNotification): Promise<void> {
    // Let concurrent callers interleave here, as a network call would.
    await new Promise(resolve => setImmediate(resolve));
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('notifications backend unavailable');
    }
    this.sent.push(options);
  }

  /** The titles sent to one recipient, in order. */
  titlesFor(entityRef: string): string[] {
    return this.sent
      .filter(
        n =>
          n.recipients.type === 'entity' &&
          [n.recipients.entityRef].flat().includes(entityRef),
      )
      .map(n => n.payload.title);
  }
}
