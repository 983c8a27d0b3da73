import { Entity } from '@backstage/catalog-model';
import { INCIDENT_ID_ANNOTATION } from '@postmortems-oss/backstage-plugin-postmortems-common';

// Re-exported: this package has exported it since before it moved to common.
export { INCIDENT_ID_ANNOTATION };

/**
 * True for the catalog's `Incident` kind (`postmortems.io/v1alpha1`).
 *
 * @public
 */
export function isIncidentEntity(entity: Entity): boolean {
  return entity.kind.toLocaleLowerCase('en-US') === 'incident';
}

/**
 * The backend id of an Incident entity: its annotation, else its name read as
 * a reference (`inc-3` is `INC-3`), which the backend accepts as an id.
 *
 * @public
 */
export function incidentIdOf(entity: Entity): string {
  const annotated = entity.metadata.annotations?.[INCIDENT_ID_ANNOTATION];
  if (annotated) {
    return annotated;
  }
  const name = entity.metadata.name;
  return /^inc-\d+$/i.test(name) ? name.toUpperCase() : name;
}
