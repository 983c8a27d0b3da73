import {
  AuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config, ConfigReader } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Knex } from 'knex';
import { Incident } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { ActionItemStore } from '../database/ActionItemStore';
import { GenerationJobStore } from '../database/GenerationJobStore';
import { IncidentStore } from '../database/IncidentStore';
import { PostmortemStore } from '../database/PostmortemStore';
import { TemplateStore } from '../database/TemplateStore';
import { SlackThreadSource } from '../generation/chat/SlackThreadSource';
import { EvidenceService } from '../generation/EvidenceService';
import { GenerationService } from '../generation/GenerationService';
import { ProviderRegistry } from '../generation/ProviderRegistry';
import { ActionItemService } from './ActionItemService';
import { IncidentService } from './IncidentService';
import { PostmortemAccess } from './PostmortemAccess';
import { PostmortemService } from './PostmortemService';
import { TemplateService } from './TemplateService';

export interface ServiceOptions {
  db: Knex;
  permissions: PermissionsService;
  logger: LoggerService;
  config?: Config;
  catalog?: CatalogService;
  auth?: AuthService;
  /** Sends "your draft is ready" to the incident commander. */
  notifyDraftReady?: (incident: Incident) => Promise<void>;
}

/** The plugin's services over one database, wired together. */
export function createServices(options: ServiceOptions) {
  const { db, permissions, logger } = options;
  const config = options.config ?? new ConfigReader({});
  const incidentStore = new IncidentStore(db);
  const actionItemStore = new ActionItemStore(db);
  const access = new PostmortemAccess(permissions);
  const incidents = new IncidentService(db, incidentStore);
  const templates = new TemplateService(new TemplateStore(db));

  const slackToken = config.getOptionalString('postmortems.slack.botToken');
  const evidence = new EvidenceService({
    incidentStore,
    logger,
    scrubPatterns:
      config
        .getOptionalConfigArray('postmortems.generation.scrubPatterns')
        ?.map(c => ({
          pattern: c.getString('pattern'),
          replacement: c.getOptionalString('replacement'),
        })) ?? [],
    slack: slackToken
      ? new SlackThreadSource(
          {
            botToken: slackToken,
            apiUrl: config.getOptionalString('postmortems.slack.apiUrl'),
          },
          logger,
        )
      : undefined,
  });

  const postmortems = new PostmortemService({
    incidents,
    incidentStore,
    store: new PostmortemStore(db),
    actionItems: actionItemStore,
    templates,
    access,
    evidence,
  });
  const actionItems = new ActionItemService({
    db,
    store: actionItemStore,
    postmortems,
    access,
  });
  const providers = ProviderRegistry.fromConfig(config);
  const generation = new GenerationService({
    db,
    jobs: new GenerationJobStore(db),
    incidents,
    templates,
    access,
    providers,
    evidence,
    catalog: options.catalog,
    auth: options.auth,
    logger,
    onDraftReady: options.notifyDraftReady
      ? incident => options.notifyDraftReady!(incident)
      : undefined,
  });

  // Auto-draft: a resolved incident that lasted long enough gets a draft
  // queued for it, unless it has a post-mortem already.
  const autoDraft = config.getOptionalConfig(
    'postmortems.generation.autoDraft',
  );
  if (autoDraft?.getOptionalBoolean('enabled')) {
    const minMinutes = autoDraft.getOptionalNumber('minDurationMinutes') ?? 30;
    incidents.onResolved(async incident => {
      const minutes =
        (Date.parse(incident.resolved_at!) -
          Date.parse(incident.triggered_at)) /
        60_000;
      if (minutes < minMinutes) return;
      if (await new PostmortemStore(db).getByIncident(incident.id)) return;
      await generation.enqueue(incident.id, { kind: 'document' }, undefined);
      logger.info(`Queued an automatic draft for ${incident.reference}`);
    });
  }

  return {
    access,
    incidents,
    templates,
    postmortems,
    actionItems,
    generation,
    providers,
  };
}

export type PostmortemsServices = ReturnType<typeof createServices>;
