import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { Alert } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { NewAlert } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { evidenceChanged } from './evidenceVersion';
import { parseJson, toCount, toDbTime, toIso, toIsoRequired } from './rows';

/** Alerts, copied from their sources, and the incidents they are linked to, over Knex. */
export class AlertStore {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async createAlert(input: NewAlert): Promise<Alert> {
    const row = {
      id: randomUUID(),
      source: input.source,
      external_id: input.externalId ?? null,
      ...alertColumns(input),
      created_at: new Date(),
    };
    await this.db('alerts').insert(row);
    return toAlert(row);
  }

  async findAlertByExternalId(
    source: string,
    externalId: string,
  ): Promise<Alert | undefined> {
    const row = await this.db('alerts')
      .where({ source, external_id: externalId })
      .first();
    return row ? toAlert(row) : undefined;
  }

  /** Brings a copied alert up to date with its upstream (status, times, labels). */
  async updateAlert(id: string, input: NewAlert): Promise<void> {
    await this.db('alerts').where({ id }).update(alertColumns(input));
    await evidenceChanged(
      this.db,
      this.db('incident_alerts').select('incident_id').where({ alert_id: id }),
    );
  }

  async linkAlert(incidentId: string, alertId: string): Promise<void> {
    await this.db('incident_alerts')
      .insert({
        incident_id: incidentId,
        alert_id: alertId,
        linked_at: new Date(),
      })
      .onConflict(['incident_id', 'alert_id'])
      .ignore();
    await evidenceChanged(this.db, incidentId);
  }

  async getAlert(id: string): Promise<Alert | undefined> {
    const row = await this.db('alerts').where({ id }).first();
    return row ? toAlert(row) : undefined;
  }

  async listAlerts(page: {
    offset: number;
    limit: number;
  }): Promise<{ data: Alert[]; total: number }> {
    const [{ count }] = await this.db('alerts').count({ count: '*' });
    const rows = await this.db('alerts')
      .orderBy('fired_at', 'desc')
      .offset(page.offset)
      .limit(page.limit);
    return { data: rows.map(toAlert), total: toCount(count) };
  }

  async alertsOfIncident(incidentId: string): Promise<Alert[]> {
    const rows = await this.db('alerts')
      .join('incident_alerts', 'incident_alerts.alert_id', 'alerts.id')
      .where('incident_alerts.incident_id', incidentId)
      .orderBy('alerts.fired_at', 'asc')
      .select('alerts.*');
    return rows.map(toAlert);
  }
}

/** The alert columns its source may change over time. */
function alertColumns(input: NewAlert) {
  return {
    severity: input.severity,
    status: alertStatus(input),
    title: input.title,
    description: input.description ?? null,
    labels: JSON.stringify(input.labels ?? {}),
    fired_at: toDbTime(input.firedAt),
    acknowledged_at: toDbTime(input.acknowledgedAt),
    resolved_at: toDbTime(input.resolvedAt),
  };
}

function alertStatus(input: NewAlert): Alert['status'] {
  if (input.resolvedAt) return 'resolved';
  if (input.acknowledgedAt) return 'acknowledged';
  return 'firing';
}

export function toAlert(row: any): Alert {
  return {
    id: row.id,
    source: row.source,
    external_id: row.external_id ?? null,
    severity: row.severity,
    status: row.status,
    title: row.title,
    description: row.description ?? null,
    labels: parseJson<Record<string, string>>(row.labels, {}),
    fired_at: toIsoRequired(row.fired_at),
    acknowledged_at: toIso(row.acknowledged_at),
    resolved_at: toIso(row.resolved_at),
    created_at: toIsoRequired(row.created_at),
  };
}
