import {
  ProviderStatus,
  TemplateSection,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { EvidenceBundle, EvidenceEntry, formatDuration, formatTime } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { Draft, DraftProvider, DraftRequest, DraftSection } from '@postmortems-oss/backstage-plugin-postmortems-node';

const SKELETON_NOTE =
  '> _Automatic skeleton: the facts below come straight from the incident record (timeline, alerts, chat). ' +
  'Sections that need judgement hold the template’s questions for the author. Configure a model for a written draft._';

/** Timeline entries shown in full in the Timeline table before it is condensed. */
const MAX_TABLE_ROWS = 80;

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
    return { sections, actionItems: [], generatedBy: 'deterministic' };
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
  const end = i.resolved_at ?? i.canceled_at;
  const affecting = i.services.length
    ? ` affecting ${i.services.map(svc => `\`${svc}\``).join(', ')}`
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
  if (i.commander) facts.push(`Incident commander: ${i.commander}.`);
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

function timeline(evidence: EvidenceBundle) {
  const rows = evidence.entries;
  const important = rows.filter(
    e => e.type !== 'message' && e.type !== 'slack_message',
  );
  const shown = rows.length <= MAX_TABLE_ROWS ? rows : important;
  const table = [
    '| Time (UTC) | Event | Who |',
    '| --- | --- | --- |',
    ...shown.map(
      e =>
        `| ${formatTime(e.at).replace(' UTC', '')} | ${cell(
          eventText(e),
        )} | ${cell(e.actor ?? '')} |`,
    ),
  ];
  const note =
    shown.length < rows.length
      ? `\n\n_${
          rows.length - shown.length
        } chat messages are not listed; the full timeline is on the incident._`
      : '';
  return { markdown: table.join('\n') + note, evidence: shown.map(e => e.id) };
}

function detection(evidence: EvidenceBundle) {
  const i = evidence.incident;
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
  const deploys = evidence.entries.filter(e => e.type === 'deploy');
  if (deploys.length) {
    lines.push('', 'Deploys during the incident:', '');
    for (const d of deploys) {
      lines.push(`- ${formatTime(d.at)}: ${md(d.text)}`);
      used.push(d.id);
    }
  }
  const last = [...evidence.entries]
    .reverse()
    .find(e => e.type === 'message' || e.type === 'slack_message');
  if (
    last &&
    i.resolved_at &&
    Date.parse(last.at) <= Date.parse(i.resolved_at) + 3_600_000
  ) {
    lines.push(
      '',
      `Last message before closing (${formatTime(last.at)}${
        last.actor ? `, ${md(last.actor)}` : ''
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
        ? i.services.map(s => `\`${s}\``).join(', ')
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

function changesAndQuestions(
  evidence: EvidenceBundle,
  section: TemplateSection,
) {
  const deploys = evidence.entries.filter(e => e.type === 'deploy');
  const lines: string[] = [];
  if (deploys.length && section.key === 'root_cause') {
    lines.push(
      'Changes recorded during the incident (a starting point, not a conclusion):',
      '',
    );
    for (const d of deploys) lines.push(`- ${formatTime(d.at)}: ${md(d.text)}`);
    lines.push('');
  }
  lines.push(questions(section));
  return { markdown: lines.join('\n'), evidence: deploys.map(d => d.id) };
}

function questions(section: TemplateSection): string {
  if (!section.guiding_questions.length)
    return '_To be written by the author._';
  return section.guiding_questions.map(q => `- _${q}_`).join('\n');
}

function eventText(entry: EvidenceEntry): string {
  return entry.type === 'slack_message' || entry.type === 'message'
    ? `Chat: ${entry.text}`
    : entry.text;
}

function cell(text: string): string {
  return md(text.slice(0, 300));
}

/**
 * Incident text (titles, chat, alert names, actors) is data: escaped so that
 * it reads as it was written and cannot add links, images, HTML, emphasis or
 * table cells to the draft. Line breaks are folded, since every use is inline.
 */
function md(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#!|<>~]/g, '\\$&')
    .replace(/\s+/g, ' ')
    .trim();
}
