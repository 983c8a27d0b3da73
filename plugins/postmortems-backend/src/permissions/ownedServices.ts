import { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { OwnedServicesLookup } from '../services/PostmortemAccess';

/**
 * What the given ownership claims own, asked of the catalog in one query, so
 * that "owners of an affected service may read its draft" follows the
 * catalog as the per-incident rule does (PostmortemResourceLoader).
 */
export function catalogOwnedServices(
  catalog: CatalogService,
  auth: AuthService,
): OwnedServicesLookup {
  return async claims => {
    const { items } = await catalog.getEntities(
      {
        filter: { 'relations.ownedBy': claims },
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    return items.map(entity => stringifyEntityRef(entity));
  };
}
