import {
  AuthService,
  DiscoveryService,
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  Incident,
  Page,
  POSTMORTEMS_PLUGIN_ID,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { incidentToEntity } from './incidentEntity';

/**
 * Publishes the post-mortems backend's incidents as Incident entities: a full
 * sync on a schedule, so that new, changed and removed incidents follow.
 *
 * @public
 */
export class IncidentEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;

  constructor(
    private readonly deps: {
      auth: AuthService;
      discovery: DiscoveryService;
      logger: LoggerService;
      schedule: SchedulerServiceTaskRunner;
    },
  ) {}

  getProviderName(): string {
    return 'postmortems-incidents';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.deps.schedule.run({
      id: `${this.getProviderName()}:refresh`,
      fn: () => this.refresh(),
    });
  }

  /** Reads every incident and replaces the provider's entities with them. */
  async refresh(): Promise<void> {
    if (!this.connection) throw new Error('Not connected');
    const baseUrl = await this.deps.discovery.getBaseUrl(POSTMORTEMS_PLUGIN_ID);
    const incidents: Incident[] = [];
    for (let page = 1; ; page++) {
      const { token } = await this.deps.auth.getPluginRequestToken({
        onBehalfOf: await this.deps.auth.getOwnServiceCredentials(),
        targetPluginId: POSTMORTEMS_PLUGIN_ID,
      });
      const response = await fetch(
        `${baseUrl}/v1/incidents?limit=100&page=${page}`,
        {
          headers: { Authorization: `Bearer ${token}` },
        },
      );
      if (!response.ok) throw await ResponseError.fromResponse(response);
      const body = (await response.json()) as Page<Incident>;
      incidents.push(...body.data);
      if (body.data.length < 100 || incidents.length >= body.total) break;
    }
    const locationKey = `${this.getProviderName()}:${baseUrl}`;
    await this.connection.applyMutation({
      type: 'full',
      entities: incidents.map(incident => ({
        entity: incidentToEntity(
          incident,
          `${baseUrl}/v1/incidents/${incident.id}`,
        ),
        locationKey,
      })),
    });
    this.deps.logger.info(
      `Published ${incidents.length} incidents to the catalog`,
    );
  }
}
