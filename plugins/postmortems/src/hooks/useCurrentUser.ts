import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';

/** The signed-in user's entity ref and the refs they own things through. */
export function useCurrentUser() {
  const identityApi = useApi(identityApiRef);
  return useAsync(() => identityApi.getBackstageIdentity(), [identityApi]);
}
