import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The resource type of post-mortem permissions: the resource ref is the
 * incident id. Conditional decisions use the rules the backend registers
 * (commander, author, owner of an affected service).
 *
 * @public
 */
export const POSTMORTEM_RESOURCE_TYPE = 'postmortem';

/**
 * Reading a published post-mortem, in the plugin and in Backstage Search (the
 * search module's visibility permission). Policies usually allow it to every
 * signed-in user; one can narrow it, e.g. for security incidents.
 *
 * @public
 */
export const postmortemReadPermission = createPermission({
  name: 'postmortem.read',
  attributes: { action: 'read' },
  resourceType: POSTMORTEM_RESOURCE_TYPE,
});

/**
 * Reading a draft post-mortem. Published post-mortems are readable by every
 * signed-in user; drafts only by those this permission allows.
 *
 * @public
 */
export const postmortemReadDraftPermission = createPermission({
  name: 'postmortem.draft.read',
  attributes: { action: 'read' },
  resourceType: POSTMORTEM_RESOURCE_TYPE,
});

/** Creating or generating a post-mortem for an incident. @public */
export const postmortemCreatePermission = createPermission({
  name: 'postmortem.create',
  attributes: { action: 'create' },
  resourceType: POSTMORTEM_RESOURCE_TYPE,
});

/** Editing a post-mortem's content, restoring revisions, commenting. @public */
export const postmortemUpdatePermission = createPermission({
  name: 'postmortem.update',
  attributes: { action: 'update' },
  resourceType: POSTMORTEM_RESOURCE_TYPE,
});

/** Publishing and unpublishing a post-mortem. @public */
export const postmortemPublishPermission = createPermission({
  name: 'postmortem.publish',
  attributes: { action: 'update' },
  resourceType: POSTMORTEM_RESOURCE_TYPE,
});

/** Creating, changing and deleting action items. @public */
export const actionItemUpdatePermission = createPermission({
  name: 'postmortem.action-item.update',
  attributes: { action: 'update' },
  resourceType: POSTMORTEM_RESOURCE_TYPE,
});

/** Creating incidents, changing them and adding timeline entries. @public */
export const incidentWritePermission = createPermission({
  name: 'postmortem.incident.write',
  attributes: { action: 'update' },
});

/** Creating, changing, deleting and activating templates. @public */
export const templateManagePermission = createPermission({
  name: 'postmortem.template.manage',
  attributes: { action: 'update' },
});

/** Every permission of the plugin. @public */
export const postmortemPermissions = [
  postmortemReadPermission,
  postmortemReadDraftPermission,
  postmortemCreatePermission,
  postmortemUpdatePermission,
  postmortemPublishPermission,
  actionItemUpdatePermission,
  incidentWritePermission,
  templateManagePermission,
];
