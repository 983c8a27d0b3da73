import {
  TimelineCuration,
  TimelineEntry,
} from '@postmortems-oss/backstage-plugin-postmortems-common';

/** Why the noise rule takes an entry for chatter. */
export type NoiseKind = NonNullable<TimelineCuration['noise']>;

/*
 * The noise rule. Only chat lines (`message`, `slack_message`) can be noise;
 * events the incident tool recorded (status, severity, deploys, alerts) never
 * are. A chat line is noise when it is
 *
 * - `bot`: written by a bot: a Slack bot message (`subtype: bot_message` or a
 *   `bot_id`), or an author named like one ("deploybot", "Jenkins Bot",
 *   "dependabot[bot]");
 * - `join_leave`: someone joining or leaving the channel ("has joined the
 *   channel", Slack's `channel_join`/`channel_leave`);
 * - `emoji`: emoji, `:shortcodes:` and punctuation only ("🔥🔥", ":eyes:");
 * - `reaction`: a very short reaction that carries no fact ("+1", "ok",
 *   "thanks", "same") or a laugh in a short line ("lol", "haha nice one",
 *   "lmao that graph 😂").
 *
 * Anything longer than a short line is never a reaction: "lol, the retry
 * storm doubled the load on the primary" says something. The rule only sets
 * the default: noise is hidden until an author shows it, and an author can
 * hide any entry.
 */

/** A laugh in a short line is a joke, not a fact. */
const LAUGH =
  /(^|[^a-z])(lo+l(ol)*|lmao+|rofl|(ha){2,}h?|(he){2,}|xd)([^a-z]|$)|😂|🤣|😆|😅/i;
/** Reactions that say nothing by themselves, whole line. */
const REACTION =
  /^(\+1|-1|ok(ay)?|k+|kk|thanks?( you)?|thx|ty|nice( one)?|cool|great|yes|yep|yeah|no|nope|same|wow|oof|ugh|omg|lgtm|\^+|this)$/i;
/** Laughs make a line noise only when it is this short (in words). */
const SHORT_LINE_WORDS = 6;
const JOIN_LEAVE =
  /^(<@[^>]+>\s*)?(\S+\s+){0,3}has (joined|left) the (channel|conversation)\.?$/i;
const BOT_NAME = /(bot|\[bot\])$|(^|[\s._-])bot([\s._-]|$)/i;
const EMOJI_ONLY =
  /^(?:[\s\p{P}\p{S}\p{Extended_Pictographic}\u200d\ufe0f]|:[a-z0-9_+-]+:)+$/iu;

/** The rule's verdict on one timeline entry: why it is noise, or null. */
export function noiseOf(
  entry: Pick<TimelineEntry, 'type' | 'actor' | 'content'>,
): NoiseKind | null {
  if (entry.type !== 'message' && entry.type !== 'slack_message') return null;
  const content = (entry.content ?? {}) as Record<string, unknown>;
  const subtype = typeof content.subtype === 'string' ? content.subtype : '';
  if (subtype === 'channel_join' || subtype === 'channel_leave') {
    return 'join_leave';
  }
  if (
    subtype === 'bot_message' ||
    typeof content.bot_id === 'string' ||
    (entry.actor && BOT_NAME.test(entry.actor.trim()))
  ) {
    return 'bot';
  }
  const text = typeof content.text === 'string' ? content.text.trim() : '';
  if (!text) return null;
  if (JOIN_LEAVE.test(text)) return 'join_leave';
  if (EMOJI_ONLY.test(text)) return 'emoji';
  const words = text.split(/\s+/).length;
  const bare = text.replace(/[\s!.?,]+$/u, '').replace(/\s+/g, ' ');
  if (REACTION.test(bare)) return 'reaction';
  if (words <= SHORT_LINE_WORDS && LAUGH.test(text)) return 'reaction';
  return null;
}

/** What an author decided about an entry, as stored. */
export interface StoredCuration {
  /** null: as the noise rule says. */
  hidden: boolean | null;
  pinned: boolean;
  keyMoment: TimelineCuration['key_moment'];
}

/** An entry's curation: the author's choices over the noise rule's default. */
export function curationOf(
  entry: Pick<TimelineEntry, 'type' | 'actor' | 'content'>,
  stored: StoredCuration | undefined,
): TimelineCuration {
  const noise = noiseOf(entry);
  const byAuthor = stored?.hidden !== null && stored?.hidden !== undefined;
  return {
    // A pinned entry or a key moment is shown unless an author hid it.
    hidden: byAuthor
      ? Boolean(stored!.hidden)
      : noise !== null && !stored?.pinned && !stored?.keyMoment,
    pinned: stored?.pinned ?? false,
    key_moment: stored?.keyMoment ?? null,
    noise,
    hidden_by_author: byAuthor,
  };
}
