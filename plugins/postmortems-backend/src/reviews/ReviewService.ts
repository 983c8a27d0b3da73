import {
  AuthService,
  BackstageCredentials,
  LoggerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, ConflictError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { catalogNames } from '../generation/evidence/entityNames';
import {
  Incident,
  Postmortem,
  ReviewDecision,
  ReviewEvent,
  postmortemUpdatePermission,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { PostmortemRecord } from '../database/PostmortemStore';
import { actorOf, PostmortemAccess } from '../services/PostmortemAccess';
import { PostmortemService } from '../services/PostmortemService';
import { DetailedConflictError } from '../services/errors';
import { ReviewGate } from './ReviewGate';
import { contentHash, sameRef, uniqueRefs } from './reviewState';
import { ReviewRecord, ReviewStore } from './ReviewStore';

type NotificationPayload = Parameters<
  NotificationService['send']
>[0]['payload'];

/**
 * Reviews of post-mortems: asking reviewers, their approvals and requests
 * for changes, and telling people about each step (Backstage
 * notifications), amendments after publishing included.
 */
export class ReviewService {
  constructor(
    private readonly deps: {
      postmortems: PostmortemService;
      gate: ReviewGate;
      store: ReviewStore;
      access: PostmortemAccess;
      logger: LoggerService;
      userInfo?: UserInfoService;
      catalog?: CatalogService;
      auth?: AuthService;
      notifications?: NotificationService;
    },
  ) {}

  /** Every step of the post-mortem's reviews, oldest first. */
  async history(
    incidentRef: string,
    credentials: BackstageCredentials,
  ): Promise<ReviewEvent[]> {
    const { record } = await this.deps.postmortems.readable(
      incidentRef,
      credentials,
    );
    const steps = await this.deps.store.list(record.id);
    return steps.map(({ content_hash: _hash, ...event }) => event);
  }

  /**
   * Asks reviewers to review the current version: those named, or the
   * template's (`owners` becomes the owners of the affected services). A new
   * request starts a new round; earlier decisions no longer count.
   */
  async request(
    incidentRef: string,
    input: { reviewers?: string[]; comment?: string },
    credentials: BackstageCredentials,
  ): Promise<Postmortem> {
    const { incident, record } = await this.deps.postmortems.readable(
      incidentRef,
      credentials,
    );
    await this.deps.access.require(
      postmortemUpdatePermission,
      credentials,
      incident,
    );
    const review = await this.deps.gate.reviewOf(record, record.content);
    const asked = input.reviewers ?? review.template_reviewers;
    const reviewers = await this.expand(asked, incident);
    if (reviewers.length === 0) {
      throw new InputError(
        asked.length
          ? 'reviewers: the owners of the affected services are not known to the catalog; name reviewers'
          : 'reviewers: name at least one reviewer (the template names none)',
      );
    }
    const author = actorOf(credentials);
    await this.deps.store.add({
      postmortem_id: record.id,
      kind: 'requested',
      author,
      reviewers,
      comment: input.comment || null,
      version: record.version,
      content_hash: contentHash(record.content),
    });
    await this.notify(reviewers, {
      title: `Review requested: post-mortem of ${incident.reference}`,
      description: `${await this.nameOf(
        author,
      )} asks you to review the post-mortem of ${incident.reference} "${
        incident.title
      }" before it is published.${input.comment ? ` "${input.comment}"` : ''}`,
      link: linkTo(incident),
      severity: 'normal',
      topic: 'postmortems',
    });
    return this.deps.postmortems.get(incident.id, credentials);
  }

  /**
   * A reviewer's decision on the current version. It counts for every
   * reviewer asked that the caller is or belongs to.
   */
  async decide(
    incidentRef: string,
    input: { decision: ReviewDecision; comment?: string; version?: number },
    credentials: BackstageCredentials,
  ): Promise<Postmortem> {
    const { incident, record } = await this.deps.postmortems.readable(
      incidentRef,
      credentials,
    );
    if (input.version !== undefined && input.version !== record.version) {
      throw new DetailedConflictError(
        `The post-mortem changed since you read it (now version ${record.version}); read it again before deciding`,
        { current_version: record.version },
      );
    }
    const review = await this.deps.gate.reviewOf(record, record.content);
    if (review.state === 'not_requested') {
      throw new ConflictError('No review was requested for this post-mortem');
    }
    const claims = await this.claimsOf(credentials);
    const forReviewers = review.reviewers
      .map(r => r.reviewer)
      .filter(reviewer => claims.some(claim => sameRef(claim, reviewer)));
    if (forReviewers.length === 0) {
      throw new NotAllowedError(
        `Only the reviewers asked may decide: ${review.reviewers
          .map(r => r.reviewer)
          .join(', ')}`,
      );
    }
    const author = actorOf(credentials);
    await this.deps.store.add({
      postmortem_id: record.id,
      kind: input.decision,
      author,
      reviewers: forReviewers,
      comment: input.comment || null,
      version: record.version,
      content_hash: contentHash(record.content),
    });
    const recipients = uniqueRefs(
      [review.requested_by, record.created_by].filter(
        (ref): ref is string => !!ref && /^user:/i.test(ref),
      ),
    );
    await this.notify(recipients, {
      title:
        input.decision === 'approved'
          ? `${await this.nameOf(author)} approved the post-mortem of ${
              incident.reference
            }`
          : `${await this.nameOf(
              author,
            )} asks for changes to the post-mortem of ${incident.reference}`,
      description: input.comment ?? `Version ${record.version}.`,
      link: linkTo(incident),
      severity: input.decision === 'approved' ? 'normal' : 'high',
      topic: 'postmortems',
    });
    return this.deps.postmortems.get(incident.id, credentials);
  }

  /**
   * Tells the readers who follow a published post-mortem that it was
   * amended: the owners of the affected services and the reviewers.
   */
  async amended(
    incident: Incident,
    record: PostmortemRecord,
    actor: string | null,
    /** Its review steps, when they were read with it. */
    steps?: ReviewRecord[],
  ): Promise<void> {
    // The amendment is saved; telling people must not undo or fail it.
    const review = await this.deps.gate
      .reviewOf(record, record.content, steps)
      .catch(() => undefined);
    const recipients = uniqueRefs([
      ...incident.services,
      ...(review?.reviewers.map(r => r.reviewer) ?? []),
    ]);
    await this.notify(recipients, {
      title: `Post-mortem of ${incident.reference} amended`,
      description: `${
        actor ? await this.nameOf(actor) : 'Someone'
      } amended the published post-mortem of ${incident.reference} "${
        incident.title
      }" (version ${record.version}; published as version ${
        record.published_version ?? '?'
      }).`,
      link: linkTo(incident),
      severity: 'normal',
      topic: 'postmortems',
    });
  }

  /** Reviewer refs with `owners` replaced by the affected services' owners. */
  private async expand(
    reviewers: string[],
    incident: Incident,
  ): Promise<string[]> {
    const named = reviewers.filter(r => r !== 'owners');
    if (!reviewers.includes('owners')) return uniqueRefs(named);
    return uniqueRefs([...named, ...(await this.ownersOf(incident.services))]);
  }

  private async ownersOf(services: string[]): Promise<string[]> {
    const { catalog, auth } = this.deps;
    if (!catalog || !auth || services.length === 0) return [];
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: services, fields: ['relations'] },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    return items.flatMap(entity =>
      (entity?.relations ?? [])
        .filter(relation => relation.type === 'ownedBy')
        .map(relation => relation.targetRef),
    );
  }

  /** The refs a reviewer acts as: themselves and the groups they belong to. */
  private async claimsOf(credentials: BackstageCredentials): Promise<string[]> {
    const self = actorOf(credentials);
    if (!self || !/^user:/i.test(self)) {
      throw new NotAllowedError('Only people review post-mortems');
    }
    if (!this.deps.userInfo) return [self];
    const info = await this.deps.userInfo.getUserInfo(credentials);
    return uniqueRefs([self, ...info.ownershipEntityRefs]);
  }

  /** A person as a notification names them: their catalog name, never their ref. */
  private async nameOf(ref: string): Promise<string> {
    const names = await catalogNames([ref.toLowerCase()], this.deps);
    return names[ref.toLowerCase()]?.title ?? ref;
  }

  private async notify(recipients: string[], payload: NotificationPayload) {
    if (!this.deps.notifications || recipients.length === 0) return;
    try {
      await this.deps.notifications.send({
        recipients: { type: 'entity', entityRef: recipients },
        payload,
      });
    } catch (error) {
      // The review step is kept; only the message is lost.
      this.deps.logger.warn(
        `Could not notify ${recipients.join(', ')}: ${payload.title}`,
        error as Error,
      );
    }
  }
}

function linkTo(incident: Incident) {
  return `/postmortems/incidents/${incident.reference}`;
}
