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
  const drafts = value && typeof value === 'object' ? value : {};
  return { ...legacyDrafts(bucket, incidentId, drafts), ...drafts };
}

/** Where earlier releases kept each draft: `localStorage`, one key per section. */
const LEGACY_PREFIX = 'postmortems:draft:';

/**
 * Drafts an earlier release left in the browser's localStorage are moved into
 * the bucket the first time their incident is read, so an upgrade loses no
 * unsaved text. A draft already in the bucket wins over its old copy.
 */
function legacyDrafts(
  bucket: StorageApi,
  incidentId: string,
  current: IncidentDrafts,
): IncidentDrafts {
  let local: Storage | undefined;
  try {
    local = typeof window !== 'undefined' ? window.localStorage : undefined;
  } catch {
    // Storage can be disabled by the browser's privacy settings.
    return {};
  }
  if (!local) return {};
  const prefix = `${LEGACY_PREFIX}${incidentId}:`;
  const found: IncidentDrafts = {};
  const keys: string[] = [];
  for (let i = 0; i < local.length; i++) {
    const key = local.key(i);
    if (key?.startsWith(prefix)) keys.push(key);
  }
  for (const key of keys) {
    try {
      const draft = JSON.parse(local.getItem(key) ?? '') as SectionDraft;
      if (typeof draft?.markdown === 'string') {
        found[key.slice(prefix.length)] = draft;
      }
    } catch {
      // An unreadable old entry has nothing to carry over.
    }
  }
  if (keys.length === 0) return {};
  bucket
    .set(keyOf(incidentId), { ...found, ...current })
    .then(() => keys.forEach(key => local!.removeItem(key)))
    .catch(() => {});
  return found;
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
