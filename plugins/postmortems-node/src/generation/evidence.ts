import {
  PostmortemTemplate,
  TimelineCuration,
  TimelineEntry,
} from '@postmortems-oss/backstage-plugin-postmortems-common';

/** One event of the incident as the generator sees it, already scrubbed. */
/** @public */
export interface EvidenceEntry {
  /** Timeline entry id, or `slack:<ts>` for messages fetched from Slack. */
  id: string;
  at: string;
  type: string;
  actor: string | null;
  text: string;
  /**
   * How the post-mortem's authors curated the entry: hidden entries (and
   * noise, hidden by default) are left out of the Timeline section, pinned
   * ones are always kept, key moments are marked. Absent for messages read
   * from the chat thread rather than the timeline.
   */
  curation?: Pick<TimelineCuration, 'hidden' | 'pinned' | 'key_moment'>;
}

/** @public */
export interface EvidenceAlert {
  id: string;
  title: string;
  source: string;
  severity: string;
  fired_at: string;
  acknowledged_at: string | null;
  resolved_at: string | null;
}

/** A chat message from the incident's thread (Slack), before scrubbing. */
/** @public */
export interface ChatMessage {
  ts: string;
  at: string;
  user: string;
  text: string;
}

/** Everything a draft may be made from, and nothing else. */
/** @public */
export interface EvidenceBundle {
  incident: {
    id: string;
    reference: string;
    title: string;
    description: string | null;
    summary: string | null;
    severity: string;
    status: string;
    commander: string | null;
    services: string[];
    triggered_at: string;
    acknowledged_at: string | null;
    resolved_at: string | null;
    canceled_at: string | null;
  };
  /** The whole timeline and chat thread, in time order. */
  entries: EvidenceEntry[];
  alerts: EvidenceAlert[];
  template: PostmortemTemplate;
  /** The names of people the evidence gives; the only ones a draft may name. */
  people: string[];
  /** What was scrubbed, by kind. */
  scrubbed: Record<string, number>;
  /** Where the chat came from. */
  chatSource: 'slack' | 'timeline' | 'none';
  /**
   * How each catalog entity the evidence mentions (commander, actors,
   * services) reads in prose, by its lower-case ref. Drafts name entities
   * through it, never by their raw ref.
   */
  entities?: Record<string, EntityName>;
  /**
   * Earlier published post-mortems related to this incident (same or related
   * services, similar causes), most related first. Context for the author:
   * a draft may point at them, never take their facts as this incident's.
   */
  related?: RelatedEvidence[];
}

/**
 * An earlier, published post-mortem related to the incident being drafted.
 *
 * @public
 */
export interface RelatedEvidence {
  /** Its incident's reference, `INC-12`. */
  reference: string;
  title: string;
  /** Its page in the portal, `/postmortems/incidents/INC-12`. */
  link: string;
  published_at: string | null;
  /** Why it was matched, in words ("Same service: payments-service"). */
  why: string[];
  /** The start of its summary and root cause, scrubbed like the evidence. */
  summary: string;
}

/**
 * A catalog entity as a draft names it: its display name, and the path of its
 * page in the catalog when the catalog knows it.
 *
 * @public
 */
export interface EntityName {
  ref: string;
  title: string;
  link: string | null;
}

/**
 * `alice.nguyen` -> `Alice Nguyen`: how a user ref's name reads in prose.
 *
 * @public
 */
export function displayNameOf(name: string): string {
  return name
    .split(/[._-]+/)
    .filter(Boolean)
    .map(part => part[0].toUpperCase() + part.slice(1))
    .join(' ');
}

/**
 * One line of prose for a timeline entry, from its typed content.
 *
 * @public
 */
export function describeEntry(
  entry: Pick<TimelineEntry, 'type' | 'content'>,
): string {
  const c = entry.content as Record<string, any>;
  switch (entry.type) {
    case 'incident_created':
      return `Incident declared: ${c.title ?? ''}${
        c.severity ? ` (severity ${c.severity})` : ''
      }`;
    case 'status_changed':
      return `Status changed from ${c.from} to ${c.to}`;
    case 'severity_changed':
      return `Severity changed from ${c.from} to ${c.to}`;
    case 'commander_assigned':
      return `Incident commander: ${c.commander}`;
    case 'alert_linked':
      return `Alert linked: ${c.alert_title ?? c.title ?? ''}${
        c.source ? ` (${c.source})` : ''
      }`;
    case 'alert_acknowledged':
      return `Alert acknowledged: ${c.alert_title ?? c.title ?? ''}`;
    case 'deploy':
      return `Deploy of ${c.service ?? 'a service'}${
        c.version ? ` ${c.version}` : ''
      }${c.description ? `: ${c.description}` : ''}`;
    case 'message':
    case 'slack_message':
      return String(c.text ?? '');
    case 'postmortem_created':
      return 'Post-mortem started';
    case 'postmortem_published':
      return 'Post-mortem published';
    default:
      return typeof c.text === 'string' ? c.text : JSON.stringify(c);
  }
}

/**
 * `2026-09-15 10:42:07 UTC`: every time in evidence and drafts has its date.
 *
 * @public
 */
export function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/**
 * `2 h 14 min` between two instants.
 *
 * @public
 */
export function formatDuration(fromIso: string, toIso: string): string {
  const minutes = Math.max(
    0,
    Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 60_000),
  );
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 48) return rest ? `${hours} h ${rest} min` : `${hours} h`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}
