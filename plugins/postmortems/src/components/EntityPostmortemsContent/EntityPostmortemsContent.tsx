import { useEntity } from '@backstage/plugin-catalog-react';
import { incidentIdOf, isIncidentEntity } from '../../domain/incidentEntity';
import { IncidentPostmortem } from '../IncidentPostmortem';
import { ServicePostmortems } from '../ServicePostmortems';

/**
 * The Post-Mortems tab of an entity page. On an Incident entity it is that
 * incident's post-mortem; on a service (or any other entity) the post-mortems
 * of the incidents that affected it.
 *
 * @public
 */
export const EntityPostmortemsContent = () => {
  const { entity } = useEntity();
  if (isIncidentEntity(entity)) {
    return <IncidentPostmortem incidentId={incidentIdOf(entity)} />;
  }
  return <ServicePostmortems entity={entity} />;
};
