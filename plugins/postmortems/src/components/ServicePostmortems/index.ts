export { ServicePostmortems } from './ServicePostmortems';
