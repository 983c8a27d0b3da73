export { ActionItemList } from './ActionItemList';
