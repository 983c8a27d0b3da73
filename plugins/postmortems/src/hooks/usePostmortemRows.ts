import { useApi } from '@backstage/core-plugin-api';
import type {
  IncidentSummary,
  PostmortemListItem,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { PostmortemListQuery, postmortemsApiRef } from '../api';

/** A post-mortem with the incident it is about. */
export interface PostmortemRow {
  postmortem: PostmortemListItem;
  /** Undefined when the incident could not be read. */
  incident?: IncidentSummary;
}

/**
 * A page of post-mortems with their incidents. The list route embeds each
 * incident in brief; for a backend that does not, the page's incidents are
 * read alongside (in parallel; a page holds at most 100).
 */
export function usePostmortemRows(query: PostmortemListQuery) {
  const api = useApi(postmortemsApiRef);
  const key = JSON.stringify(query);
  return useAsyncRetry(async () => {
    const page = await api.listPostmortems(query);
    const missing = [
      ...new Set(page.data.filter(p => !p.incident).map(p => p.incident_id)),
    ];
    const incidents = new Map<string, IncidentSummary>();
    await Promise.all(
      missing.map(async id => {
        const incident = await api.getIncident(id).catch(() => undefined);
        if (incident) incidents.set(id, incident);
      }),
    );
    const rows: PostmortemRow[] = page.data.map(postmortem => ({
      postmortem,
      incident: postmortem.incident ?? incidents.get(postmortem.incident_id),
    }));
    return { rows, total: page.total, page: page.page, limit: page.limit };
    // The query is compared by value: callers build a new object each render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key]);
}
