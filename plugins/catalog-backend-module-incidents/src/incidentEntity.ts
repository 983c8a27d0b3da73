import { Entity } from '@backstage/catalog-model';
import {
  Incident,
  INCIDENT_ID_ANNOTATION,
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
} from '@postmortems-oss/backstage-plugin-postmortems-common';

// Re-exported: this package has exported it since before it moved to common.
export { INCIDENT_ID_ANNOTATION };

/** The apiVersion of Incident entities. @public */
export const INCIDENT_API_VERSION = 'postmortems.io/v1alpha1';
/** Incident -> the services it affected. @public */
export const RELATION_AFFECTS = 'affects';
/** Service -> the incidents that affected it. @public */
export const RELATION_AFFECTED_BY = 'affectedBy';

/** An incident as a catalog entity. @public */
export interface IncidentEntity extends Entity {
  apiVersion: typeof INCIDENT_API_VERSION;
  kind: 'Incident';
  spec: {
    severity: (typeof INCIDENT_SEVERITIES)[number];
    status: (typeof INCIDENT_STATUSES)[number];
    triggeredAt: string;
    resolvedAt?: string;
    commander?: string;
    /** Entity refs of the services the incident affected. */
    affects: string[];
  };
}

/**
 * The catalog entity of one incident, named like its reference (`inc-3`).
 *
 * @public
 */
export function incidentToEntity(
  incident: Incident,
  locationKey: string,
): IncidentEntity {
  const location = `url:${locationKey}`;
  return {
    apiVersion: INCIDENT_API_VERSION,
    kind: 'Incident',
    metadata: {
      name: incident.reference.toLowerCase(),
      namespace: 'default',
      title: `${incident.reference} ${incident.title}`.slice(0, 250),
      description: incident.summary ?? incident.description ?? undefined,
      annotations: {
        [INCIDENT_ID_ANNOTATION]: incident.id,
        'backstage.io/managed-by-location': location,
        'backstage.io/managed-by-origin-location': location,
      },
      tags: [incident.severity, incident.status],
    },
    spec: {
      severity: incident.severity,
      status: incident.status,
      triggeredAt: incident.triggered_at,
      ...(incident.resolved_at ? { resolvedAt: incident.resolved_at } : {}),
      ...(incident.commander ? { commander: incident.commander } : {}),
      affects: incident.services,
    },
  };
}
