import { useApi } from '@backstage/core-plugin-api';
import type { Page } from '@postmortems-oss/backstage-plugin-postmortems-common';
import useAsync from 'react-use/esm/useAsync';
import { postmortemsApiRef } from '../api';
import { computeFigures } from '../domain/figures';

/** Pages read per list at most: 2,000 rows, far beyond a year of incidents. */
const MAX_PAGES = 20;

async function readAll<T>(
  fetchPage: (page: number) => Promise<Page<T>>,
): Promise<{ items: T[]; truncated: boolean }> {
  const items: T[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const result = await fetchPage(page);
    items.push(...result.data);
    if (result.data.length < result.limit || items.length >= result.total) {
      return { items, truncated: false };
    }
  }
  return { items, truncated: true };
}

/**
 * Figures over the last `days` days. The lists have no period filters except
 * the incidents' `created_after`, so post-mortems and action items are read
 * whole and filtered here.
 */
export function useFigures(days: number) {
  const api = useApi(postmortemsApiRef);
  return useAsync(async () => {
    const now = new Date();
    const since = new Date(now.getTime() - days * 24 * 60 * 60 * 1000);
    const [incidents, postmortems, actionItems] = await Promise.all([
      readAll(page =>
        api.listIncidents({
          createdAfter: since.toISOString(),
          page,
          limit: 100,
        }),
      ),
      readAll(page =>
        api.listPostmortems({ status: ['published'], page, limit: 100 }),
      ),
      readAll(page => api.listActionItems({ page, limit: 100 })),
    ]);
    return {
      figures: computeFigures({
        days,
        now,
        incidents: incidents.items,
        postmortems: postmortems.items,
        actionItems: actionItems.items,
      }),
      truncated:
        incidents.truncated || postmortems.truncated || actionItems.truncated,
    };
  }, [api, days]);
}
