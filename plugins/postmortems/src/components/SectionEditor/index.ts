export { SectionEditor } from './SectionEditor';
export type { SectionEditorProps } from './SectionEditor';
export { useSectionEditor } from './useSectionEditor';
export type {
  SectionConflict,
  SectionEditorState,
  UseSectionEditorOptions,
} from './useSectionEditor';
