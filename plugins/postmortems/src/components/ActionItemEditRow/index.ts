export {
  ActionItemEditRow,
  draftOfActionItem,
  emptyActionItemDraft,
  inputOfActionItemDraft,
} from './ActionItemEditRow';
export type {
  ActionItemDraft,
  ActionItemEditRowProps,
} from './ActionItemEditRow';
