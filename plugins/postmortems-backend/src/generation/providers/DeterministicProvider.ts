import {
  ProviderStatus,
  TemplateSection,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  Draft,
  DraftProvider,
  DraftRequest,
  DraftSection,
  EvidenceBundle,
  EvidenceEntry,
  formatDuration,
  formatTime,
  RelatedEvidence,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
import { followUpCandidates } from '../evidence/followUps';
import { suspectedChanges } from '../evidence/suspectedChanges';
import { entityLink, firstWords, inline } from './draftMarkdown';

const SKELETON_NOTE =
  '> _Automatic skeleton: the facts below come straight from the incident record (timeline, alerts, chat). ' +
  'Sections that need judgement hold the template’s questions for the author. Configure a model for a written draft._';

/** Timeline entries shown in full in the Timeline table before it is condensed. */
const MAX_TABLE_ROWS = 80;
/** Chat longer than this is quoted in full under the table, not in its cell. */
const LONG_CHAT_CHARS = 200;
/** How much of a long message its table cell shows. */
const CELL_PREVIEW_CHARS = 120;

/**
 * Drafts a post-mortem without a model, from the evidence alone: an exact
 * timeline, detection and resolution facts with their durations, a factual
 * summary, and the template's guiding questions where judgement is needed.
 * It invents nothing, so it is always available and always safe.
 */
export class DeterministicProvider implements DraftProvider {
  readonly kind = 'deterministic' as const;

  status(): ProviderStatus {
    return {
      provider: 'deterministic',
      model: null,
      base_url: null,
      configured: true,
    };
  }

  async testConnection() {
    return {
      ok: true,
      message: 'The deterministic drafter needs no connection.',
    };
  }

  async draft(request: DraftRequest): Promise<Draft> {
    const { evidence } = request;
    const wanted = request.sectionKeys
      ? new Set(request.sectionKeys)
      : undefined;
    const sections: DraftSection[] = [];
    let first = true;
    for (const section of evidence.template.sections) {
      if (wanted && !wanted.has(section.key)) continue;
      if (request.mode === 'enhance') {
        // Without a model there is nothing to rewrite; keep the author's text.
        const current = request.current?.find(s => s.key === section.key);
        if (current) {
          sections.push({
            key: current.key,
            title: current.title,
            markdown: current.markdown,
            evidence: [],
          });
          continue;
        }
      }
      const drafted = draftSection(section, evidence);
      if (first && !wanted) {
        drafted.markdown = `${SKELETON_NOTE}\n\n${drafted.markdown}`;
      }
      first = false;
      sections.push(drafted);
      await request.onSection?.(drafted);
    }
    return {
      sections,
      // Candidates come with a whole draft; a section or an enhancement
      // proposes nothing.
      actionItems:
        request.mode === 'draft' && !wanted ? followUpCandidates(evidence) : [],
      generatedBy: 'deterministic',
    };
  }
}

function draftSection(
  section: TemplateSection,
  evidence: EvidenceBundle,
): DraftSection {
  const base = { key: section.key, title: section.title };
  switch (section.key) {
    case 'summary':
      return { ...base, ...summary(evidence) };
    case 'timeline':
      return { ...base, ...timeline(evidence) };
    case 'detection':
      return { ...base, ...detection(evidence) };
    case 'resolution':
      return { ...base, ...resolution(evidence) };
    case 'impact':
      return { ...base, ...impact(evidence, section) };
    case 'root_cause':
    case 'contributing_factors':
      return { ...base, ...changesAndQuestions(evidence, section) };
    default:
      return { ...base, markdown: questions(section), evidence: [] };
  }
}

function summary(evidence: EvidenceBundle) {
  const i = evidence.incident;
  const md = markdownOf(evidence);
  const end = i.resolved_at ?? i.canceled_at;
  const affecting = i.services.length
    ? ` affecting ${i.services
        .map(svc => entityLink(svc, evidence.entities))
        .join(', ')}`
    : '';
  const milestones = [
    `It was triggered at ${formatTime(i.triggered_at)}`,
    i.acknowledged_at
      ? `, acknowledged at ${formatTime(i.acknowledged_at)}`
      : '',
    i.resolved_at ? ` and resolved at ${formatTime(i.resolved_at)}` : '',
    i.canceled_at ? ` and canceled at ${formatTime(i.canceled_at)}` : '',
    end
      ? `, ${formatDuration(i.triggered_at, end)} in all.`
      : '; it is not resolved yet.',
  ].join('');
  const facts = [
    `**${i.reference} ${md(i.title)}** was a **${
      i.severity
    }**-severity incident${affecting}.`,
    milestones,
  ];
  if (i.commander) {
    facts.push(`Incident commander: ${personLink(i.commander, evidence)}.`);
  }
  const paragraphs = [facts.join(' ')];
  if (i.summary)
    paragraphs.push(`Summary recorded during the incident: ${md(i.summary)}`);
  else if (i.description) paragraphs.push(`Description: ${md(i.description)}`);
  const created = evidence.entries.find(e => e.type === 'incident_created');
  return {
    markdown: paragraphs.join('\n\n'),
    evidence: created ? [created.id] : [],
  };
}

const KEY_MOMENT_LABELS: Record<string, string> = {
  detected: 'Detected',
  acknowledged: 'Acknowledged',
  mitigated: 'Mitigated',
  resolved: 'Resolved',
};

/**
 * The Timeline table, from the curated timeline: entries the authors hid
 * (and chatter, hidden by default) are left out, key moments are marked, and
 * pinned entries are kept even when a long timeline is condensed to its
 * events. The time alone, with the date on the first row and whenever it
 * changes; every entry's text whole. Long chat messages would make giant
 * rows, so their cell shows the first words and the message is quoted in
 * full under the table.
 */
function timeline(evidence: EvidenceBundle) {
  const rows = evidence.entries.filter(e => !e.curation?.hidden);
  const hidden = evidence.entries.length - rows.length;
  const kept = (e: EvidenceEntry) =>
    !isChat(e) || Boolean(e.curation?.pinned || e.curation?.key_moment);
  const shown = rows.length <= MAX_TABLE_ROWS ? rows : rows.filter(kept);
  const quoted: string[] = [];
  let lastDate = '';
  const table = [
    '| Time (UTC) | Event | Who |',
    '| --- | --- | --- |',
    ...shown.map(e => {
      const date = e.at.slice(0, 10);
      const time = formatTime(e.at).slice(11, 16);
      const when = date === lastDate ? time : `${date} ${time}`;
      lastDate = date;
      let event = inline(eventText(e), evidence.entities, { inTable: true });
      if (isChat(e) && e.text.length > LONG_CHAT_CHARS) {
        quoted.push(
          `> **${when}${
            e.actor ? ` ${actorName(e.actor, evidence)}` : ''
          }:** ${inline(e.text, evidence.entities)}`,
        );
        event = `${inline(
          `Chat: ${firstWords(e.text, CELL_PREVIEW_CHARS)}`,
          evidence.entities,
          { inTable: true },
        )} _(in full below)_`;
      }
      const moment = e.curation?.key_moment;
      if (moment) event = `**${KEY_MOMENT_LABELS[moment]}:** ${event}`;
      return `| ${when} | ${event} | ${
        e.actor ? actorName(e.actor, evidence) : ''
      } |`;
    }),
  ];
  const parts = [table.join('\n')];
  const moments = keyMoments(evidence, shown);
  if (moments) parts.unshift(moments);
  if (quoted.length) {
    parts.push(`Long messages, in full:\n\n${quoted.join('\n>\n')}`);
  }
  if (shown.length < rows.length) {
    parts.push(
      `_${
        rows.length - shown.length
      } chat messages are not listed; the full timeline is on the incident._`,
    );
  }
  if (hidden > 0) {
    parts.push(
      `_${hidden} ${
        hidden === 1 ? 'entry is' : 'entries are'
      } hidden from this timeline (chatter, or hidden by the authors); the full timeline is on the incident._`,
    );
  }
  return { markdown: parts.join('\n\n'), evidence: shown.map(e => e.id) };
}

/** The marked key moments in order, each with its time from the trigger. */
function keyMoments(evidence: EvidenceBundle, shown: EvidenceEntry[]) {
  const triggered = evidence.incident.triggered_at;
  const marked = Object.keys(KEY_MOMENT_LABELS)
    .map(kind => shown.find(e => e.curation?.key_moment === kind))
    .filter((e): e is EvidenceEntry => Boolean(e));
  if (!marked.length) return undefined;
  return `Key moments: ${marked
    .map(
      e =>
        `**${KEY_MOMENT_LABELS[e.curation!.key_moment!]}** at ${formatTime(
          e.at,
        ).slice(11, 16)} (${formatDuration(
          triggered,
          e.at,
        )} after the trigger)`,
    )
    .join(' · ')}.`;
}

function detection(evidence: EvidenceBundle) {
  const i = evidence.incident;
  const md = markdownOf(evidence);
  const firstAlert = [...evidence.alerts].sort(
    (a, b) => Date.parse(a.fired_at) - Date.parse(b.fired_at),
  )[0];
  const ack = evidence.entries.find(
    e =>
      e.type === 'alert_acknowledged' ||
      (e.type === 'status_changed' && /to acknowledged/.test(e.text)),
  );
  const lines: string[] = [];
  const used: string[] = [];
  if (firstAlert) {
    lines.push(
      `- First alert: **${md(firstAlert.title)}** (${md(
        firstAlert.source,
      )}) fired at ${formatTime(firstAlert.fired_at)}.`,
    );
    lines.push(
      `- The incident was triggered at ${formatTime(
        i.triggered_at,
      )}, ${formatDuration(
        firstAlert.fired_at,
        i.triggered_at,
      )} after the first alert.`,
    );
  } else {
    lines.push(
      `- No alert is linked to this incident; it was triggered at ${formatTime(
        i.triggered_at,
      )}.`,
    );
  }
  if (ack) {
    lines.push(
      `- First acknowledgement at ${formatTime(
        ack.at,
      )}: time to acknowledge ${formatDuration(i.triggered_at, ack.at)}.`,
    );
    used.push(ack.id);
  } else if (i.acknowledged_at) {
    lines.push(
      `- Acknowledged at ${formatTime(
        i.acknowledged_at,
      )}: time to acknowledge ${formatDuration(
        i.triggered_at,
        i.acknowledged_at,
      )}.`,
    );
  }
  if (evidence.alerts.length > 1) {
    lines.push('', 'Alerts linked to the incident:', '');
    for (const alert of evidence.alerts) {
      lines.push(
        `- ${md(alert.title)} (${md(alert.source)}, ${
          alert.severity
        }), fired ${formatTime(alert.fired_at)}`,
      );
    }
  }
  for (const e of evidence.entries)
    if (e.type === 'alert_linked') used.push(e.id);
  lines.push(
    '',
    '- _Did we learn about this from our monitoring before customers noticed? What would have caught it sooner?_',
  );
  return { markdown: lines.join('\n'), evidence: used };
}

function resolution(evidence: EvidenceBundle) {
  const i = evidence.incident;
  const md = markdownOf(evidence);
  const resolved = [...evidence.entries]
    .reverse()
    .find(
      e => e.type === 'status_changed' && /to (resolved|canceled)/.test(e.text),
    );
  const lines: string[] = [];
  const used: string[] = [];
  if (i.resolved_at) {
    const fromAck = i.acknowledged_at
      ? `, ${formatDuration(
          i.acknowledged_at,
          i.resolved_at,
        )} from the acknowledgement`
      : '';
    lines.push(
      `- Resolved at ${formatTime(
        i.resolved_at,
      )}: time to resolve ${formatDuration(
        i.triggered_at,
        i.resolved_at,
      )} from the trigger${fromAck}.`,
    );
  } else if (i.canceled_at) {
    lines.push(
      `- Canceled at ${formatTime(i.canceled_at)}, ${formatDuration(
        i.triggered_at,
        i.canceled_at,
      )} after the trigger.`,
    );
  } else {
    lines.push('- The incident is not resolved yet.');
  }
  if (resolved) used.push(resolved.id);
  const deploys = evidence.entries.filter(
    e => e.type === 'deploy' && Date.parse(e.at) >= Date.parse(i.triggered_at),
  );
  if (deploys.length) {
    lines.push('', 'Deploys during the incident:', '');
    for (const d of deploys) {
      lines.push(`- ${formatTime(d.at)}: ${md(d.text)}`);
      used.push(d.id);
    }
  }
  const last = [...evidence.entries].reverse().find(isChat);
  if (
    last &&
    i.resolved_at &&
    Date.parse(last.at) <= Date.parse(i.resolved_at) + 3_600_000
  ) {
    lines.push(
      '',
      `Last message before closing (${formatTime(last.at)}${
        last.actor ? `, ${actorName(last.actor, evidence)}` : ''
      }):`,
      '',
      `> ${md(last.text)}`,
    );
    used.push(last.id);
  }
  lines.push(
    '',
    '- _What stopped the impact, and what restored normal service?_',
  );
  return { markdown: lines.join('\n'), evidence: used };
}

function impact(evidence: EvidenceBundle, section: TemplateSection) {
  const i = evidence.incident;
  const end = i.resolved_at ?? i.canceled_at;
  const lines = [
    `- Services affected: ${
      i.services.length
        ? i.services.map(s => entityLink(s, evidence.entities)).join(', ')
        : 'none recorded'
    }.`,
    `- Severity: ${i.severity}.`,
    end
      ? `- Duration: ${formatDuration(i.triggered_at, end)} (${formatTime(
          i.triggered_at,
        )} to ${formatTime(end)}).`
      : '- Still ongoing.',
    '',
    questions(section),
  ];
  return { markdown: lines.join('\n'), evidence: [] };
}

/**
 * Root cause: the changes worth looking at first, those before the incident
 * above those during it (see suspectedChanges), then the questions.
 */
function changesAndQuestions(
  evidence: EvidenceBundle,
  section: TemplateSection,
) {
  const md = markdownOf(evidence);
  const lines: string[] = [];
  const used: string[] = [];
  const changes =
    section.key === 'root_cause' ? suspectedChanges(evidence) : [];
  const before = changes.filter(c => c.when === 'before');
  const during = changes.filter(c => c.when === 'during');
  if (before.length) {
    lines.push(
      'Changes and signals before the incident began, most likely first (a starting point, not a conclusion):',
      '',
    );
    for (const c of before) {
      lines.push(`- ${formatTime(c.at)}: ${md(c.text)}`);
    }
    lines.push('');
  }
  if (during.length) {
    lines.push(
      before.length
        ? 'Changes while the incident ran (usually the mitigation, not the cause):'
        : 'No change is recorded before the incident began. Changes while it ran (usually the mitigation, not the cause):',
      '',
    );
    for (const c of during) lines.push(`- ${formatTime(c.at)}: ${md(c.text)}`);
    lines.push('');
  }
  for (const c of changes) if (!c.id.startsWith('alert:')) used.push(c.id);
  if (section.key === 'root_cause' && evidence.related?.length) {
    lines.push(...relatedPostmortems(evidence.related), '');
  }
  lines.push(questions(section));
  return { markdown: lines.join('\n'), evidence: used };
}

/**
 * Earlier post-mortems to read before concluding: whether this is a
 * recurrence, and what was already learned. Names and links only; what they
 * concluded is about other incidents.
 */
function relatedPostmortems(related: RelatedEvidence[]): string[] {
  return [
    'Earlier post-mortems that may bear on this one (is it a recurrence?):',
    '',
    ...related.map(
      r =>
        `- [${inline(`${r.reference}: ${r.title}`, undefined)}](${r.link}) (${[
          ...r.why,
          r.published_at ? `published ${r.published_at.slice(0, 10)}` : '',
        ]
          .filter(Boolean)
          .map(text => inline(text, undefined))
          .join('; ')})`,
    ),
  ];
}

function questions(section: TemplateSection): string {
  if (!section.guiding_questions.length)
    return '_To be written by the author._';
  return section.guiding_questions.map(q => `- _${q}_`).join('\n');
}

function isChat(entry: EvidenceEntry): boolean {
  return entry.type === 'slack_message' || entry.type === 'message';
}

function eventText(entry: EvidenceEntry): string {
  return isChat(entry) ? `Chat: ${entry.text}` : entry.text;
}

/** An actor as the draft names it: a catalog ref by its name, anyone else as written. */
function actorName(actor: string, evidence: EvidenceBundle): string {
  return inline(actor, evidence.entities, { inTable: true });
}

function personLink(ref: string, evidence: EvidenceBundle): string {
  return inline(ref, evidence.entities);
}

/** Incident text as inline Markdown, entity refs by name. */
function markdownOf(evidence: EvidenceBundle) {
  return (text: string) => inline(text, evidence.entities);
}
