/**
 * Evidence fixtures for testing draft providers and other integrations
 * without a running backend: the demo incidents (import documents), a
 * synthetic incident of any length and the evidence bundle the core would
 * give a provider for each.
 *
 * @packageDocumentation
 */
export { demoIncidents } from './demo/demoIncidents';
export { longIncident } from './generation/syntheticIncident';
export {
  builtinTemplate,
  evidenceFromDocument,
  incidentFromDocument,
} from './generation/offline';
