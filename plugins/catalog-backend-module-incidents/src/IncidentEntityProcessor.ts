import { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
} from '@backstage/catalog-model';
import {
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  INCIDENT_API_VERSION,
  IncidentEntity,
  RELATION_AFFECTED_BY,
  RELATION_AFFECTS,
} from './incidentEntity';

/**
 * Validates Incident entities and relates each incident to the services it
 * affected, both ways, so that the catalog graph and the services' pages
 * show them.
 *
 * @public
 */
export class IncidentEntityProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'IncidentEntityProcessor';
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    if (
      entity.apiVersion !== INCIDENT_API_VERSION ||
      entity.kind !== 'Incident'
    ) {
      return false;
    }
    const problems = validationProblems(entity as IncidentEntity);
    if (problems.length) {
      throw new TypeError(
        `Invalid Incident entity ${entity.metadata.name}: ${problems.join(
          '; ',
        )}`,
      );
    }
    return true;
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (
      entity.apiVersion !== INCIDENT_API_VERSION ||
      entity.kind !== 'Incident'
    ) {
      return entity;
    }
    const self = getCompoundEntityRef(entity);
    for (const target of (entity as IncidentEntity).spec.affects ?? []) {
      const service = parseEntityRef(target, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      });
      emit(
        processingResult.relation({
          source: self,
          type: RELATION_AFFECTS,
          target: service,
        }),
      );
      emit(
        processingResult.relation({
          source: service,
          type: RELATION_AFFECTED_BY,
          target: self,
        }),
      );
    }
    return entity;
  }
}

function validationProblems(entity: IncidentEntity): string[] {
  const spec = entity.spec as Partial<IncidentEntity['spec']> | undefined;
  const problems: string[] = [];
  if (!spec) return ['spec is missing'];
  if (!INCIDENT_SEVERITIES.includes(spec.severity as any))
    problems.push(
      `spec.severity must be one of ${INCIDENT_SEVERITIES.join(', ')}`,
    );
  if (!INCIDENT_STATUSES.includes(spec.status as any))
    problems.push(`spec.status must be one of ${INCIDENT_STATUSES.join(', ')}`);
  if (
    typeof spec.triggeredAt !== 'string' ||
    Number.isNaN(Date.parse(spec.triggeredAt))
  )
    problems.push('spec.triggeredAt must be a timestamp');
  if (
    spec.resolvedAt !== undefined &&
    Number.isNaN(Date.parse(spec.resolvedAt))
  )
    problems.push('spec.resolvedAt must be a timestamp');
  if (spec.commander !== undefined && typeof spec.commander !== 'string')
    problems.push('spec.commander must be an entity ref');
  if (
    !Array.isArray(spec.affects) ||
    spec.affects.some(ref => typeof ref !== 'string')
  ) {
    problems.push('spec.affects must be a list of entity refs');
  } else {
    for (const ref of spec.affects) {
      try {
        parseEntityRef(ref, {
          defaultKind: 'component',
          defaultNamespace: 'default',
        });
      } catch {
        problems.push(`spec.affects: "${ref}" is not an entity ref`);
      }
    }
  }
  return problems;
}
