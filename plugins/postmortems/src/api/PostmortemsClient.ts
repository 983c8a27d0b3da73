import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { POSTMORTEMS_PLUGIN_ID } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { PostmortemsApi, PostmortemsHealth } from './PostmortemsApi';

/**
 * {@link PostmortemsApi} over HTTP. The backend's base URL comes from the
 * discovery API and every call goes through the fetch API, which adds the
 * signed-in user's Backstage token.
 *
 * @public
 */
export class PostmortemsClient implements PostmortemsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getHealth(): Promise<PostmortemsHealth> {
    return this.get<PostmortemsHealth>('/health');
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl(POSTMORTEMS_PLUGIN_ID);
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
