/**
 * A backend module of Post-Mortems for Backstage that tracks action items as
 * Jira Cloud issues.
 *
 * @packageDocumentation
 */
export { postmortemsModuleJira as default } from './module';
export { JiraTracker } from './JiraTracker';
export type { JiraTrackerOptions } from './JiraTracker';
