import { Knex } from 'knex';
import { PermissionCriteria } from '@backstage/plugin-permission-common';

/**
 * One condition on a post-mortem row, in the form the store can turn into
 * SQL: the permission rules' query forms, with "owned by one of these claims"
 * already resolved (through the catalog) to the services those claims own.
 */
export type PostmortemRowCondition =
  | { commander: string }
  | { author: string }
  | { serviceIn: string[] };

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

/** Narrows a query over `postmortems` to the rows the scope lets through. */
export function whereReadable(
  db: Knex,
  query: Knex.QueryBuilder,
  scope: ReadableScope,
): void {
  if (scope.published === true && scope.drafts === true) {
    return;
  }
  query.where(either => {
    either
      .orWhere(published => {
        published.where('postmortems.status', 'published');
        whereCriteria(db, published, scope.published);
      })
      .orWhere(drafts => {
        drafts.whereNot('postmortems.status', 'published');
        whereCriteria(db, drafts, scope.drafts);
      });
  });
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
  if ('commander' in condition) {
    query.whereIn(
      'postmortems.incident_id',
      db('incidents').select('id').where('commander', condition.commander),
    );
  } else if ('author' in condition) {
    query.whereIn(
      'postmortems.id',
      db('postmortem_revisions')
        .select('postmortem_id')
        .where('author', condition.author),
    );
  } else if (condition.serviceIn.length === 0) {
    query.whereRaw('1 = 0');
  } else {
    // Entity refs compare case-insensitively; the expression index on
    // lower(entity_ref) keeps this an index lookup.
    const refs = condition.serviceIn.map(ref => ref.toLocaleLowerCase('en-US'));
    query.whereIn(
      'postmortems.incident_id',
      db('incident_services')
        .select('incident_id')
        .whereRaw(
          `lower(entity_ref) in (${refs.map(() => '?').join(', ')})`,
          refs,
        ),
    );
  }
}
