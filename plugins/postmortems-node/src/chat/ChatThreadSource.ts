import { ChatThreadRef } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { ChatMessage } from '../generation/evidence';

/**
 * Reads an incident's chat thread (e.g. a Slack thread) for its draft. The
 * messages it returns join the incident's timeline, once each.
 *
 * @public
 */
export interface ChatThreadSource {
  /** The chat provider it reads, as named by an incident's `chat.provider`. */
  readonly provider: ChatThreadRef['provider'];
  /**
   * The thread's messages within the incident's time window. Failures a
   * user can act on are thrown as GenerationError.
   */
  fetch(
    chat: ChatThreadRef,
    window: { from: string; to: string | null },
  ): Promise<ChatMessage[]>;
}
