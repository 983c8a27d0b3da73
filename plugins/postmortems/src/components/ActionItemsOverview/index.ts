export { ActionItemsOverview } from './ActionItemsOverview';
