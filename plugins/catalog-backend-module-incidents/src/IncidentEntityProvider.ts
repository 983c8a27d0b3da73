import {
  AuthService,
  DiscoveryService,
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { EventParams, EventsService } from '@backstage/plugin-events-node';
import {
  Incident,
  INCIDENT_EVENTS_TOPIC,
  PostmortemsServiceClient,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { incidentToEntity } from './incidentEntity';

/** The topic the post-mortems backend publishes incident changes on. */
export const INCIDENTS_TOPIC = INCIDENT_EVENTS_TOPIC;

const PAGE_SIZE = 100;

/**
 * Publishes the post-mortems backend's incidents as Incident entities: a full
 * sync on a schedule, so that new, changed and removed incidents follow, and a
 * delta update of one incident whenever the backend announces a change on the
 * `postmortems.incidents` events topic, so that the catalog does not lag a whole schedule
 * behind.
 *
 * @public
 */
export class IncidentEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private readonly postmortems: PostmortemsServiceClient;

  constructor(
    private readonly deps: {
      auth: AuthService;
      discovery: DiscoveryService;
      logger: LoggerService;
      schedule: SchedulerServiceTaskRunner;
      /** Without it, only the full sync runs. */
      events?: EventsService;
    },
  ) {
    this.postmortems = new PostmortemsServiceClient({
      auth: deps.auth,
      discovery: deps.discovery,
    });
  }

  getProviderName(): string {
    return 'postmortems-incidents';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.deps.events?.subscribe({
      id: 'catalog-postmortems-incidents',
      topics: [INCIDENTS_TOPIC],
      onEvent: params => this.onIncidentEvent(params),
    });
    await this.deps.schedule.run({
      id: `${this.getProviderName()}:refresh`,
      fn: () => this.refresh(),
    });
  }

  /** Reads every incident and replaces the provider's entities with them. */
  async refresh(): Promise<void> {
    const connection = this.connected();
    const baseUrl = await this.postmortems.baseUrl();
    const incidents: Incident[] = [];
    for (let page = 1; ; page++) {
      const body = await this.postmortems.listIncidents({
        limit: PAGE_SIZE,
        page,
      });
      incidents.push(...body.data);
      if (body.data.length < PAGE_SIZE || incidents.length >= body.total) {
        break;
      }
    }
    await connection.applyMutation({
      type: 'full',
      entities: incidents.map(incident => this.toDeferred(incident, baseUrl)),
    });
    this.deps.logger.info(
      `Published ${incidents.length} incidents to the catalog`,
    );
  }

  /**
   * Re-reads one incident and upserts its entity. Failures are only logged:
   * the event is not retried, and the next full sync repairs the entity.
   */
  private async onIncidentEvent(params: EventParams): Promise<void> {
    const incidentId = incidentIdOf(params.eventPayload);
    if (!incidentId) {
      this.deps.logger.warn(
        `Ignoring a malformed ${INCIDENTS_TOPIC} event: ${JSON.stringify(
          params.eventPayload,
        )}`,
      );
      return;
    }
    try {
      const connection = this.connected();
      const baseUrl = await this.postmortems.baseUrl();
      const incident = await this.postmortems.getIncident(incidentId);
      await connection.applyMutation({
        type: 'delta',
        added: [this.toDeferred(incident, baseUrl)],
        removed: [],
      });
    } catch (error) {
      this.deps.logger.warn(
        `Could not update incident ${incidentId} in the catalog; the next full sync will: ${error}`,
      );
    }
  }

  /**
   * Full and delta mutations must produce the same entity under the same
   * location key, or the catalog would see two providers' claims on one name.
   */
  private toDeferred(incident: Incident, baseUrl: string): DeferredEntity {
    return {
      entity: incidentToEntity(
        incident,
        `${baseUrl}/v1/incidents/${incident.id}`,
      ),
      locationKey: `${this.getProviderName()}:${baseUrl}`,
    };
  }

  private connected(): EntityProviderConnection {
    if (!this.connection) throw new Error('Not connected');
    return this.connection;
  }
}

/**
 * The incident id of a well-formed event:
 * `{ action: 'created' | 'updated', incident_id, reference }`.
 */
function incidentIdOf(payload: unknown): string | undefined {
  const event = payload as
    | { action?: unknown; incident_id?: unknown; reference?: unknown }
    | null
    | undefined;
  if (
    typeof event !== 'object' ||
    event === null ||
    (event.action !== 'created' && event.action !== 'updated') ||
    typeof event.incident_id !== 'string' ||
    event.incident_id === '' ||
    typeof event.reference !== 'string'
  ) {
    return undefined;
  }
  return event.incident_id;
}
