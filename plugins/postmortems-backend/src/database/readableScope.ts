import { Knex } from 'knex';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { POSTMORTEM_STATUSES } from '@postmortems-oss/backstage-plugin-postmortems-common';

/**
 * One condition on a post-mortem row, in the form the store can turn into
 * SQL: the permission rules' query forms, with "owned by one of these claims"
 * already resolved (through the catalog) to the services those claims own.
 */
export type PostmortemRowCondition =
  | { commander: string }
  | { author: string }
  | { serviceIn: string[] }
  /** The incidents found for the conditions above (see resolveScope). */
  | { incidentIn: string[] };

/**
 * Up to this many incident ids found for a scope are bound to the list's
 * queries as values; more stay a subquery.
 */
const MAX_RESOLVED_INCIDENTS = 500;

/** All rows (`true`), none (`false`), or those meeting the criteria. */
export type PostmortemRowCriteria =
  | boolean
  | PermissionCriteria<PostmortemRowCondition>;

/**
 * Which post-mortems a caller may read: published ones and drafts are
 * decided by different permissions, so each has its own criteria.
 */
export interface ReadableScope {
  published: PostmortemRowCriteria;
  drafts: PostmortemRowCriteria;
}

/**
 * The scope with each restricted criteria that is one set of incidents
 * ("commander, author or owner") replaced by the ids of those incidents,
 * found in one statement, when they are few. A database plans a list of a
 * few values far better than a union it cannot count in advance: it goes
 * to those post-mortems by index instead of reading them all.
 */
export async function resolveScope(
  db: Knex,
  scope: ReadableScope,
): Promise<ReadableScope> {
  const resolve = async (
    criteria: PostmortemRowCriteria,
  ): Promise<PostmortemRowCriteria> => {
    if (typeof criteria === 'boolean') return criteria;
    const incidents = incidentsMeeting(db, criteria);
    if (!incidents) return criteria;
    const rows: Array<{ incident_id: string }> = await incidents.limit(
      MAX_RESOLVED_INCIDENTS + 1,
    );
    if (rows.length > MAX_RESOLVED_INCIDENTS) return criteria;
    return { incidentIn: [...new Set(rows.map(row => row.incident_id))] };
  };
  const [published, drafts] = await Promise.all([
    resolve(scope.published),
    resolve(scope.drafts),
  ]);
  return { published, drafts };
}

/** Which statuses' rows a query may return (all when not given). */
export type StatusesAsked = readonly string[] | undefined;

/**
 * Narrows a query over `postmortems` to the rows the scope lets through.
 * When the query asks for one status only, only that status's criteria
 * apply: a plain `and` the database can plan with its indexes, where an
 * `or` of both branches would have it read every row.
 */
export function whereReadable(
  db: Knex,
  query: Knex.QueryBuilder,
  scope: ReadableScope,
  statuses?: StatusesAsked,
): void {
  if (scope.published === true && scope.drafts === true) {
    return;
  }
  const branches = readableBranches(statuses);
  if (branches.length === 1) {
    whereBranch(db, query, scope, branches[0]);
    return;
  }
  query.where(either => {
    either
      .orWhere(published => whereBranch(db, published, scope, 'published'))
      .orWhere(drafts => whereBranch(db, drafts, scope, 'drafts'));
  });
}

/**
 * Counts the rows of `base` the scope lets through, in one statement. With
 * a restricted scope over both statuses it adds the count of each branch
 * (published, drafts), each an `and` the database can answer from its
 * indexes, instead of counting an `or` of both, which reads every row.
 */
export async function countReadable(
  db: Knex,
  base: Knex.QueryBuilder,
  scope: ReadableScope | undefined,
  statuses?: StatusesAsked,
): Promise<number> {
  const branches = readableBranches(statuses);
  if (
    !scope ||
    branches.length === 1 ||
    (scope.published === true && scope.drafts === true)
  ) {
    const counted = base.clone();
    if (scope) whereReadable(db, counted, scope, statuses);
    const [{ count }] = await counted.count({ count: '*' });
    return Number(count ?? 0);
  }
  const [published, drafts] = branches.map(branch => {
    const counted = base.clone();
    whereBranch(db, counted, scope, branch);
    return counted.count('*');
  });
  const [row] = await db.select(
    db.raw('(?) + (?) as count', [published, drafts]),
  );
  return Number(row.count ?? 0);
}

type Branch = 'published' | 'drafts';

/** Every status but published (today: draft). */
const UNPUBLISHED = POSTMORTEM_STATUSES.filter(
  status => status !== 'published',
);

function readableBranches(statuses: StatusesAsked): Branch[] {
  if (!statuses?.length) return ['published', 'drafts'];
  const branches: Branch[] = [];
  if (statuses.includes('published')) branches.push('published');
  if (statuses.some(status => status !== 'published')) branches.push('drafts');
  return branches;
}

function whereBranch(
  db: Knex,
  query: Knex.QueryBuilder,
  scope: ReadableScope,
  branch: Branch,
) {
  if (branch === 'published') {
    query.where('postmortems.status', 'published');
    whereCriteria(db, query, scope.published);
  } else {
    // Named rather than "not published", so that the status index serves it.
    query.whereIn('postmortems.status', UNPUBLISHED);
    whereCriteria(db, query, scope.drafts);
  }
}

function whereCriteria(
  db: Knex,
  query: Knex.QueryBuilder,
  criteria: PostmortemRowCriteria,
): void {
  if (criteria === true) {
    return;
  }
  if (criteria === false) {
    query.whereRaw('1 = 0');
    return;
  }
  if ('anyOf' in criteria) {
    if (criteria.anyOf.length === 0) {
      query.whereRaw('1 = 0');
      return;
    }
    // "Commander, author or owner" is one set of incidents: one `in` over
    // their union lets the database start from those few incidents instead
    // of testing every post-mortem against each condition in turn.
    const incidents = incidentsMeeting(db, criteria);
    if (incidents) {
      query.whereIn('postmortems.incident_id', incidents);
      return;
    }
    query.where(any => {
      for (const part of criteria.anyOf) {
        any.orWhere(one => whereCriteria(db, one, part));
      }
    });
    return;
  }
  if ('allOf' in criteria) {
    for (const part of criteria.allOf) {
      query.where(one => whereCriteria(db, one, part));
    }
    return;
  }
  if ('not' in criteria) {
    query.whereNot(inner => whereCriteria(db, inner, criteria.not));
    return;
  }
  whereCondition(db, query, criteria);
}

function whereCondition(
  db: Knex,
  query: Knex.QueryBuilder,
  condition: PostmortemRowCondition,
): void {
  // Ids already found are bound as values, not wrapped in a subquery.
  if ('incidentIn' in condition) {
    if (condition.incidentIn.length === 0) query.whereRaw('1 = 0');
    else query.whereIn('postmortems.incident_id', condition.incidentIn);
    return;
  }
  const incidents = incidentsOf(db, condition);
  if (incidents) query.whereIn('postmortems.incident_id', incidents);
  else query.whereRaw('1 = 0');
}

/**
 * The ids of the incidents whose post-mortems meet `criteria`, as one
 * subquery, when it is made of conditions and `anyOf` alone; undefined when
 * it has `allOf` or `not`, which are left to whereCriteria.
 */
function incidentsMeeting(
  db: Knex,
  criteria: PermissionCriteria<PostmortemRowCondition>,
): Knex.QueryBuilder | undefined {
  const parts: Knex.QueryBuilder[] = [];
  const collect = (c: PermissionCriteria<PostmortemRowCondition>): boolean => {
    if ('anyOf' in c) return c.anyOf.every(collect);
    if ('allOf' in c || 'not' in c) return false;
    const ids = incidentsOf(db, c);
    if (ids) parts.push(ids);
    return true;
  };
  if (!collect(criteria)) return undefined;
  if (parts.length === 0) return db('incidents').select('id').whereRaw('1 = 0');
  const [first, ...rest] = parts;
  return rest.length ? first.union(rest) : first;
}

/**
 * Whether someone wrote a version of the incident's post-mortem, in the SQL
 * a list's author condition uses.
 */
export async function authoredBy(
  db: Knex,
  incidentId: string,
  author: string,
): Promise<boolean> {
  const row = await incidentsOf(db, { author })!
    .where('postmortems.incident_id', incidentId)
    .first();
  return row !== undefined;
}

/** The incident ids of one condition; undefined when it meets none. */
function incidentsOf(
  db: Knex,
  condition: PostmortemRowCondition,
): Knex.QueryBuilder | undefined {
  if ('incidentIn' in condition) {
    return condition.incidentIn.length
      ? db('incidents')
          .select('id as incident_id')
          .whereIn('id', condition.incidentIn)
      : undefined;
  }
  if ('commander' in condition) {
    return db('incidents')
      .select('id as incident_id')
      .where('commander', condition.commander);
  }
  if ('author' in condition) {
    return db('postmortem_revisions')
      .join(
        'postmortems',
        'postmortems.id',
        'postmortem_revisions.postmortem_id',
      )
      .select('postmortems.incident_id')
      .where('postmortem_revisions.author', condition.author);
  }
  if (condition.serviceIn.length === 0) return undefined;
  // Entity refs compare case-insensitively; the expression index on
  // lower(entity_ref) keeps this an index lookup.
  const refs = condition.serviceIn.map(ref => ref.toLocaleLowerCase('en-US'));
  return db('incident_services')
    .select('incident_id')
    .whereRaw(`lower(entity_ref) in (${refs.map(() => '?').join(', ')})`, refs);
}
