export {
  EntityActionItemsCard,
  useEntityActionItems,
} from './EntityActionItemsCard';
