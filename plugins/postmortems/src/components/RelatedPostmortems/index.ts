export { RelatedPostmortems } from './RelatedPostmortems';
