import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_PART_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ServiceRelation } from '@postmortems-oss/backstage-plugin-postmortems-common';

/** A service related to one of the incident's services. */
export interface RelatedService {
  /** The related service's entity ref, lower-cased. */
  service: string;
  relation: ServiceRelation;
  /** The incident's service it is related to. */
  via: string;
  system?: string;
}

/** The services related to the given ones through the catalog. */
export type ServiceRelationsLookup = (
  services: string[],
) => Promise<RelatedService[]>;

/** How many components of one system are taken as its members. */
const SYSTEM_MEMBERS_LIMIT = 200;

/**
 * Services related to the given ones as the catalog knows them now: what
 * they depend on, what depends on them, and the other parts of the systems
 * they are part of. Refs the catalog does not know have no relations.
 */
export function catalogServiceRelations(
  catalog: CatalogService,
  auth: AuthService,
): ServiceRelationsLookup {
  return async services => {
    if (services.length === 0) return [];
    const credentials = await auth.getOwnServiceCredentials();
    const own = new Set(services.map(lower));
    const { items } = await catalog.getEntitiesByRefs(
      {
        entityRefs: services,
        fields: ['kind', 'metadata.namespace', 'metadata.name', 'relations'],
      },
      { credentials },
    );
    const related: RelatedService[] = [];
    const systems = new Map<string, string[]>();
    items.forEach((entity: Entity | undefined, index: number) => {
      if (!entity) return;
      const via = services[index];
      for (const relation of entity.relations ?? []) {
        const target = lower(relation.targetRef);
        if (relation.type === RELATION_DEPENDS_ON) {
          related.push({ service: target, relation: 'depends_on', via });
        } else if (relation.type === RELATION_DEPENDENCY_OF) {
          related.push({ service: target, relation: 'dependency_of', via });
        } else if (relation.type === RELATION_PART_OF) {
          systems.set(target, [...(systems.get(target) ?? []), via]);
        }
      }
    });
    for (const [system, vias] of systems) {
      const members = await catalog.getEntities(
        {
          filter: { 'relations.partOf': system },
          fields: ['kind', 'metadata.namespace', 'metadata.name'],
          limit: SYSTEM_MEMBERS_LIMIT,
        },
        { credentials },
      );
      for (const member of members.items) {
        const service = lower(stringifyEntityRef(member));
        for (const via of vias) {
          if (lower(via) !== service) {
            related.push({ service, relation: 'same_system', via, system });
          }
        }
      }
    }
    return related.filter(r => !own.has(r.service));
  };
}

function lower(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}
