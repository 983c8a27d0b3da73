import { useCallback, useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import type {
  Incident,
  Postmortem,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { isNotFound, postmortemsApiRef } from '../api';

export interface IncidentPostmortemState {
  loading: boolean;
  error?: Error;
  incident?: Incident;
  /** Null when the incident has no post-mortem yet. */
  postmortem?: Postmortem | null;
  /** Replaces the shown post-mortem, e.g. with a save's answer. */
  setPostmortem(postmortem: Postmortem | null): void;
  /** Reads the post-mortem again (after generation, a restore, a conflict). */
  reload(): Promise<void>;
}

/** An incident and its post-mortem; a 404 for the post-mortem means "none yet". */
export function useIncidentPostmortem(
  incidentId: string,
): IncidentPostmortemState {
  const api = useApi(postmortemsApiRef);
  const [incident, setIncident] = useState<Incident>();
  const [postmortem, setPostmortem] = useState<Postmortem | null>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(true);

  const loadPostmortem = useCallback(async () => {
    try {
      return await api.getPostmortem(incidentId);
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }, [api, incidentId]);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setError(undefined);
    Promise.all([api.getIncident(incidentId), loadPostmortem()])
      .then(([i, p]) => {
        if (cancelled) return;
        setIncident(i);
        setPostmortem(p);
      })
      .catch(e => {
        if (!cancelled) setError(e);
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [api, incidentId, loadPostmortem]);

  const reload = useCallback(async () => {
    setPostmortem(await loadPostmortem());
  }, [loadPostmortem]);

  return { loading, error, incident, postmortem, setPostmortem, reload };
}
