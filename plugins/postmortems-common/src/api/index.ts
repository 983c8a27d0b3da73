/*
 * The native API's contract, one module per resource: request schemas the
 * backend validates with, response schemas other plugins parse with, and the
 * TypeScript types of both inferred from them.
 */
export {
  pageQuerySchema,
  pageSchema,
  listSchema,
  idParamsSchema,
  errorEnvelopeSchema,
  healthSchema,
} from './shared';
export type {
  Page,
  PageQuery,
  ErrorEnvelope,
  PostmortemsHealth,
} from './shared';
export * from './incidents';
export * from './postmortems';
export * from './actionItems';
export * from './templates';
export * from './generation';
export * from './exports';
export * from './trackers';
export * from './figures';
export * from './reviews';
export * from './related';
export * from './recurrence';
