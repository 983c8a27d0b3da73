import {
  Alert,
  Incident,
  PostmortemTemplate,
  TimelineEntry,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  ChatMessage,
  EntityName,
  EvidenceBundle,
  EvidenceEntry,
  RelatedEvidence,
  describeEntry,
  displayNameOf,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
import { Scrubber } from './Scrubber';
import { fallbackName, refsOfIncident } from './entityNames';
import { curationOf, StoredCuration } from '../../services/timelineNoise';

/** Builds the evidence bundle of one incident; every text goes through the scrubber. */
export function assembleEvidence(input: {
  incident: Incident;
  timeline: TimelineEntry[];
  alerts: Alert[];
  template: PostmortemTemplate;
  /** Messages fetched from the chat thread; they replace `slack_message` entries. */
  chat?: ChatMessage[];
  scrubber: Scrubber;
  /** Display names of the entities the incident mentions (from the catalog). */
  entities?: Record<string, EntityName>;
  /** Authors' curation by entry id; without it, the noise rule alone. */
  curation?: Map<string, StoredCuration>;
  /** Earlier post-mortems related to the incident, as context. */
  related?: RelatedEvidence[];
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
      curation: curationOf(entry, input.curation?.get(entry.id)),
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
  sortByTime(entries);

  const entities: Record<string, EntityName> = {};
  for (const ref of refsOfIncident(incident, input.timeline)) {
    entities[ref] = input.entities?.[ref] ?? fallbackName(ref);
  }

  const people = new Set<string>();
  // A name adds the same people every time, so each is read once: a long
  // incident has 100,000 entries by a handful of actors.
  const read = new Set<string>();
  const addPerson = (name: string | null | undefined) => {
    if (!name || read.has(name)) return;
    read.add(name);
    people.add(name);
    const ref = /^user:(?:[^/]+\/)?(.+)$/.exec(name);
    if (ref) people.add(displayNameOf(ref[1]));
    const known = entities[name.toLowerCase()];
    if (known) people.add(known.title);
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
    entities,
    related: input.related?.map(r => ({
      ...r,
      title: scrubber.scrub(r.title),
      summary: scrubber.scrub(r.summary),
    })),
  };
}

/**
 * Puts entries in time order in place, as
 * `entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at))` does, but
 * parses each time once rather than at every comparison, and leaves a
 * timeline that is already in order (as the store and the import serve it)
 * as it is: a stable sort of ordered entries changes nothing. Times that do
 * not parse make that comparator inconsistent, so then the entries are
 * sorted with it, over their indices, which is the same sort with the same
 * comparisons.
 */
function sortByTime(entries: EvidenceEntry[]): void {
  const n = entries.length;
  const times = new Float64Array(n);
  let ordered = true;
  for (let i = 0; i < n; i++) {
    const time = Date.parse(entries[i].at);
    times[i] = time;
    if (Number.isNaN(time) || (i > 0 && time < times[i - 1])) ordered = false;
  }
  if (ordered) return;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => times[a] - times[b],
  );
  const copy = entries.slice();
  for (let i = 0; i < n; i++) entries[i] = copy[order[i]];
}

function chatSourceOf(
  fetched: ChatMessage[] | undefined,
  timeline: TimelineEntry[],
): EvidenceBundle['chatSource'] {
  if (fetched) return 'slack';
  return timeline.some(e => e.type === 'slack_message') ? 'timeline' : 'none';
}
