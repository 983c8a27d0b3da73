import { MockStorageApi } from '@backstage/test-utils';
import {
  DRAFTS_BUCKET,
  readSectionDraft,
  sectionsWithDrafts,
  writeSectionDraft,
} from './localDrafts';

describe('local drafts', () => {
  beforeEach(() => window.localStorage.clear());

  it('keeps drafts per incident and section in the storage bucket', () => {
    const bucket = MockStorageApi.create().forBucket(DRAFTS_BUCKET);
    writeSectionDraft(bucket, 'incident-1', 'summary', {
      markdown: 'typed',
      base: 'server text',
      baseVersion: 3,
    });
    expect(readSectionDraft(bucket, 'incident-1', 'summary')?.markdown).toBe(
      'typed',
    );
    expect(sectionsWithDrafts(bucket, 'incident-2')).toEqual([]);
  });

  it('carries over the drafts an earlier release left in localStorage', async () => {
    const old = {
      markdown: 'typed before the upgrade',
      base: 'server text',
      baseVersion: 2,
      updatedAt: '2026-11-30T10:00:00.000Z',
    };
    window.localStorage.setItem(
      'postmortems:draft:incident-1:summary',
      JSON.stringify(old),
    );
    window.localStorage.setItem('postmortems:draft:incident-9:summary', '{}');
    const bucket = MockStorageApi.create().forBucket(DRAFTS_BUCKET);

    expect(readSectionDraft(bucket, 'incident-1', 'summary')).toEqual(old);
    expect(sectionsWithDrafts(bucket, 'incident-1')).toEqual(['summary']);
    // Moved, not copied: the bucket has it and the old key is gone.
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(
      window.localStorage.getItem('postmortems:draft:incident-1:summary'),
    ).toBeNull();
    expect(bucket.snapshot('draft:incident-1').value).toEqual({ summary: old });
    // Another incident's old drafts wait for that incident.
    expect(
      window.localStorage.getItem('postmortems:draft:incident-9:summary'),
    ).toBe('{}');
  });
});
