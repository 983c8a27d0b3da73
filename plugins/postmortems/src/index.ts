/**
 * The frontend of Post-Mortems for Backstage: entity tab and card, the
 * org-wide page, settings and the search result item.
 *
 * @packageDocumentation
 */
export {
  postmortemsPlugin,
  PostmortemsPage,
  EntityPostmortemsContent,
  EntityPostmortemsCard,
  IncidentPostmortemContent,
  PostmortemSettings,
  PostmortemSearchResultListItem,
} from './plugin';
export * from './api';
export {
  isIncidentEntity,
  incidentIdOf,
  INCIDENT_ID_ANNOTATION,
} from './domain/incidentEntity';
export type {
  PostmortemSearchDocument,
  PostmortemSearchResultListItemProps,
} from './components/PostmortemSearchResultListItem';
