import { useApi } from '@backstage/core-plugin-api';
import type { Recurrences } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { useCallback, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { postmortemsApiRef } from '../api';

export interface RecurrencesState {
  /** Undefined while the first read is under way, or when it failed. */
  value?: Recurrences;
  loading: boolean;
  error?: Error;
  /** Reads them again, e.g. once the causes were saved. */
  reload(): void;
}

/**
 * The recurrences of the incident's post-mortem: the earlier post-mortems
 * whose cause came back in it, and the later incidents where its cause came
 * back. While a reload runs, the last answer stays.
 */
export function useRecurrences(incidentId: string): RecurrencesState {
  const api = useApi(postmortemsApiRef);
  const [reads, setReads] = useState(0);
  const state = useAsync(
    () => api.getRecurrences(incidentId),
    // `reads` asks again for the same incident.
    [api, incidentId, reads],
  );
  const reload = useCallback(() => setReads(n => n + 1), []);
  return {
    value: state.error ? undefined : state.value,
    loading: state.loading,
    error: state.error,
    reload,
  };
}
