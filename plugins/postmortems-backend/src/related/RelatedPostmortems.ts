import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Incident,
  PostmortemSection,
  postmortemReadDraftPermission,
  postmortemReadPermission,
  RelatedPostmortem,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { Knex } from 'knex';
import { IncidentStore } from '../database/IncidentStore';
import { whereReadable } from '../database/readableScope';
import { parseJson, toCount, toIso } from '../database/rows';
import { IncidentService } from '../services/IncidentService';
import { PostmortemAccess } from '../services/PostmortemAccess';
import { ServiceRelationsLookup } from './catalogRelations';
import { CauseIndex } from './causeIndex';
import { publishedChangeCount } from './publishedChanges';
import { RelatedCandidate, rankRelatedIndexed } from './ranking';
import {
  causeText,
  DocumentFrequencies,
  termVector,
  TermVector,
  weigh,
  WeightedVector,
} from './causeText';

/** With fewer cause words than this, the incident's title and summary are added. */
const MIN_QUERY_TERMS = 3;

/** How many rows one `where in` binds (SQLite allows 999 parameters). */
const CHUNK = 500;

interface CachedVector {
  version: number;
  vector: TermVector;
}

/**
 * The cached causes weighed with the document frequencies of the same
 * moment, and indexed by term: made again when any of them changed.
 */
interface WeighedCauses {
  frequencies: DocumentFrequencies;
  index: CauseIndex;
  /** The post-mortem of each document of the index, and the reverse. */
  ids: string[];
  documents: Map<string, number>;
  vectors: Array<WeightedVector | undefined>;
}

/** The published post-mortems as read at one value of their change counter. */
interface PublishedSet {
  /** The change counter read before the list. */
  key: number | undefined;
  rows: PublishedRow[];
  byId: Map<string, PublishedRow>;
  byIncident: Map<string, PublishedRow>;
}

interface PublishedRow {
  id: string;
  incident_id: string;
  version: number;
  published_at: string | null;
  triggered_at: string;
}

/**
 * Published post-mortems related to an incident being written up: those of
 * the same services, of services related to them in the catalog
 * (dependencies both ways, the same system), and of similar causes (TF-IDF
 * cosine over root cause and contributing factors, computed in process from
 * a term vector per post-mortem kept in memory and re-read when its version
 * changes). Only post-mortems the caller may read are considered.
 */
export class RelatedPostmortems {
  private vectors = new Map<string, CachedVector>();
  private frequencies = new DocumentFrequencies();
  /**
   * The numbers of each cached vector's terms in `frequencies`, in the
   * order of `vectors` (replaced with them, never changed in place).
   */
  private termNumbers: number[][] = [];
  /** Made from `vectors` and `frequencies` when first needed after a change. */
  private weighed?: WeighedCauses;
  /** The published set as last read. */
  private published?: PublishedSet;
  /** A read of the published set under way, which others wait for. */
  private loading?: Promise<PublishedSet>;

  constructor(
    private readonly deps: {
      db: Knex;
      incidents: IncidentService;
      incidentStore: IncidentStore;
      access: PostmortemAccess;
      /** Without it (no catalog), catalog relations are not used. */
      relations?: ServiceRelationsLookup;
      logger: LoggerService;
    },
  ) {}

  /**
   * Related post-mortems, most related first. An incident without a
   * post-mortem yet is compared by its services, title and summary; one with
   * a post-mortem needs the caller to be allowed to read it.
   */
  async forIncident(
    incidentRef: string,
    limit: number,
    credentials: BackstageCredentials,
  ): Promise<RelatedPostmortem[]> {
    const incident = await this.deps.incidents.get(incidentRef);
    const own = await this.deps
      .db('postmortems')
      .where({ incident_id: incident.id })
      .first(['id', 'status', 'sections']);
    if (own) {
      await this.deps.access.require(
        own.status === 'published'
          ? postmortemReadPermission
          : postmortemReadDraftPermission,
        credentials,
        incident,
      );
    }

    const readable = await this.readableIds(incident.id, credentials);
    return this.rank(incident, own?.sections, limit, readable);
  }

  /**
   * Related post-mortems for a draft the backend writes (no caller to ask
   * about): published post-mortems only, each with the start of its summary
   * and root cause. The draft names them and links to them; opening one
   * still checks that its reader may.
   */
  async forDraft(
    incident: Incident,
    sections: PostmortemSection[] | undefined,
    limit: number,
  ): Promise<Array<RelatedPostmortem & { sections: PostmortemSection[] }>> {
    const related = await this.rank(incident, sections, limit, () => true);
    if (!related.length) return [];
    const rows = await this.deps
      .db('postmortems')
      .whereIn(
        'id',
        related.map(r => r.postmortem_id),
      )
      .select('id', 'sections');
    const byId = new Map(
      rows.map((row: any) => [
        row.id as string,
        parseJson<PostmortemSection[]>(row.sections, []),
      ]),
    );
    return related.map(r => ({
      ...r,
      sections: byId.get(r.postmortem_id) ?? [],
    }));
  }

  /** The ranking itself, over the published post-mortems `readable` lets in. */
  private async rank(
    incident: Incident,
    ownSections: unknown,
    limit: number,
    readable: (postmortemId: string) => boolean,
  ): Promise<RelatedPostmortem[]> {
    const published = await this.refresh();
    const isCandidate = (row: PublishedRow) =>
      row.incident_id !== incident.id && readable(row.id);
    if (!published.rows.some(isCandidate)) return [];

    const services = incident.services.map(lower);
    const related = await this.relatedServices(incident.services);
    // Each candidate's services that matter here: the incident's own and the
    // related ones, looked up in SQL rather than read for every candidate.
    const matched = await this.incidentsOfServices([
      ...services,
      ...related.map(r => r.service),
    ]);
    const causes = this.weighedCauses();
    const cause = this.queryVector(incident, ownSections, causes.frequencies);
    const candidate = (row: PublishedRow): RelatedCandidate => {
      const document = causes.documents.get(row.id);
      return {
        incidentId: row.incident_id,
        services: matched.get(row.incident_id) ?? [],
        cause: document === undefined ? undefined : causes.vectors[document],
        triggeredAt: row.triggered_at,
      };
    };
    const matchedCandidates: RelatedCandidate[] = [];
    for (const incidentId of matched.keys()) {
      const row = published.byIncident.get(incidentId);
      if (row && isCandidate(row)) matchedCandidates.push(candidate(row));
    }
    // Those matched by service are all scored; of the others, only those
    // whose causes may be similar enough to rank (the same result as
    // scoring every published post-mortem).
    const ranked = rankRelatedIndexed({
      services,
      related,
      cause,
      matched: matchedCandidates,
      index: causes.index,
      candidate: document => {
        const row = published.byId.get(causes.ids[document]);
        return row && isCandidate(row) ? candidate(row) : undefined;
      },
      limit,
    });

    const incidents = new Map(
      (
        await this.deps.incidentStore.getMany(ranked.map(r => r.incidentId))
      ).map(i => [i.id, i]),
    );
    return ranked
      .filter(r => incidents.has(r.incidentId))
      .map(({ incidentId, score, reasons }) => {
        const other = incidents.get(incidentId)!;
        const row = published.byIncident.get(incidentId)!;
        return {
          postmortem_id: row.id,
          incident_id: other.id,
          reference: other.reference,
          title: other.title,
          severity: other.severity,
          services: other.services,
          triggered_at: other.triggered_at,
          published_at: row.published_at,
          score,
          reasons,
        };
      });
  }

  /**
   * The cached causes weighed with the current document frequencies and
   * indexed by term, made again only after a change.
   */
  private weighedCauses(): WeighedCauses {
    if (this.weighed) return this.weighed;
    const frequencies = this.frequencies;
    const ids: string[] = [];
    const documents = new Map<string, number>();
    const vectors: Array<WeightedVector | undefined> = [];
    const numbers = this.termNumbers;
    for (const [id, cached] of this.vectors) {
      const document = ids.length;
      documents.set(id, document);
      ids.push(id);
      vectors.push(
        cached.vector.length
          ? weigh(cached.vector, frequencies, numbers[document])
          : undefined,
      );
    }
    this.weighed = {
      frequencies,
      index: new CauseIndex(vectors, frequencies, numbers),
      ids,
      documents,
      vectors,
    };
    return this.weighed;
  }

  /**
   * The published post-mortems, with the term vector of each brought up to
   * its current version (only changed ones are read) and the document
   * frequencies recounted when anything changed. The list itself is read
   * again only when the change counter of the published post-mortems moved
   * (a row read by its primary key, moved by the database in the same
   * transaction as any write to a published post-mortem, whichever replica
   * made it; see the migration `20261208100000_published_change_counter`).
   * The counter is read before the list: a list read after a write is never
   * kept under the counter from before it.
   */
  private async refresh(): Promise<PublishedSet> {
    // Without the counter (never, once migrated), the list is read each time.
    const key = await publishedChangeCount(this.deps.db);
    // One read of the list at a time (they update the same cache): wait for
    // the one under way, which may be at this counter.
    for (;;) {
      if (key !== undefined && this.published?.key === key) {
        return this.published;
      }
      if (!this.loading) break;
      await this.loading.catch(() => undefined);
    }
    const done = this.load(key);
    this.loading = done;
    try {
      return await done;
    } finally {
      if (this.loading === done) this.loading = undefined;
    }
  }

  private async load(key: number | undefined): Promise<PublishedSet> {
    const rows: PublishedRow[] = (
      await this.deps
        .db('postmortems')
        .where('status', 'published')
        .select(
          'id',
          'incident_id',
          'version',
          'published_at',
          'incident_triggered_at',
        )
    ).map((row: any) => ({
      id: row.id,
      incident_id: row.incident_id,
      version: toCount(row.version),
      published_at: toIso(row.published_at),
      triggered_at: toIso(row.incident_triggered_at) ?? '',
    }));
    // Changes go to a copy, which replaces the cache at once when complete:
    // a request ranking meanwhile sees the vectors and the frequencies
    // counted from them, never half of a change.
    const vectors = new Map(this.vectors);
    const current = new Set(rows.map(row => row.id));
    let changed = false;
    for (const id of [...vectors.keys()]) {
      if (!current.has(id)) {
        vectors.delete(id);
        changed = true;
      }
    }
    const stale = rows.filter(
      row => vectors.get(row.id)?.version !== row.version,
    );
    for (let i = 0; i < stale.length; i += CHUNK) {
      const chunk = stale.slice(i, i + CHUNK);
      const documents = await this.deps
        .db('postmortems')
        .whereIn(
          'id',
          chunk.map(row => row.id),
        )
        .select('id', 'version', 'sections');
      for (const document of documents) {
        vectors.set(document.id, {
          version: toCount(document.version),
          vector: termVector(
            causeText(parseJson<PostmortemSection[]>(document.sections, [])),
          ),
        });
      }
      changed = true;
    }
    if (changed) {
      const frequencies = new DocumentFrequencies();
      const numbers: number[][] = [];
      for (const cached of vectors.values()) {
        numbers.push(frequencies.add(cached.vector));
      }
      this.vectors = vectors;
      this.frequencies = frequencies;
      this.termNumbers = numbers;
      this.weighed = undefined;
    }
    const published: PublishedSet = {
      key,
      rows,
      byId: new Map(rows.map(row => [row.id, row])),
      byIncident: new Map(rows.map(row => [row.incident_id, row])),
    };
    this.published = published;
    return published;
  }

  /** Which published post-mortems (ids) the caller may read. */
  private async readableIds(
    incidentId: string,
    credentials: BackstageCredentials,
  ): Promise<(id: string) => boolean> {
    const scope = await this.deps.access.readableScope(credentials);
    if (scope.published === true) return () => true;
    if (scope.published === false) return () => false;
    const query = this.deps
      .db('postmortems')
      .where('postmortems.status', 'published')
      .whereNot('postmortems.incident_id', incidentId);
    whereReadable(this.deps.db, query, {
      published: scope.published,
      drafts: false,
    });
    const ids = new Set(
      (await query.select('postmortems.id')).map((row: any) => row.id),
    );
    return id => ids.has(id);
  }

  /** The incidents that affected any of the services (lower-cased refs), with which. */
  private async incidentsOfServices(
    services: string[],
  ): Promise<Map<string, string[]>> {
    const matched = new Map<string, string[]>();
    const unique = [...new Set(services)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const refs = unique.slice(i, i + CHUNK);
      const rows = await this.deps
        .db('incident_services')
        .whereRaw(
          `lower(entity_ref) in (${refs.map(() => '?').join(', ')})`,
          refs,
        )
        .select('incident_id', 'entity_ref');
      for (const row of rows) {
        matched.set(row.incident_id, [
          ...(matched.get(row.incident_id) ?? []),
          lower(row.entity_ref),
        ]);
      }
    }
    return matched;
  }

  private async relatedServices(services: string[]) {
    if (!this.deps.relations || services.length === 0) return [];
    try {
      return await this.deps.relations(services);
    } catch (error) {
      // Related post-mortems still come from services and causes.
      this.deps.logger.warn(
        `Could not read the catalog relations of ${services.join(
          ', ',
        )}: ${error}`,
      );
      return [];
    }
  }

  /**
   * The incident's cause as a weighed vector: its post-mortem's root cause
   * and contributing factors, with its title and summary when these say
   * little (a fresh draft, or no post-mortem yet).
   */
  private queryVector(
    incident: Incident,
    sections: unknown,
    frequencies: DocumentFrequencies,
  ): WeightedVector {
    let text = causeText(parseJson<PostmortemSection[]>(sections, []));
    if (termVector(text).length < MIN_QUERY_TERMS) {
      text = [text, incident.title, incident.summary, incident.description]
        .filter(Boolean)
        .join('\n');
    }
    return weigh(termVector(text), frequencies);
  }
}

function lower(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}
