import { useApi } from '@backstage/core-plugin-api';
import type {
  Postmortem,
  PostmortemSection,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { KeyboardEvent, useEffect, useRef, useState } from 'react';
import { PostmortemConflictError, postmortemsApiRef } from '../../api';
import {
  clearSectionDraft,
  readSectionDraft,
  useDraftStorage,
  writeSectionDraft,
} from '../../domain/localDrafts';
import { useAnnouncer } from '../../hooks/useAnnouncer';

export interface SectionConflict {
  theirs: string;
  theirsLabel: string;
  current: Postmortem;
}

function sectionText(postmortem: Postmortem, key: string): string {
  return postmortem.sections.find(s => s.key === key)?.markdown ?? '';
}

function withSection(
  postmortem: Postmortem,
  section: PostmortemSection,
  markdown: string,
): PostmortemSection[] {
  const known = postmortem.sections.some(s => s.key === section.key);
  return known
    ? postmortem.sections.map(s =>
        s.key === section.key ? { ...s, markdown } : s,
      )
    : [...postmortem.sections, { ...section, markdown }];
}

function describeVersion(postmortem: Postmortem): string {
  const by = postmortem.updated_by ? ` by ${postmortem.updated_by}` : '';
  return `version ${postmortem.version}${by}`;
}

export interface UseSectionEditorOptions {
  incidentId: string;
  section: PostmortemSection;
  /** The post-mortem as last read or saved; saves are based on its version. */
  postmortem: Postmortem;
  onPostmortemChange(postmortem: Postmortem): void;
}

/**
 * The editing state of one section. Every keystroke is kept as a local draft
 * until the text is saved, so a reload, a failed request or a conflicting save
 * loses nothing; a stale save is merged or handed to the user as a conflict.
 */
export function useSectionEditor(options: UseSectionEditorOptions) {
  const { incidentId, section, postmortem } = options;
  const api = useApi(postmortemsApiRef);
  const drafts = useDraftStorage();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const [base, setBase] = useState('');
  const [restoredAt, setRestoredAt] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<Error>();
  const [notice, setNotice] = useState<string>();
  const [conflict, setConflict] = useState<SectionConflict>();
  const editorRef = useRef<HTMLTextAreaElement>(null);
  const focusEditor = useRef(false);
  const editButtonRef = useRef<HTMLButtonElement>(null);
  const focusEditButton = useRef(false);
  const announce = useAnnouncer();
  const textRef = useRef(text);
  textRef.current = text;

  // A draft left by an earlier visit comes back in the editor.
  useEffect(() => {
    const draft = readSectionDraft(drafts, incidentId, section.key);
    if (!draft) return;
    if (draft.markdown === section.markdown) {
      clearSectionDraft(drafts, incidentId, section.key);
      return;
    }
    setEditing(true);
    setText(draft.markdown);
    setBase(draft.base);
    setRestoredAt(draft.updatedAt);
    // Only on mount: later changes of the section must not replace typing.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [incidentId, section.key]);

  const keepDraft = (markdown: string, draftBase: string, version: number) =>
    writeSectionDraft(drafts, incidentId, section.key, {
      markdown,
      base: draftBase,
      baseVersion: version,
    });
  const clearDraft = () => clearSectionDraft(drafts, incidentId, section.key);

  const startEditing = () => {
    setText(section.markdown);
    setBase(section.markdown);
    setRestoredAt(undefined);
    setError(undefined);
    setNotice(undefined);
    focusEditor.current = true;
    setEditing(true);
  };

  // Focus follows the Edit button into the editor (not on a restored draft),
  // and back to the section's Edit button when a save or discard closes the
  // editor: otherwise it would fall to the page's body with the textarea.
  useEffect(() => {
    if (editing && focusEditor.current) {
      focusEditor.current = false;
      editorRef.current?.focus();
    }
    if (!editing && focusEditButton.current) {
      focusEditButton.current = false;
      editButtonRef.current?.focus();
    }
  }, [editing]);

  const closeEditor = () => {
    focusEditButton.current = true;
    setEditing(false);
  };

  const change = (value: string) => {
    setText(value);
    keepDraft(value, base, postmortem.version);
  };

  const discard = () => {
    const hadChanges = textRef.current !== sectionText(postmortem, section.key);
    clearDraft();
    closeEditor();
    setError(undefined);
    setRestoredAt(undefined);
    announce(
      hadChanges
        ? `Changes to ${section.title} discarded`
        : `${section.title} editor closed`,
    );
  };

  const openConflict = (current: Postmortem) =>
    setConflict({
      theirs: sectionText(current, section.key),
      theirsLabel: describeVersion(current),
      current,
    });

  /** Saves `markdown` on top of `against`; a stale version is merged or asked about. */
  const persist = async (
    markdown: string,
    against: Postmortem,
    attempt = 0,
  ): Promise<void> => {
    setSaving(true);
    setError(undefined);
    try {
      const updated = await api.updatePostmortem(incidentId, {
        sections: withSection(against, section, markdown),
        version: against.version,
      });
      clearDraft();
      closeEditor();
      setConflict(undefined);
      setRestoredAt(undefined);
      options.onPostmortemChange(updated);
      announce(`Saved ${section.title}`);
    } catch (e) {
      if (e instanceof PostmortemConflictError) {
        options.onPostmortemChange(e.current);
        const unchangedHere =
          sectionText(e.current, section.key) ===
          sectionText(against, section.key);
        if (unchangedHere && attempt < 3) {
          // Only other sections changed: re-apply this one on top of them.
          setNotice(
            `Saved on top of ${describeVersion(
              e.current,
            )}, which changed other sections.`,
          );
          await persist(markdown, e.current, attempt + 1);
          return;
        }
        openConflict(e.current);
      } else {
        setError(e as Error);
      }
    } finally {
      setSaving(false);
    }
  };

  const save = async () => {
    setNotice(undefined);
    const saved = sectionText(postmortem, section.key);
    if (saved !== base) {
      // The section changed since this edit began (e.g. a restored draft).
      openConflict(postmortem);
      return;
    }
    await persist(text, postmortem);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
      event.preventDefault();
      if (!saving) save();
    }
  };

  const takeTheirs = () => {
    clearDraft();
    closeEditor();
    setConflict(undefined);
    setError(undefined);
    setRestoredAt(undefined);
  };

  const keepEditing = () => {
    if (!conflict) return;
    // The user has seen their version: the next save goes on top of it.
    setBase(conflict.theirs);
    keepDraft(textRef.current, conflict.theirs, conflict.current.version);
    setConflict(undefined);
    setError(undefined);
  };

  const saveMerged = (merged: string) => {
    if (!conflict) return;
    setText(merged);
    setBase(conflict.theirs);
    keepDraft(merged, conflict.theirs, conflict.current.version);
    persist(merged, conflict.current);
  };

  return {
    editing,
    text,
    restoredAt,
    saving,
    error,
    notice,
    dismissNotice: () => setNotice(undefined),
    conflict,
    dirty: editing && text !== sectionText(postmortem, section.key),
    editorRef,
    editButtonRef,
    startEditing,
    change,
    discard,
    save,
    onKeyDown,
    takeTheirs,
    keepEditing,
    saveMerged,
  };
}

export type SectionEditorState = ReturnType<typeof useSectionEditor>;
