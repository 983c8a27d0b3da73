import { ResponseError } from '@backstage/errors';
import { z } from 'zod';
import {
  ActionItem,
  actionItemListQuerySchema,
  actionItemSchema,
} from '../api/actionItems';
import {
  Incident,
  incidentListQuerySchema,
  incidentSchema,
} from '../api/incidents';
import {
  Postmortem,
  PostmortemListItem,
  postmortemListItemSchema,
  postmortemListQuerySchema,
  postmortemSchema,
} from '../api/postmortems';
import { Page, pageSchema } from '../api/shared';
import { POSTMORTEMS_PLUGIN_ID } from '../pluginId';

/**
 * The part of Backstage's `DiscoveryService` the client uses.
 *
 * @public
 */
export interface PostmortemsClientDiscovery {
  getBaseUrl(pluginId: string): Promise<string>;
}

/**
 * The part of Backstage's `AuthService` the client uses. Declared here rather
 * than imported so that this package stays free of backend-only dependencies;
 * `coreServices.auth` fits it as it is.
 *
 * @public
 */
export interface PostmortemsClientAuth {
  getOwnServiceCredentials(): Promise<object>;
  getPluginRequestToken(options: {
    onBehalfOf: object;
    targetPluginId: string;
  }): Promise<{ token: string }>;
}

/** The wire query of `GET /v1/incidents`. @public */
export type IncidentListParams = Partial<
  z.output<typeof incidentListQuerySchema>
>;
/** The wire query of `GET /v1/postmortems`. @public */
export type PostmortemListParams = Partial<
  z.output<typeof postmortemListQuerySchema>
>;
/** The wire query of `GET /v1/action-items`. @public */
export type ActionItemListParams = Partial<
  z.output<typeof actionItemListQuerySchema>
>;

type Query = Record<string, string | number | string[] | undefined>;

const incidentPage = pageSchema(incidentSchema);
const postmortemPage = pageSchema(postmortemSchema);
const postmortemListItemPage = pageSchema(postmortemListItemSchema);
const actionItemPage = pageSchema(actionItemSchema);

/**
 * The post-mortems API for other backend plugins and modules (the catalog's
 * Incident provider, the search collator): calls go to the base URL that
 * discovery names, with a service token for the `postmortems` plugin, and
 * every answer is parsed with the API's schemas, so a caller gets the types
 * the API promises or an error saying which field broke them.
 *
 * Each call asks for a fresh token, so that a long run (a full index, a
 * catalog sync of many pages) never sends an expired one. Failed calls throw
 * a `ResponseError` (from `@backstage/errors`) carrying the status and the
 * backend's error body.
 *
 * @public
 */
export class PostmortemsServiceClient {
  private readonly discovery: PostmortemsClientDiscovery;
  private readonly auth: PostmortemsClientAuth;
  private readonly fetchFn?: typeof fetch;

  constructor(options: {
    discovery: PostmortemsClientDiscovery;
    auth: PostmortemsClientAuth;
    /** Defaults to the global `fetch`. */
    fetch?: typeof fetch;
  }) {
    this.discovery = options.discovery;
    this.auth = options.auth;
    this.fetchFn = options.fetch;
  }

  /** The base URL of the API, e.g. `http://localhost:7007/api/postmortems`. */
  baseUrl(): Promise<string> {
    return this.discovery.getBaseUrl(POSTMORTEMS_PLUGIN_ID);
  }

  /** A page of incidents, newest first. */
  listIncidents(params: IncidentListParams = {}): Promise<Page<Incident>> {
    return this.get(incidentPage, '/v1/incidents', params);
  }

  /** One incident by id, number (`42`) or reference (`INC-42`). */
  getIncident(incidentId: string): Promise<Incident> {
    return this.get(incidentSchema, `/v1/incidents/${enc(incidentId)}`);
  }

  /**
   * A page of post-mortems the service may read, newest incident first; each
   * whole (its document and its action items) when `include` names
   * `content`.
   */
  listPostmortems(
    params: PostmortemListParams & { include: ['content'] },
  ): Promise<Page<Postmortem>>;
  listPostmortems(
    params?: PostmortemListParams,
  ): Promise<Page<PostmortemListItem>>;
  listPostmortems(
    params: PostmortemListParams = {},
  ): Promise<Page<PostmortemListItem>> {
    if (!params.include?.includes('content')) {
      return this.get(postmortemListItemPage, '/v1/postmortems', params);
    }
    // A whole post-mortem has its action items: lists give them when asked.
    const include = [
      ...new Set([...params.include, 'action_items' as const]),
    ];
    return this.get(postmortemPage, '/v1/postmortems', { ...params, include });
  }

  /** The post-mortem of an incident. */
  getPostmortem(incidentId: string): Promise<Postmortem> {
    return this.get(
      postmortemSchema,
      `/v1/incidents/${enc(incidentId)}/postmortem`,
    );
  }

  /** A page of action items across post-mortems. */
  listActionItems(
    params: ActionItemListParams = {},
  ): Promise<Page<ActionItem>> {
    return this.get(actionItemPage, '/v1/action-items', params);
  }

  private async get<T extends z.ZodType>(
    schema: T,
    path: string,
    query: Query = {},
  ): Promise<z.output<T>> {
    const url = `${await this.baseUrl()}${path}${search(query)}`;
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: await this.auth.getOwnServiceCredentials(),
      targetPluginId: POSTMORTEMS_PLUGIN_ID,
    });
    // Looked up per call, so that a fetch replaced after construction (a
    // test's spy, an instrumented global) is the one used.
    const fetchFn = this.fetchFn ?? fetch;
    const response = await fetchFn(url, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const result = schema.safeParse(await response.json());
    if (!result.success) {
      throw new Error(
        `The post-mortems API answered GET ${path} with a body that does not match its schema: ${z.prettifyError(
          result.error,
        )}`,
      );
    }
    return result.data;
  }
}

function enc(value: string): string {
  return encodeURIComponent(value);
}

/** `?a=1&b=x,y` from the defined values; lists as the API reads them, comma-separated. */
function search(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) params.set(key, value.join(','));
    } else {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
