import {
  Alert,
  Incident,
  IncidentImportDocument,
  PostmortemTemplate,
  TimelineEntry,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { builtinTemplates } from '../services/builtinTemplates';
import {
  assembleEvidence,
  EvidenceBundle,
} from '../generation/evidence/EvidenceBundle';
import { Scrubber } from '../generation/evidence/Scrubber';

/** The built-in Standard template, as the store would serve it. */
export const standardTemplate: PostmortemTemplate = {
  id: 'template-standard',
  name: builtinTemplates[0].name,
  description: builtinTemplates[0].description,
  sections: builtinTemplates[0].sections,
  action_item_categories: builtinTemplates[0].actionItemCategories,
  is_builtin: true,
  is_active: true,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
};

/** An import document as the API would serve it after import, without a database. */
export function incidentFromDocument(doc: IncidentImportDocument, number = 1) {
  const i = doc.incident;
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
    source: 'test',
    external_id: null,
    triggered_at: new Date(i.triggered_at).toISOString(),
    acknowledged_at: i.acknowledged_at
      ? new Date(i.acknowledged_at).toISOString()
      : null,
    resolved_at: i.resolved_at ? new Date(i.resolved_at).toISOString() : null,
    canceled_at: i.canceled_at ? new Date(i.canceled_at).toISOString() : null,
    created_by: null,
    created_at: i.triggered_at,
    updated_at: i.triggered_at,
  };
  const timeline: TimelineEntry[] = doc.timeline.map((e, k) => ({
    id: `e${k + 1}`,
    incident_id: incident.id,
    type: e.type,
    actor: e.actor ?? null,
    timestamp: new Date(e.timestamp).toISOString(),
    content: e.content,
    created_at: e.timestamp,
  }));
  const alerts: Alert[] = (doc.alerts ?? []).map((a, k) => ({
    id: `a${k + 1}`,
    source: a.source,
    external_id: null,
    severity: a.severity,
    status: a.resolved_at ? 'resolved' : 'firing',
    title: a.title,
    description: a.description ?? null,
    labels: a.labels ?? {},
    fired_at: new Date(a.fired_at).toISOString(),
    acknowledged_at: a.acknowledged_at
      ? new Date(a.acknowledged_at).toISOString()
      : null,
    resolved_at: a.resolved_at ? new Date(a.resolved_at).toISOString() : null,
    created_at: a.fired_at,
  }));
  return { incident, timeline, alerts };
}

export function evidenceFromDocument(
  doc: IncidentImportDocument,
  template: PostmortemTemplate = standardTemplate,
): EvidenceBundle {
  const { incident, timeline, alerts } = incidentFromDocument(doc);
  return assembleEvidence({
    incident,
    timeline,
    alerts,
    template,
    scrubber: new Scrubber(),
  });
}

/** A long incident: `count` entries over a day, mostly chatter, with the key events in between. */
export function longIncident(count: number): IncidentImportDocument {
  const start = Date.parse('2026-10-01T00:00:00Z');
  const step = Math.floor((24 * 3_600_000) / count);
  const at = (k: number) => new Date(start + k * step).toISOString();
  const timeline: IncidentImportDocument['timeline'] = [];
  for (let k = 0; k < count; k++) {
    if (k === 0)
      timeline.push({
        type: 'incident_created',
        timestamp: at(k),
        content: { title: 'Long outage', severity: 'high' },
      });
    else if (k === Math.floor(count / 3))
      timeline.push({
        type: 'deploy',
        timestamp: at(k),
        content: {
          service: 'checkout-api',
          version: '9.9.9',
          description: 'the suspected change',
        },
      });
    else if (k === Math.floor(count / 2))
      timeline.push({
        type: 'severity_changed',
        timestamp: at(k),
        content: { from: 'high', to: 'critical' },
      });
    else if (k === count - 1)
      timeline.push({
        type: 'status_changed',
        timestamp: at(k),
        content: { from: 'acknowledged', to: 'resolved' },
      });
    else
      timeline.push({
        type: 'slack_message',
        actor: `Person ${k % 7}`,
        timestamp: at(k),
        content: {
          text: `checking dashboards, message ${k} from 10.1.${
            k % 250
          }.7 about the latency graph and the error budget`,
        },
      });
  }
  return {
    incident: {
      title: 'Long outage',
      severity: 'critical',
      status: 'resolved',
      services: ['component:default/checkout-api'],
      triggered_at: at(0),
      acknowledged_at: at(1),
      resolved_at: at(count - 1),
    },
    timeline,
    alerts: [],
  };
}
