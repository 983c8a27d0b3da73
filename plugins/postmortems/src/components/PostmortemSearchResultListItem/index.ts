export { PostmortemSearchResultListItem } from './PostmortemSearchResultListItem';
export type {
  PostmortemSearchDocument,
  PostmortemSearchResultListItemProps,
} from './PostmortemSearchResultListItem';
