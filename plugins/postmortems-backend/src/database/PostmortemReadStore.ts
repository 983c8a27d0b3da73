import { Knex } from 'knex';
import {
  ActionItem,
  Incident,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { ReviewRecord, toReview } from '../reviews/ReviewStore';
import { toActionItem } from './ActionItemStore';
import {
  incidentRefCondition,
  servicesJsonColumn,
  toIncident,
} from './IncidentStore';
import { PostmortemRecord, toPostmortem } from './PostmortemStore';
import { rowsPrepared } from './prepared';
import { jsonRowsColumn, parseJson, toCount } from './rows';

/** Everything a reader of one incident's post-mortem sees. */
export interface PostmortemRead {
  incident: Incident;
  /**
   * Moves whenever the incident's evidence changes (its fields, services,
   * timeline, alerts or curation): what cached evidence is checked against.
   */
  evidenceVersion: number;
  /** Undefined when the incident has no post-mortem yet. */
  record?: PostmortemRecord;
  actionItems: ActionItem[];
  reviews: ReviewRecord[];
}

// The columns each row mapper reads. The incident's are aliased because the
// post-mortem's share their names; the children's are listed because SQLite
// builds JSON objects from named columns only.
const INCIDENT_COLUMNS = [
  'id',
  'number',
  'title',
  'description',
  'severity',
  'status',
  'summary',
  'commander',
  'chat',
  'source',
  'external_id',
  'triggered_at',
  'acknowledged_at',
  'resolved_at',
  'canceled_at',
  'created_by',
  'created_at',
  'updated_at',
  'evidence_version',
] as const;
const INCIDENT_PREFIX = 'incident__';

const ACTION_ITEM_COLUMNS = [
  'id',
  'postmortem_id',
  'incident_id',
  'description',
  'owner',
  'due_date',
  'status',
  'category',
  'external_url',
  'tracker',
  'external_key',
  'source',
  'accepted',
  'created_by',
  'created_at',
  'updated_at',
];

const REVIEW_COLUMNS = [
  'id',
  'postmortem_id',
  'kind',
  'author',
  'reviewers',
  'comment',
  'version',
  'content_hash',
  'created_at',
];

/**
 * Reads an incident's post-mortem with its action items and review steps in
 * one statement: the incident (named by id, number or `INC-n`) left-joined
 * to its post-mortem, with the services, items and steps gathered as JSON
 * columns. Reading one post-mortem is the API's hottest path; one round trip
 * instead of five is most of its cost.
 */
export class PostmortemReadStore {
  constructor(private readonly db: Knex) {}

  async read(incidentRef: string): Promise<PostmortemRead | undefined> {
    const query = this.db('incidents')
      .leftJoin('postmortems', 'postmortems.incident_id', 'incidents.id')
      .select(
        'postmortems.*',
        ...INCIDENT_COLUMNS.map(
          column => `incidents.${column} as ${INCIDENT_PREFIX}${column}`,
        ),
        servicesJsonColumn(this.db),
        jsonRowsColumn(this.db, {
          from: 'action_items',
          columns: ACTION_ITEM_COLUMNS,
          joinOn: 'postmortem_id = postmortems.id',
          orderBy: ['created_at', 'id'],
          as: 'action_items_json',
        }),
        jsonRowsColumn(this.db, {
          from: 'postmortem_reviews',
          columns: REVIEW_COLUMNS,
          joinOn: 'postmortem_id = postmortems.id',
          orderBy: ['created_at', 'id'],
          as: 'reviews_json',
        }),
      )
      .where(incidentRefCondition(incidentRef))
      .limit(1);
    const [row] = await rowsPrepared(this.db, query);
    if (!row) return undefined;
    const incidentRow: Record<string, unknown> = {};
    for (const column of INCIDENT_COLUMNS) {
      incidentRow[column] = row[`${INCIDENT_PREFIX}${column}`];
    }
    return {
      incident: toIncident(
        incidentRow,
        parseJson<string[]>(row.services_json, []),
      ),
      evidenceVersion: toCount(incidentRow.evidence_version),
      record: row.id ? toPostmortem(row) : undefined,
      actionItems: parseJson<unknown[]>(row.action_items_json, []).map(
        toActionItem,
      ),
      reviews: parseJson<unknown[]>(row.reviews_json, []).map(toReview),
    };
  }
}
