import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { ReviewEvent } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { parseJson, toCount, toIsoRequired } from '../database/rows';

/** A review step as stored: the event plus the content it was taken on. */
export interface ReviewRecord extends ReviewEvent {
  /** Hash of the post-mortem's content at that step (see contentHash). */
  content_hash: string;
}

export type NewReviewStep = Omit<ReviewRecord, 'id' | 'created_at'>;

/** Every step of every review, oldest first; steps are never changed. */
export class ReviewStore {
  constructor(private readonly db: Knex) {}

  async add(step: NewReviewStep): Promise<ReviewRecord> {
    const row = {
      id: randomUUID(),
      postmortem_id: step.postmortem_id,
      kind: step.kind,
      author: step.author,
      reviewers: JSON.stringify(step.reviewers),
      comment: step.comment,
      version: step.version,
      content_hash: step.content_hash,
      created_at: new Date(),
    };
    await this.db('postmortem_reviews').insert(row);
    return toReview(row);
  }

  /** The steps of one post-mortem's reviews, oldest first. */
  async list(postmortemId: string): Promise<ReviewRecord[]> {
    const rows = await this.db('postmortem_reviews')
      .where({ postmortem_id: postmortemId })
      .orderBy('created_at')
      .orderBy('id');
    return rows.map(toReview);
  }
}

export function toReview(row: any): ReviewRecord {
  return {
    id: row.id,
    postmortem_id: row.postmortem_id,
    kind: row.kind,
    author: row.author,
    reviewers: parseJson<string[]>(row.reviewers, []),
    comment: row.comment ?? null,
    version: toCount(row.version),
    content_hash: row.content_hash,
    created_at: toIsoRequired(row.created_at),
  };
}
