export { RelatedPostmortems, relatedReasonText } from './RelatedPostmortems';
