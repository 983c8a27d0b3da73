export { IncidentHeader } from './IncidentHeader';
