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

/**
 * Keeps each set of claims' owned services for a short while. Every list and
 * every draft a restricted reader opens asks; ownership changes in the
 * catalog far more slowly (its entities refresh from their sources every few
 * minutes), so a caller sees an ownership change at most `ttlMs` later than
 * the catalog does.
 */
export function cachedOwnedServices(
  lookup: OwnedServicesLookup,
  options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
): OwnedServicesLookup {
  const ttlMs = options.ttlMs ?? 30_000;
  const maxEntries = options.maxEntries ?? 1000;
  const now = options.now ?? Date.now;
  const kept = new Map<string, { at: number; services: Promise<string[]> }>();
  return claims => {
    const key = [...new Set(claims)].sort().join('\n');
    const hit = kept.get(key);
    if (hit && now() - hit.at < ttlMs) return hit.services;
    const services = lookup(claims);
    // A failed lookup is not kept: the next caller asks the catalog again
    // (unless a newer lookup has taken its place meanwhile).
    services.catch(() => {
      if (kept.get(key)?.services === services) kept.delete(key);
    });
    kept.delete(key);
    kept.set(key, { at: now(), services });
    // Maps iterate in insertion order: the first key is the oldest.
    if (kept.size > maxEntries) kept.delete(kept.keys().next().value!);
    return services;
  };
}
