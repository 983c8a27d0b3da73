import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  CuratedTimeline,
  CuratedTimelineEntry,
  Incident,
  IncidentDurations,
  postmortemUpdatePermission,
  TimelineKeyMoment,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { IncidentStore } from '../database/IncidentStore';
import {
  CurationChange,
  MarkedMoment,
  TimelineCurationStore,
} from '../database/TimelineCurationStore';
import { IncidentService } from './IncidentService';
import { actorOf, PostmortemAccess } from './PostmortemAccess';
import { curationOf } from './timelineNoise';

/**
 * The curated timeline of an incident's post-mortem: which entries are
 * hidden (by an author, or as noise by default), pinned, and which mark the
 * key moments, and the durations those moments give.
 */
export class TimelineCurationService {
  constructor(
    private readonly deps: {
      incidents: IncidentService;
      incidentStore: IncidentStore;
      store: TimelineCurationStore;
      access: PostmortemAccess;
    },
  ) {}

  /**
   * A page of the curated timeline, oldest first. Noise is classified per
   * entry, so the whole timeline is read (as drafting does) and paged here.
   */
  async curated(
    idOrNumber: string,
    page: { offset: number; limit: number; includeHidden: boolean },
  ): Promise<Omit<CuratedTimeline, 'page' | 'limit'>> {
    const incident = await this.deps.incidents.get(idOrNumber);
    const [timeline, stored, moments] = await Promise.all([
      this.deps.incidentStore.fullTimeline(incident.id),
      this.deps.store.curationOf(incident.id),
      this.deps.store.keyMomentsOf(incident.id),
    ]);
    const entries: CuratedTimelineEntry[] = timeline.map(entry => ({
      ...entry,
      curation: curationOf(entry, stored.get(entry.id)),
    }));
    const hidden = entries.filter(e => e.curation.hidden).length;
    const listed = page.includeHidden
      ? entries
      : entries.filter(e => !e.curation.hidden);
    return {
      data: listed.slice(page.offset, page.offset + page.limit),
      total: listed.length,
      hidden,
      durations: durationsOf(incident, moments),
    };
  }

  /** The incident's key moments and durations. */
  async durations(idOrNumber: string): Promise<IncidentDurations> {
    const incident = await this.deps.incidents.get(idOrNumber);
    return durationsOf(
      incident,
      await this.deps.store.keyMomentsOf(incident.id),
    );
  }

  /**
   * Curates one entry; whoever may edit the incident's post-mortem may do
   * it. 404 for an entry that is not on this incident's timeline.
   */
  async curate(
    idOrNumber: string,
    entryId: string,
    change: CurationChange,
    credentials: BackstageCredentials,
  ): Promise<CuratedTimelineEntry> {
    const incident = await this.deps.incidents.get(idOrNumber);
    await this.deps.access.require(
      postmortemUpdatePermission,
      credentials,
      incident,
    );
    const entry = await this.deps.store.entryOf(incident.id, entryId);
    if (!entry) {
      throw new NotFoundError(
        `No timeline entry ${entryId} on ${incident.reference}`,
      );
    }
    const stored = await this.changeWithRetry(
      incident.id,
      entryId,
      change,
      actorOf(credentials),
    );
    return { ...entry, curation: curationOf(entry, stored) };
  }

  /**
   * Two authors marking the same key moment at once on PostgreSQL: the
   * second insert meets the first's row in the unique index and fails; run
   * again, it moves the moment as the later change.
   */
  private async changeWithRetry(
    incidentId: string,
    entryId: string,
    change: CurationChange,
    actor: string,
  ) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.deps.store.change(incidentId, entryId, change, actor);
      } catch (error) {
        if (attempt >= 3 || !isUniqueViolation(error)) throw error;
      }
    }
  }
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}

/**
 * The durations from the incident's trigger to each key moment. A moment
 * marked before the trigger (an alert line before the incident was declared)
 * counts as zero rather than a negative duration.
 */
export function durationsOf(
  incident: Pick<Incident, 'triggered_at' | 'acknowledged_at' | 'resolved_at'>,
  marked: MarkedMoment[],
): IncidentDurations {
  const own: Partial<Record<TimelineKeyMoment, string | null>> = {
    acknowledged: incident.acknowledged_at,
    resolved: incident.resolved_at,
  };
  const momentOf = (kind: TimelineKeyMoment) => {
    const mark = marked.find(m => m.keyMoment === kind);
    if (mark) {
      return {
        at: mark.at,
        source: 'key_moment' as const,
        entry_id: mark.entryId,
      };
    }
    const at = own[kind];
    return at ? { at, source: 'incident' as const, entry_id: null } : null;
  };
  const moments = {
    detected: momentOf('detected'),
    acknowledged: momentOf('acknowledged'),
    mitigated: momentOf('mitigated'),
    resolved: momentOf('resolved'),
  };
  const since = (moment: { at: string } | null) =>
    moment
      ? Math.max(0, Date.parse(moment.at) - Date.parse(incident.triggered_at))
      : null;
  return {
    triggered_at: incident.triggered_at,
    moments,
    mttd_ms: since(moments.detected),
    mtta_ms: since(moments.acknowledged),
    mttm_ms: since(moments.mitigated),
    mttr_ms: since(moments.resolved),
  };
}
