import {
  ConditionTransformer,
  createConditionExports,
  createConditionTransformer,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';
import {
  POSTMORTEMS_PLUGIN_ID,
  POSTMORTEM_RESOURCE_TYPE,
} from '@postmortems-oss/backstage-plugin-postmortems-common';

/**
 * What the permission rules look at: the people attached to one incident's
 * post-mortem. The resource ref of a post-mortem permission is the incident id.
 *
 * @public
 */
export interface PostmortemResource {
  incidentId: string;
  commander: string | null;
  /** Everyone who created or wrote a version of the post-mortem. */
  authors: string[];
  /** Owners (the `ownedBy` relations) of the services the incident affected. */
  serviceOwners: string[];
}

/**
 * The query form of a rule: what a conditional decision becomes when the
 * backend lists post-mortems, so that it filters in SQL (exact totals, full
 * pages) instead of dropping rows it has already read.
 *
 * @public
 */
export type PostmortemQuery =
  | { commander: string }
  | { author: string }
  | { serviceOwnedByAnyOf: string[] };

/**
 * The `postmortem` resource type as the post-mortems backend registers it.
 *
 * @public
 */
export const postmortemResourceRef = createPermissionResourceRef<
  PostmortemResource,
  PostmortemQuery
>().with({
  pluginId: POSTMORTEMS_PLUGIN_ID,
  resourceType: POSTMORTEM_RESOURCE_TYPE,
});

const isIncidentCommander = createPermissionRule({
  name: 'IS_INCIDENT_COMMANDER',
  description: 'The user is the commander of the incident',
  resourceRef: postmortemResourceRef,
  paramsSchema: z.object({
    userRef: z.string().describe('User entity ref of the requesting user'),
  }),
  apply: (resource, { userRef }) => resource.commander === userRef,
  toQuery: ({ userRef }) => ({ commander: userRef }),
});

const isPostmortemAuthor = createPermissionRule({
  name: 'IS_POSTMORTEM_AUTHOR',
  description: 'The user created or edited the post-mortem',
  resourceRef: postmortemResourceRef,
  paramsSchema: z.object({
    userRef: z.string().describe('User entity ref of the requesting user'),
  }),
  apply: (resource, { userRef }) => resource.authors.includes(userRef),
  toQuery: ({ userRef }) => ({ author: userRef }),
});

const isAffectedServiceOwner = createPermissionRule({
  name: 'IS_AFFECTED_SERVICE_OWNER',
  description:
    'One of the given ownership refs owns a service the incident affected',
  resourceRef: postmortemResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Ownership entity refs of the requesting user'),
  }),
  apply: (resource, { claims }) =>
    resource.serviceOwners.some(owner => claims.includes(owner)),
  toQuery: ({ claims }) => ({ serviceOwnedByAnyOf: claims }),
});

/**
 * Every rule of the `postmortem` resource type; the backend registers them.
 *
 * @public
 */
export const postmortemRules = {
  isIncidentCommander,
  isPostmortemAuthor,
  isAffectedServiceOwner,
};

const conditionExports = createConditionExports({
  resourceRef: postmortemResourceRef,
  rules: postmortemRules,
});

/**
 * Condition factories for permission policies, e.g.
 * `postmortemConditions.isIncidentCommander({ userRef })`.
 *
 * @public
 */
export const postmortemConditions = conditionExports.conditions;

/**
 * A conditional decision over post-mortems, e.g.
 * `createPostmortemConditionalDecision(permission, { anyOf: [postmortemConditions.isIncidentCommander({ userRef })] })`.
 *
 * @public
 */
export const createPostmortemConditionalDecision =
  conditionExports.createConditionalDecision;

/**
 * Turns the conditions of a conditional decision over post-mortems into
 * criteria over the rules' query forms, for filtering lists in SQL.
 *
 * @public
 */
export const transformPostmortemConditions: ConditionTransformer<PostmortemQuery> =
  createConditionTransformer(Object.values(postmortemRules));
