import {
  Alert,
  Incident,
  PostmortemTemplate,
  TimelineEntry,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { Scrubber } from './Scrubber';

/** One event of the incident as the generator sees it, already scrubbed. */
export interface EvidenceEntry {
  /** Timeline entry id, or `slack:<ts>` for messages fetched from Slack. */
  id: string;
  at: string;
  type: string;
  actor: string | null;
  text: string;
}

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
export interface ChatMessage {
  ts: string;
  at: string;
  user: string;
  text: string;
}

/** Everything a draft may be made from, and nothing else. */
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
}

/** Builds the evidence bundle of one incident; every text goes through the scrubber. */
export function assembleEvidence(input: {
  incident: Incident;
  timeline: TimelineEntry[];
  alerts: Alert[];
  template: PostmortemTemplate;
  /** Messages fetched from the chat thread; they replace `slack_message` entries. */
  chat?: ChatMessage[];
  scrubber: Scrubber;
}): EvidenceBundle {
  const { incident, scrubber } = input;
  const fetched = input.chat;
  const entries: EvidenceEntry[] = [];

  for (const entry of input.timeline) {
    if (fetched && entry.type === 'slack_message') {
      continue;
    }
    entries.push({
      id: entry.id,
      at: entry.timestamp,
      type: entry.type,
      actor: entry.actor ? scrubber.scrub(entry.actor) : null,
      text: scrubber.scrub(describeEntry(entry)),
    });
  }
  for (const message of fetched ?? []) {
    entries.push({
      id: `slack:${message.ts}`,
      at: message.at,
      type: 'slack_message',
      actor: scrubber.scrub(message.user),
      text: scrubber.scrub(message.text),
    });
  }
  entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));

  const people = new Set<string>();
  const addPerson = (name: string | null | undefined) => {
    if (!name) return;
    people.add(name);
    const ref = /^user:(?:[^/]+\/)?(.+)$/.exec(name);
    if (ref) people.add(displayNameOf(ref[1]));
  };
  addPerson(incident.commander);
  for (const entry of entries) {
    addPerson(entry.actor);
    if (entry.type === 'commander_assigned')
      addPerson(entry.text.replace(/^.*: /, ''));
  }

  return {
    incident: {
      id: incident.id,
      reference: incident.reference,
      title: scrubber.scrub(incident.title),
      description: incident.description
        ? scrubber.scrub(incident.description)
        : null,
      summary: incident.summary ? scrubber.scrub(incident.summary) : null,
      severity: incident.severity,
      status: incident.status,
      commander: incident.commander,
      services: incident.services,
      triggered_at: incident.triggered_at,
      acknowledged_at: incident.acknowledged_at,
      resolved_at: incident.resolved_at,
      canceled_at: incident.canceled_at,
    },
    entries,
    alerts: input.alerts.map(alert => ({
      id: alert.id,
      title: scrubber.scrub(alert.title),
      source: alert.source,
      severity: alert.severity,
      fired_at: alert.fired_at,
      acknowledged_at: alert.acknowledged_at,
      resolved_at: alert.resolved_at,
    })),
    template: input.template,
    people: [...people].filter(p => !p.startsWith('service:')),
    scrubbed: scrubber.report(),
    chatSource: chatSourceOf(fetched, input.timeline),
  };
}

function chatSourceOf(
  fetched: ChatMessage[] | undefined,
  timeline: TimelineEntry[],
): EvidenceBundle['chatSource'] {
  if (fetched) return 'slack';
  return timeline.some(e => e.type === 'slack_message') ? 'timeline' : 'none';
}

/** `alice.nguyen` -> `Alice Nguyen`: how a user ref's name reads in prose. */
export function displayNameOf(name: string): string {
  return name
    .split(/[._-]+/)
    .filter(Boolean)
    .map(part => part[0].toUpperCase() + part.slice(1))
    .join(' ');
}

/** One line of prose for a timeline entry, from its typed content. */
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

/** `2026-09-15 10:42:07 UTC`: every time in evidence and drafts has its date. */
export function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** `2 h 14 min` between two instants. */
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
