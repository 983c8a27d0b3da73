// The error classes integrations throw too live in postmortems-node, so that
// the router's error envelope recognises them wherever they come from.
export {
  DetailedConflictError,
  ValidationError,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
export type { FieldIssue } from '@postmortems-oss/backstage-plugin-postmortems-node';
