import { LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { IncidentService } from '../services/IncidentService';
import { demoIncidents } from './demoIncidents';

/**
 * Loads the demo incidents into an empty database, so a fresh local portal
 * has something real to show. Never runs when any incident exists.
 */
export async function loadDemoData(
  db: Knex,
  incidents: IncidentService,
  logger: LoggerService,
): Promise<void> {
  const [{ count }] = await db('incidents').count({ count: '*' });
  if (Number(count) > 0) {
    return;
  }
  for (const document of demoIncidents) {
    await incidents.import(
      { ...document, incident: { ...document.incident, source: 'demo' } },
      'user:default/guest',
    );
  }
  logger.info(`Loaded ${demoIncidents.length} demo incidents`);
}
