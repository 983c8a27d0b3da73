import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import useAsync from 'react-use/esm/useAsync';

/** A user or group that can own an action item. */
export interface OwnerOption {
  ref: string;
  kind: 'User' | 'Group';
  label: string;
}

function labelOf(entity: Entity): string {
  const profile = (entity.spec as { profile?: { displayName?: string } })
    ?.profile;
  return profile?.displayName ?? entity.metadata.title ?? entity.metadata.name;
}

/** The catalog's users and groups, with display names, for owner pickers. */
export function useOwnerOptions() {
  const catalogApi = useApi(catalogApiRef);
  return useAsync(async (): Promise<OwnerOption[]> => {
    const { items } = await catalogApi.getEntities({
      filter: [{ kind: 'User' }, { kind: 'Group' }],
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'spec.profile.displayName',
        'metadata.title',
      ],
    });
    return items
      .map(entity => ({
        ref: stringifyEntityRef(entity),
        kind: (entity.kind === 'Group'
          ? 'Group'
          : 'User') as OwnerOption['kind'],
        label: labelOf(entity),
      }))
      .sort(
        (a, b) =>
          a.kind.localeCompare(b.kind) || a.label.localeCompare(b.label),
      );
  }, [catalogApi]);
}

/** A short name for an entity ref when the catalog does not know it. */
export function shortRef(ref: string): string {
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
}
