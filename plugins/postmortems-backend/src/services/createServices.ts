import { PermissionsService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { ActionItemStore } from '../database/ActionItemStore';
import { IncidentStore } from '../database/IncidentStore';
import { PostmortemStore } from '../database/PostmortemStore';
import { TemplateStore } from '../database/TemplateStore';
import { ActionItemService } from './ActionItemService';
import { IncidentService } from './IncidentService';
import { PostmortemAccess } from './PostmortemAccess';
import { PostmortemService } from './PostmortemService';
import { TemplateService } from './TemplateService';

/** The plugin's services over one database, wired together. */
export function createServices(db: Knex, permissions: PermissionsService) {
  const incidentStore = new IncidentStore(db);
  const actionItemStore = new ActionItemStore(db);
  const access = new PostmortemAccess(permissions);
  const incidents = new IncidentService(db, incidentStore);
  const templates = new TemplateService(new TemplateStore(db));
  const postmortems = new PostmortemService({
    incidents,
    incidentStore,
    store: new PostmortemStore(db),
    actionItems: actionItemStore,
    templates,
    access,
  });
  const actionItems = new ActionItemService({
    db,
    store: actionItemStore,
    postmortems,
    access,
  });
  return { access, incidents, templates, postmortems, actionItems };
}

export type PostmortemsServices = ReturnType<typeof createServices>;
