/**
 * Unsaved section edits, kept in the browser's localStorage so that nothing
 * typed is lost to a reload, a failed request or a conflict. One entry per
 * incident and section; removed once the text is saved.
 */
export interface SectionDraft {
  markdown: string;
  /** The section's text on the server when editing started. */
  base: string;
  /** The post-mortem version editing started from. */
  baseVersion: number;
  updatedAt: string;
}

const PREFIX = 'postmortems:draft:';

function keyOf(incidentId: string, sectionKey: string) {
  return `${PREFIX}${incidentId}:${sectionKey}`;
}

function storage(): Storage | undefined {
  try {
    return typeof window !== 'undefined' ? window.localStorage : undefined;
  } catch {
    // Storage can be disabled by the browser's privacy settings.
    return undefined;
  }
}

export function readSectionDraft(
  incidentId: string,
  sectionKey: string,
): SectionDraft | undefined {
  const raw = storage()?.getItem(keyOf(incidentId, sectionKey));
  if (!raw) return undefined;
  try {
    const draft = JSON.parse(raw) as SectionDraft;
    return typeof draft.markdown === 'string' ? draft : undefined;
  } catch {
    return undefined;
  }
}

export function writeSectionDraft(
  incidentId: string,
  sectionKey: string,
  draft: Omit<SectionDraft, 'updatedAt'>,
): void {
  try {
    storage()?.setItem(
      keyOf(incidentId, sectionKey),
      JSON.stringify({ ...draft, updatedAt: new Date().toISOString() }),
    );
  } catch {
    // A full storage must not break typing; the editor still holds the text.
  }
}

export function clearSectionDraft(incidentId: string, sectionKey: string) {
  storage()?.removeItem(keyOf(incidentId, sectionKey));
}

/** Section keys with an unsaved draft for this incident. */
export function sectionsWithDrafts(incidentId: string): string[] {
  const store = storage();
  if (!store) return [];
  const prefix = `${PREFIX}${incidentId}:`;
  const keys: string[] = [];
  for (let i = 0; i < store.length; i++) {
    const key = store.key(i);
    if (key?.startsWith(prefix)) keys.push(key.slice(prefix.length));
  }
  return keys;
}
