import { useApi } from '@backstage/core-plugin-api';
import type { IssueTracker } from '@postmortems-oss/backstage-plugin-postmortems-common';
import useAsync from 'react-use/esm/useAsync';
import { postmortemsApiRef } from '../api';

/**
 * The configured issue trackers, empty until they are read. Without trackers
 * (none configured, or an older backend) action items simply offer no issue
 * controls; their absence is not an error worth a banner.
 */
export function useIssueTrackers(): IssueTracker[] {
  const api = useApi(postmortemsApiRef);
  const trackers = useAsync(
    () => api.listTrackers().catch(() => [] as IssueTracker[]),
    [api],
  );
  return trackers.value ?? [];
}
