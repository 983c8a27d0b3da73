/**
 * The Incident entity kind for the Backstage catalog.
 *
 * @packageDocumentation
 */
export { catalogModuleIncidents as default } from './module';
export { IncidentEntityProcessor } from './IncidentEntityProcessor';
export { IncidentEntityProvider } from './IncidentEntityProvider';
export * from './incidentEntity';
