import { StorageApi, storageApiRef, useApi } from '@backstage/core-plugin-api';

/**
 * Unsaved section edits, kept in the app's StorageApi so that nothing typed is
 * lost to a reload, a failed request or a conflict. Portals that persist user
 * settings elsewhere than the browser keep the drafts there too. One entry per
 * incident holds that incident's drafts by section key; a draft is removed once
 * its text is saved.
 */
// A type rather than an interface: StorageApi takes JSON values, and only
// type aliases are checked structurally against JsonObject's index signature.
export type SectionDraft = {
  markdown: string;
  /** The section's text on the server when editing started. */
  base: string;
  /** The post-mortem version editing started from. */
  baseVersion: number;
  updatedAt: string;
};

/** The storage bucket drafts live in. */
export const DRAFTS_BUCKET = 'postmortems';

type IncidentDrafts = Record<string, SectionDraft>;

// StorageApi cannot list keys, so one key per incident holds all of its
// drafts; that is what lets the page count the sections with unsaved text.
function keyOf(incidentId: string) {
  return `draft:${incidentId}`;
}

function draftsOf(bucket: StorageApi, incidentId: string): IncidentDrafts {
  const value = bucket.snapshot<IncidentDrafts>(keyOf(incidentId)).value;
  return value && typeof value === 'object' ? value : {};
}

/** The bucket drafts are kept in, from the app's StorageApi. */
export function useDraftStorage(): StorageApi {
  return useApi(storageApiRef).forBucket(DRAFTS_BUCKET);
}

export function readSectionDraft(
  bucket: StorageApi,
  incidentId: string,
  sectionKey: string,
): SectionDraft | undefined {
  const draft = draftsOf(bucket, incidentId)[sectionKey];
  return typeof draft?.markdown === 'string' ? draft : undefined;
}

export function writeSectionDraft(
  bucket: StorageApi,
  incidentId: string,
  sectionKey: string,
  draft: Omit<SectionDraft, 'updatedAt'>,
): void {
  const drafts = {
    ...draftsOf(bucket, incidentId),
    [sectionKey]: { ...draft, updatedAt: new Date().toISOString() },
  };
  // A full or unavailable storage must not break typing; the editor still
  // holds the text.
  bucket.set(keyOf(incidentId), drafts).catch(() => {});
}

export function clearSectionDraft(
  bucket: StorageApi,
  incidentId: string,
  sectionKey: string,
): void {
  const { [sectionKey]: _cleared, ...rest } = draftsOf(bucket, incidentId);
  const write = Object.keys(rest).length
    ? bucket.set(keyOf(incidentId), rest)
    : bucket.remove(keyOf(incidentId));
  write.catch(() => {});
}

/** Section keys with an unsaved draft for this incident. */
export function sectionsWithDrafts(
  bucket: StorageApi,
  incidentId: string,
): string[] {
  return Object.keys(draftsOf(bucket, incidentId));
}
