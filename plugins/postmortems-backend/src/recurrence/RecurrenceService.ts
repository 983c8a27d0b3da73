import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  Incident,
  postmortemUpdatePermission,
  PostmortemCauses,
  RecurrenceLink,
  Recurrences,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { IncidentStore } from '../database/IncidentStore';
import { ActionItemStore } from '../database/ActionItemStore';
import { PostmortemRecord, PostmortemStore } from '../database/PostmortemStore';
import { PostmortemAccess } from '../services/PostmortemAccess';
import { PostmortemService } from '../services/PostmortemService';
import { TemplateService } from '../services/TemplateService';
import { CauseStore } from './CauseStore';
import { suggestCauses } from './causeSuggestions';
import { RecurrenceRecord, RecurrenceStore } from './RecurrenceStore';

/**
 * Cause categories and the recurrences they reveal. Filing a post-mortem's
 * causes looks for earlier post-mortems of a shared service, with a shared
 * category, whose action items were all done before this incident began:
 * the items did not stop it from happening again. Each recurrence found is
 * kept (both post-mortems show it) and the owners of the earlier items are
 * told once. Later post-mortems of the same services are looked at again,
 * since an earlier post-mortem filed late can make them recurrences too.
 */
export class RecurrenceService {
  constructor(
    private readonly deps: {
      postmortems: PostmortemService;
      postmortemStore: PostmortemStore;
      incidentStore: IncidentStore;
      actionItems: ActionItemStore;
      templates: TemplateService;
      access: PostmortemAccess;
      causes: CauseStore;
      store: RecurrenceStore;
      logger: LoggerService;
      notifications?: NotificationService;
    },
  ) {}

  async causes(
    incidentRef: string,
    credentials: BackstageCredentials,
  ): Promise<PostmortemCauses> {
    const { record } = await this.deps.postmortems.readable(
      incidentRef,
      credentials,
    );
    return this.causesOf(record);
  }

  /** Files the post-mortem under `categories` (its template's) and looks for recurrences. */
  async setCauses(
    incidentRef: string,
    categories: string[],
    credentials: BackstageCredentials,
  ): Promise<PostmortemCauses> {
    const { incident, record } = await this.deps.postmortems.readable(
      incidentRef,
      credentials,
    );
    await this.deps.access.require(
      postmortemUpdatePermission,
      credentials,
      incident,
    );
    const available = await this.available(record);
    const byLowerCase = new Map(available.map(c => [c.toLowerCase(), c]));
    const chosen = new Set<string>();
    categories.forEach((category, index) => {
      const known = byLowerCase.get(category.trim().toLowerCase());
      if (!known) {
        throw new InputError(
          `categories.${index}: "${category}" is not a cause category of this post-mortem's template (${available.join(
            ', ',
          )})`,
        );
      }
      chosen.add(known);
    });
    await this.deps.causes.replace(record.id, [...chosen]);
    await this.detect(incident, record, [...chosen]);
    await this.redetectLater(incident, record);
    return this.causesOf(record);
  }

  async recurrences(
    incidentRef: string,
    credentials: BackstageCredentials,
  ): Promise<Recurrences> {
    const { record } = await this.deps.postmortems.readable(
      incidentRef,
      credentials,
    );
    const records = await this.deps.store.involving(record.id);
    // Both sides of every recurrence, read once: the other post-mortem is
    // named, the later one's incident dates the recurrence.
    const briefs = new Map(
      (
        await this.briefs(
          records.flatMap(r => [r.postmortemId, r.earlierPostmortemId]),
        )
      ).map(b => [b.postmortemId, b]),
    );
    const link = (r: RecurrenceRecord, otherId: string): RecurrenceLink[] => {
      const other = briefs.get(otherId);
      const laterOne = briefs.get(r.postmortemId);
      if (!other || !laterOne) return [];
      return [
        {
          postmortem_id: otherId,
          incident_id: other.incident.id,
          reference: other.incident.reference,
          title: other.incident.title,
          triggered_at: other.incident.triggered_at,
          categories: r.categories,
          services: r.services,
          items: r.items,
          items_done_at: r.itemsDoneAt,
          after_ms: Math.max(
            0,
            Date.parse(laterOne.incident.triggered_at) -
              Date.parse(r.itemsDoneAt),
          ),
          detected_at: r.detectedAt,
        },
      ];
    };
    return {
      recurrence_of: records
        .filter(r => r.postmortemId === record.id)
        .flatMap(r => link(r, r.earlierPostmortemId)),
      recurred_in: records
        .filter(r => r.earlierPostmortemId === record.id)
        .flatMap(r => link(r, r.postmortemId)),
    };
  }

  /** Post-mortems with their incidents, for the other side of each link. */
  private async briefs(
    postmortemIds: string[],
  ): Promise<Array<{ postmortemId: string; incident: Incident }>> {
    const records = (
      await Promise.all(
        [...new Set(postmortemIds)].map(id =>
          this.deps.postmortemStore.getById(id),
        ),
      )
    ).filter((r): r is PostmortemRecord => Boolean(r));
    const incidents = new Map(
      (
        await this.deps.incidentStore.getMany(records.map(r => r.incident_id))
      ).map(i => [i.id, i]),
    );
    return records.flatMap(r => {
      const incident = incidents.get(r.incident_id);
      return incident ? [{ postmortemId: r.id, incident }] : [];
    });
  }

  private async causesOf(record: PostmortemRecord): Promise<PostmortemCauses> {
    const [categories, available] = await Promise.all([
      this.deps.causes.categoriesOf(record.id),
      this.available(record),
    ]);
    const chosen = new Set(categories);
    return {
      categories,
      available,
      suggested: suggestCauses(record.sections, available).filter(
        c => !chosen.has(c),
      ),
    };
  }

  /** The template's categories; a deleted template's post-mortem gets the active one's. */
  private async available(record: PostmortemRecord): Promise<string[]> {
    const template = await this.deps.templates
      .resolve(record.template_id)
      .catch(() => this.deps.templates.resolve());
    return template.cause_categories;
  }

  /** Finds the recurrences of `record` as the later post-mortem and keeps them. */
  private async detect(
    incident: Incident,
    record: PostmortemRecord,
    categories: string[],
  ): Promise<void> {
    const found = await this.deps.store.candidates({
      postmortemId: record.id,
      incidentId: incident.id,
      triggeredAt: incident.triggered_at,
      services: incident.services.map(lower),
      categories,
    });
    const fresh = await this.deps.store.replaceFor(record.id, found);
    for (const recurrence of fresh) {
      await this.notifyOwners(incident, recurrence);
    }
  }

  private async redetectLater(incident: Incident, record: PostmortemRecord) {
    const later = await this.deps.store.laterOnServices(
      record.id,
      incident.triggered_at,
      incident.services.map(lower),
    );
    for (const postmortemId of later) {
      const other = await this.deps.postmortemStore.getById(postmortemId);
      if (!other) continue;
      const otherIncident = await this.deps.incidentStore.get(
        other.incident_id,
      );
      if (!otherIncident) continue;
      await this.detect(
        otherIncident,
        other,
        await this.deps.causes.categoriesOf(other.id),
      );
    }
  }

  /**
   * Tells the owners of the earlier post-mortem's action items that its
   * cause came back although their items were done: what they changed was
   * not enough, or not where it mattered.
   */
  private async notifyOwners(
    incident: Incident,
    recurrence: RecurrenceRecord,
  ): Promise<void> {
    const earlier = (await this.briefs([recurrence.earlierPostmortemId]))[0];
    if (!earlier) return;
    const owners = [
      ...new Set(
        (
          await this.deps.actionItems.listForPostmortem(
            recurrence.earlierPostmortemId,
          )
        ).flatMap(item =>
          item.owner && /^(user|group):/i.test(item.owner) ? [item.owner] : [],
        ),
      ),
    ];
    if (!owners.length || !this.deps.notifications) return;
    try {
      await this.deps.notifications.send({
        recipients: { type: 'entity', entityRef: owners },
        payload: {
          title: `${incident.reference} looks like a recurrence of ${earlier.incident.reference}`,
          description: `${incident.reference} "${
            incident.title
          }" affected ${recurrence.services.join(
            ', ',
          )} with a cause filed as ${recurrence.categories.join(
            ', ',
          )}, after all ${recurrence.items} action items of ${
            earlier.incident.reference
          } were done. Were they enough?`,
          link: `/postmortems/incidents/${incident.reference}`,
          severity: 'high',
          topic: 'postmortems',
        },
      });
      await this.deps.store.markNotified(recurrence.id);
    } catch (error) {
      // The recurrence is kept and shown; only the message is lost.
      this.deps.logger.warn(
        `Could not tell ${owners.join(', ')} about the recurrence in ${
          incident.reference
        }`,
        error as Error,
      );
    }
  }
}

function lower(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}
