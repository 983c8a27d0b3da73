export { ConflictMergeDialog } from './ConflictMergeDialog';
