export { PostmortemFilters } from './PostmortemFilters';
export type { PostmortemFilterValues } from './PostmortemFilters';
