import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Knex } from 'knex';
import { PostmortemResource } from '@postmortems-oss/backstage-plugin-postmortems-node';

/**
 * Loads what the permission rules need about incidents' post-mortems: the
 * commander, the authors, and the owners of the affected services (from the
 * catalog, so ownership follows the catalog rather than a copy of it).
 */
export class PostmortemResourceLoader {
  constructor(
    private readonly db: Knex,
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  async load(
    incidentIds: string[],
  ): Promise<Array<PostmortemResource | undefined>> {
    if (incidentIds.length === 0) {
      return [];
    }
    const incidents = await this.db('incidents')
      .whereIn('id', incidentIds)
      .select('id', 'commander');
    const services = await this.db('incident_services')
      .whereIn('incident_id', incidentIds)
      .select('incident_id', 'entity_ref');
    const authors = await this.db('postmortems')
      .join(
        'postmortem_revisions',
        'postmortem_revisions.postmortem_id',
        'postmortems.id',
      )
      .whereIn('postmortems.incident_id', incidentIds)
      .whereNotNull('postmortem_revisions.author')
      .distinct('postmortems.incident_id', 'postmortem_revisions.author');

    const owners = await this.ownersOf([
      ...new Set(services.map(s => s.entity_ref as string)),
    ]);

    return incidentIds.map(id => {
      const incident = incidents.find(i => i.id === id);
      if (!incident) {
        return undefined;
      }
      return {
        incidentId: id,
        commander: incident.commander ?? null,
        authors: authors.filter(a => a.incident_id === id).map(a => a.author),
        serviceOwners: services
          .filter(s => s.incident_id === id)
          .flatMap(s => owners.get(s.entity_ref) ?? []),
      };
    });
  }

  private async ownersOf(entityRefs: string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>();
    if (entityRefs.length === 0) {
      return result;
    }
    const { items } = await this.catalog.getEntitiesByRefs(
      { entityRefs, fields: ['kind', 'metadata', 'relations'] },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    items.forEach((entity, index) => {
      const ownedBy = (entity?.relations ?? [])
        .filter(relation => relation.type === 'ownedBy')
        .map(relation => relation.targetRef);
      result.set(entityRefs[index], ownedBy);
    });
    return result;
  }
}
