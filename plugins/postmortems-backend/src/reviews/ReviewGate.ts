import { ConflictError } from '@backstage/errors';
import { PostmortemReview } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { PostmortemRecord } from '../database/PostmortemStore';
import { TemplateService } from '../services/TemplateService';
import { contentHash, pendingReviewers, reviewOf } from './reviewState';
import { ReviewRecord, ReviewStore } from './ReviewStore';

/**
 * What reviews mean for a post-mortem's reads and for publishing: a
 * post-mortem whose template names reviewers, or whose author asked for a
 * review, publishes only once every reviewer asked approved its content.
 */
export class ReviewGate {
  constructor(
    private readonly deps: { store: ReviewStore; templates: TemplateService },
  ) {}

  /** The review of `content`; `steps` when they were read already. */
  async reviewOf(
    record: Pick<PostmortemRecord, 'id' | 'template_id'>,
    content: string,
    steps?: ReviewRecord[],
  ): Promise<PostmortemReview> {
    const [allSteps, templateReviewers] = await Promise.all([
      steps ?? this.deps.store.list(record.id),
      this.templateReviewers(record.template_id),
    ]);
    return reviewOf(allSteps, templateReviewers, contentHash(content));
  }

  /** Refuses (409) to publish `content` before the review approved it. */
  async assertMayPublish(
    record: Pick<PostmortemRecord, 'id' | 'template_id'>,
    content: string,
  ): Promise<void> {
    const review = await this.reviewOf(record, content);
    if (!review.required || review.state === 'approved') return;
    const waiting = pendingReviewers(review).join(', ');
    const why =
      review.state === 'not_requested'
        ? `its template asks for a review by ${waiting}; request one`
        : `it waits for approval by ${waiting}`;
    throw new ConflictError(`This post-mortem cannot be published yet: ${why}`);
  }

  private async templateReviewers(templateId: string | null) {
    if (!templateId) return [];
    const template = await this.deps.templates
      .get(templateId)
      .catch(() => undefined);
    return template?.reviewers ?? [];
  }
}
