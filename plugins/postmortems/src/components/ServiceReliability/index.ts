export { ServiceReliability } from './ServiceReliability';
