import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { PostmortemQuery } from '@postmortems-oss/backstage-plugin-postmortems-node';

/** What a conditional decision about one incident's post-mortem looks at. */
export interface IncidentFacts {
  id: string;
  commander: string | null;
  /** Entity refs of the affected services, as the incident names them. */
  services: string[];
}

/** The lookups a condition may need beyond the incident itself. */
export interface DecisionLookups {
  /** Whether the user wrote a version of the incident's post-mortem. */
  authored(incidentId: string, userRef: string): Promise<boolean>;
  /** The services (entity refs) owned by any of the claims. */
  ownedServices(claims: string[]): Promise<string[]>;
}

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * Decides a policy's conditions for one incident's post-mortem in the
 * backend itself, with the rules' query forms: the same meaning a list gives
 * them in SQL (readableScope.ts), so a post-mortem a list shows is one its
 * page may open, and the other way round.
 *
 * The permission framework would otherwise send the decision back to this
 * plugin's apply-conditions endpoint (a second HTTP round trip, three
 * statements and a catalog request to load the resource) on every read of a
 * draft. Here the incident already read answers the commander and services;
 * authorship and ownership are looked up only when an `anyOf` or `allOf`
 * has not been decided by the conditions before them.
 */
export async function decideForIncident(
  criteria: PermissionCriteria<PostmortemQuery>,
  incident: IncidentFacts,
  lookups: DecisionLookups,
): Promise<boolean> {
  if ('anyOf' in criteria) {
    for (const child of criteria.anyOf) {
      if (await decideForIncident(child, incident, lookups)) return true;
    }
    return false;
  }
  if ('allOf' in criteria) {
    for (const child of criteria.allOf) {
      if (!(await decideForIncident(child, incident, lookups))) return false;
    }
    return true;
  }
  if ('not' in criteria) {
    return !(await decideForIncident(criteria.not, incident, lookups));
  }
  if ('commander' in criteria) {
    return incident.commander === criteria.commander;
  }
  if ('author' in criteria) {
    return lookups.authored(incident.id, criteria.author);
  }
  if (criteria.serviceOwnedByAnyOf.length === 0) return false;
  // Entity refs compare case-insensitively, as the list's SQL does.
  const affected = new Set(incident.services.map(lower));
  const owned = await lookups.ownedServices(criteria.serviceOwnedByAnyOf);
  return owned.some(ref => affected.has(lower(ref)));
}
