import { AuthService } from '@backstage/backend-plugin-api';
import { Entity, RELATION_OWNED_BY } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ServiceOwner } from '../database/FiguresStore';

/** What the figures by service and by team need of the catalog. */
export interface ServiceOwnersLookup {
  /**
   * The teams owning the given services (lower-case refs), in one request;
   * services the catalog does not know have none.
   */
  ownersOf(services: string[]): Promise<ServiceOwner[]>;
  /**
   * The display names (`metadata.title`, else a group's or user's
   * `spec.profile.displayName`, else `metadata.name`) of the given entities
   * the catalog knows, by the ref asked with (lower-case).
   */
  titlesOf(refs: string[]): Promise<Map<string, string>>;
}

/** Owners and titles as the catalog knows them now. */
export function catalogServiceOwners(
  catalog: CatalogService,
  auth: AuthService,
): ServiceOwnersLookup {
  // Each ref with its entity, if the catalog knows it: the answer is in
  // the order asked, so a ref stays as the incidents wrote it (a short
  // `component:checkout-api` too).
  const byRefs = async (refs: string[], fields: string[]) => {
    if (refs.length === 0) return [];
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: refs, fields },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    return refs.flatMap((ref, i) => {
      const entity = items[i];
      return entity ? [{ ref: lower(ref), entity }] : [];
    });
  };
  return {
    async ownersOf(services) {
      const entities = await byRefs(services, [
        'kind',
        'metadata.namespace',
        'metadata.name',
        'relations',
      ]);
      return entities.flatMap(({ ref, entity }) =>
        (entity.relations ?? [])
          .filter(relation => relation.type === RELATION_OWNED_BY)
          .map(relation => ({ service: ref, team: lower(relation.targetRef) })),
      );
    },
    async titlesOf(refs) {
      const entities = await byRefs(refs, [
        'kind',
        'metadata.namespace',
        'metadata.name',
        'metadata.title',
        'spec.profile.displayName',
      ]);
      return new Map(
        entities.map(({ ref, entity }) => [
          ref,
          entity.metadata.title ||
            displayNameOf(entity) ||
            entity.metadata.name,
        ]),
      );
    },
  };
}

function displayNameOf(entity: Entity): string | undefined {
  const profile = (entity.spec as { profile?: { displayName?: unknown } })
    ?.profile;
  return typeof profile?.displayName === 'string'
    ? profile.displayName
    : undefined;
}

function lower(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}
