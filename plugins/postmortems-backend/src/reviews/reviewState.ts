import { createHash } from 'node:crypto';
import {
  PostmortemReview,
  ReviewerStatus,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { ReviewRecord } from './ReviewStore';

/** What an approval is of: the content, so that any later edit needs a new look. */
export function contentHash(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Entity refs compare case-insensitively. */
export const sameRef = (a: string, b: string) =>
  a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');

/** Each entity ref once, the first spelling kept. */
export function uniqueRefs(refs: string[]): string[] {
  const seen = new Set<string>();
  return refs.filter(ref => {
    const key = ref.toLocaleLowerCase('en-US');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Where a review stands, from its steps (oldest first): the latest request
 * names the reviewers; each reviewer's latest decision since then counts,
 * and counts as current only while the content is what they decided on.
 */
export function reviewOf(
  steps: ReviewRecord[],
  templateReviewers: string[],
  currentContentHash: string,
): PostmortemReview {
  let requestAt = -1;
  steps.forEach((step, index) => {
    if (step.kind === 'requested') requestAt = index;
  });
  if (requestAt < 0) {
    return {
      state: 'not_requested',
      required: templateReviewers.length > 0,
      template_reviewers: templateReviewers,
      requested_by: null,
      requested_at: null,
      reviewers: [],
    };
  }
  const request = steps[requestAt];
  const decisions = steps.slice(requestAt + 1);
  const reviewers = request.reviewers.map((reviewer): ReviewerStatus => {
    const latest = decisions
      .filter(d => d.reviewers.some(r => sameRef(r, reviewer)))
      .pop();
    return {
      reviewer,
      decision: latest && latest.kind !== 'requested' ? latest.kind : null,
      decided_by: latest?.author ?? null,
      decided_at: latest?.created_at ?? null,
      comment: latest?.comment ?? null,
      current: latest ? latest.content_hash === currentContentHash : false,
    };
  });
  let state: PostmortemReview['state'] = 'in_review';
  if (reviewers.some(r => r.decision === 'changes_requested' && r.current)) {
    state = 'changes_requested';
  } else if (reviewers.every(r => r.decision === 'approved' && r.current)) {
    state = 'approved';
  }
  return {
    state,
    required: true,
    template_reviewers: templateReviewers,
    requested_by: request.author,
    requested_at: request.created_at,
    reviewers,
  };
}

/** Who is still to approve, in words for an error message. */
export function pendingReviewers(review: PostmortemReview): string[] {
  if (review.state === 'not_requested') return review.template_reviewers;
  return review.reviewers
    .filter(r => !(r.decision === 'approved' && r.current))
    .map(r => r.reviewer);
}
