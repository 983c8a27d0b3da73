import {
  Alert,
  DEFAULT_CAUSE_CATEGORIES,
  Incident,
  IncidentImportDocument,
  PostmortemTemplate,
  TimelineEntry,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { builtinTemplates } from '../services/builtinTemplates';
import { EvidenceBundle } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { assembleEvidence } from './evidence/EvidenceBundle';
import { Scrubber, ScrubPatternConfig } from './evidence/Scrubber';

/**
 * Drafting without a database or a running backend: an import document
 * becomes the incident, timeline and alerts the API would serve after an
 * import. Used by the command-line dry run, the evaluation and benchmarks.
 */

/**
 * A built-in template by name, as the store would serve it.
 *
 * @public
 */
export function builtinTemplate(name = 'Standard'): PostmortemTemplate {
  const template = builtinTemplates.find(
    t => t.name.toLowerCase() === name.toLowerCase(),
  );
  if (!template) {
    throw new Error(
      `No built-in template "${name}"; choose one of ${builtinTemplates
        .map(t => t.name)
        .join(', ')}`,
    );
  }
  return {
    id: `builtin-${template.name.toLowerCase()}`,
    name: template.name,
    description: template.description,
    sections: template.sections,
    action_item_categories: template.actionItemCategories,
    cause_categories: template.causeCategories ?? [...DEFAULT_CAUSE_CATEGORIES],
    reviewers: [],
    is_builtin: true,
    is_active: template.name === 'Standard',
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
  };
}

/** @public */
export function incidentFromDocument(
  doc: IncidentImportDocument,
  number = doc.incident.number ?? 1,
) {
  const i = doc.incident;
  const iso = (value: string) => new Date(value).toISOString();
  const incident: Incident = {
    id: `incident-${number}`,
    number,
    reference: `INC-${number}`,
    title: i.title,
    description: i.description ?? null,
    severity: i.severity,
    status: i.status,
    summary: i.summary ?? null,
    commander: i.commander ?? null,
    services: i.services ?? [],
    chat: i.chat ?? null,
    source: i.source ?? 'import',
    external_id: i.external_id ?? null,
    triggered_at: iso(i.triggered_at),
    acknowledged_at: i.acknowledged_at ? iso(i.acknowledged_at) : null,
    resolved_at: i.resolved_at ? iso(i.resolved_at) : null,
    canceled_at: i.canceled_at ? iso(i.canceled_at) : null,
    created_by: null,
    created_at: iso(i.triggered_at),
    updated_at: iso(i.triggered_at),
  };
  const timeline: TimelineEntry[] = doc.timeline
    .map((e, k) => ({
      id: `e${k + 1}`,
      incident_id: incident.id,
      type: e.type,
      actor: e.actor ?? null,
      timestamp: iso(e.timestamp),
      content: e.content,
      created_at: iso(e.timestamp),
    }))
    .sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  const alerts: Alert[] = (doc.alerts ?? []).map((a, k) => ({
    id: `a${k + 1}`,
    source: a.source,
    external_id: a.external_id ?? null,
    severity: a.severity,
    status: a.resolved_at ? 'resolved' : 'firing',
    title: a.title,
    description: a.description ?? null,
    labels: a.labels ?? {},
    fired_at: iso(a.fired_at),
    acknowledged_at: a.acknowledged_at ? iso(a.acknowledged_at) : null,
    resolved_at: a.resolved_at ? iso(a.resolved_at) : null,
    created_at: iso(a.fired_at),
  }));
  return { incident, timeline, alerts };
}

/**
 * The evidence bundle of an import document.
 *
 * @public
 */
export function evidenceFromDocument(
  doc: IncidentImportDocument,
  template: PostmortemTemplate = builtinTemplate(),
  scrubPatterns: ScrubPatternConfig[] = [],
): EvidenceBundle {
  const { incident, timeline, alerts } = incidentFromDocument(doc);
  return assembleEvidence({
    incident,
    timeline,
    alerts,
    template,
    scrubber: new Scrubber(scrubPatterns),
  });
}
