/**
 * Post-mortems and action items: their enumerations. The API's shapes
 * (`Postmortem`, `ActionItem`, `PostmortemTemplate`, ...) are inferred from
 * the schemas in `api/`.
 */

/** @public */
export const POSTMORTEM_STATUSES = ['draft', 'published'] as const;
/** @public */
export type PostmortemStatus = (typeof POSTMORTEM_STATUSES)[number];

/** @public */
export const ACTION_ITEM_STATUSES = ['open', 'in_progress', 'done'] as const;
/** @public */
export type ActionItemStatus = (typeof ACTION_ITEM_STATUSES)[number];
