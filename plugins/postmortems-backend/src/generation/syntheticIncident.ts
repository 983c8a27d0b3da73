import { IncidentImportDocument } from '@postmortems-oss/backstage-plugin-postmortems-common';

/**
 * A long synthetic incident for tests and benchmarks: `count` timeline
 * entries over one day, mostly chat, with the key events (start, a deploy, a
 * severity change, the resolution) in between and addresses to scrub.
 *
 * @public
 */
export function longIncident(count: number): IncidentImportDocument {
  const start = Date.parse('2026-10-01T00:00:00Z');
  const step = Math.floor((24 * 3_600_000) / count);
  const at = (k: number) => new Date(start + k * step).toISOString();
  const timeline: IncidentImportDocument['timeline'] = [];
  for (let k = 0; k < count; k++) {
    if (k === 0) {
      timeline.push({
        type: 'incident_created',
        timestamp: at(k),
        content: { title: 'Long outage', severity: 'high' },
      });
    } else if (k === Math.floor(count / 3)) {
      timeline.push({
        type: 'deploy',
        timestamp: at(k),
        content: {
          service: 'checkout-api',
          version: '9.9.9',
          description: 'the suspected change',
        },
      });
    } else if (k === Math.floor(count / 2)) {
      timeline.push({
        type: 'severity_changed',
        timestamp: at(k),
        content: { from: 'high', to: 'critical' },
      });
    } else if (k === count - 1) {
      timeline.push({
        type: 'status_changed',
        timestamp: at(k),
        content: { from: 'acknowledged', to: 'resolved' },
      });
    } else {
      timeline.push({
        type: 'slack_message',
        actor: `Person ${k % 7}`,
        timestamp: at(k),
        content: {
          text: `checking dashboards, message ${k} from 10.1.${
            k % 250
          }.7 about the latency graph and the error budget (ops@example.com)`,
        },
      });
    }
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
