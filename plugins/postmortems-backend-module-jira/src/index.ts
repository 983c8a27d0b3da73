/**
 * A backend module of Post-Mortems for Backstage that tracks action items as
 * Jira Cloud or Jira Data Center/Server issues.
 *
 * @packageDocumentation
 */
export { postmortemsModuleJira as default } from './module';
export { JiraTracker } from './JiraTracker';
export type { JiraTrackerOptions } from './JiraTracker';
