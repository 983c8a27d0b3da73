export { PostmortemSectionCard } from './PostmortemSectionCard';
export type { PostmortemSectionCardProps } from './PostmortemSectionCard';
