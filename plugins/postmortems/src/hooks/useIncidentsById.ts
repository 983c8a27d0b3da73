import { useApi } from '@backstage/core-plugin-api';
import type { Incident } from '@postmortems-oss/backstage-plugin-postmortems-common';
import useAsync from 'react-use/esm/useAsync';
import { postmortemsApiRef } from '../api';

/** The incidents with these ids, read in parallel; unknown ones are left out. */
export function useIncidentsById(ids: string[]) {
  const api = useApi(postmortemsApiRef);
  const key = [...new Set(ids)].sort().join(',');
  return useAsync(async () => {
    const byId = new Map<string, Incident>();
    await Promise.all(
      (key ? key.split(',') : []).map(async id => {
        const incident = await api.getIncident(id).catch(() => undefined);
        if (incident) byId.set(id, incident);
      }),
    );
    return byId;
  }, [api, key]);
}
