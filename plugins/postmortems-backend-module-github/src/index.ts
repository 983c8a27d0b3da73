/**
 * A backend module of Post-Mortems for Backstage that tracks action items as
 * GitHub issues.
 *
 * @packageDocumentation
 */
export { postmortemsModuleGitHub as default } from './module';
export { GitHubTracker } from './GitHubTracker';
export type { GitHubTrackerOptions } from './GitHubTracker';
