import { LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { ActionItemStore } from '../database/ActionItemStore';
import { CauseStore } from '../recurrence/CauseStore';
import { parseDocument } from '../services/document';
import { IncidentService } from '../services/IncidentService';
import { PostmortemService } from '../services/PostmortemService';
import { TemplateService } from '../services/TemplateService';
import { demoIncidents } from './demoIncidents';
import { DemoPostmortem, demoPostmortems } from './demoPostmortems';

/**
 * Loads the demo incidents into an empty database, and the post-mortems
 * written for some of them, so a fresh local portal has something real to
 * show. Never runs when any incident exists.
 */
export async function loadDemoData(
  db: Knex,
  services: {
    incidents: IncidentService;
    postmortems: PostmortemService;
    templates: TemplateService;
  },
  logger: LoggerService,
): Promise<void> {
  const [{ count }] = await db('incidents').count({ count: '*' });
  if (Number(count) > 0) {
    return;
  }
  for (const document of demoIncidents) {
    await services.incidents.import(
      { ...document, incident: { ...document.incident, source: 'demo' } },
      'user:default/guest',
    );
  }
  for (const demo of demoPostmortems) {
    await writeDemoPostmortem(db, services, demo);
  }
  logger.info(
    `Loaded ${demoIncidents.length} demo incidents and ${demoPostmortems.length} published post-mortem`,
  );
}

/**
 * A post-mortem as its authors left it: written, its action items done on
 * the days they were done, published, and its cause filed. Written through
 * the services' own steps (no caller to check: the backend seeds it).
 */
async function writeDemoPostmortem(
  db: Knex,
  services: {
    incidents: IncidentService;
    postmortems: PostmortemService;
    templates: TemplateService;
  },
  demo: DemoPostmortem,
) {
  const incident = await services.incidents.get(String(demo.incidentNumber));
  const template = await services.templates.resolve();
  const record = await services.postmortems.insert(incident, {
    sections: parseDocument(demo.markdown, template.sections),
    templateId: template.id,
    templateName: template.name,
    generatedBy: 'manual',
    actor: demo.author,
    kind: 'human',
  });
  const items = new ActionItemStore(db);
  for (const item of demo.actionItems) {
    await items.create({
      postmortemId: record.id,
      incidentId: incident.id,
      description: item.description,
      owner: item.owner,
      dueDate: item.dueDate,
      category: item.category,
      status: 'done',
      doneAt: item.doneAt,
      createdBy: demo.author,
    });
  }
  await services.postmortems.replaceContent(
    record,
    {
      status: 'published',
      publishedAt: demo.publishedAt,
      publishedBy: demo.author,
    },
    { kind: 'human', reason: 'publish', author: demo.author },
  );
  await new CauseStore(db).replace(record.id, demo.causes);
}
