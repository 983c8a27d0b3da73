import { Config } from '@backstage/config';
import {
  IssueTracker,
  TRACKER_TYPES,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { GitHubTracker } from './GitHubTracker';
import { JiraTracker } from './JiraTracker';
import { TrackerClient } from '@postmortems-oss/backstage-plugin-postmortems-node';

/** Keys under `postmortems.trackers` that are settings, not trackers. */
const SETTINGS = new Set(['syncFrequency']);

/**
 * The issue trackers under `postmortems.trackers.<id>`, each with a `type`.
 * A wrong type or a missing credential fails start-up, naming the key.
 */
export class IssueTrackers {
  private constructor(private readonly trackers: Map<string, TrackerClient>) {}

  static fromConfig(config: Config): IssueTrackers {
    const section = config.getOptionalConfig('postmortems.trackers');
    const trackers = new Map<string, TrackerClient>();
    for (const id of section?.keys() ?? []) {
      if (SETTINGS.has(id)) continue;
      trackers.set(id, trackerOf(id, section!.getConfig(id)));
    }
    return new IssueTrackers(trackers);
  }

  get size(): number {
    return this.trackers.size;
  }

  ids(): string[] {
    return [...this.trackers.keys()];
  }

  list(): IssueTracker[] {
    return [...this.trackers.entries()].map(([id, tracker]) => ({
      id,
      type: tracker.type,
      title: tracker.title,
    }));
  }

  get(id: string): TrackerClient | undefined {
    return this.trackers.get(id);
  }
}

function trackerOf(id: string, config: Config): TrackerClient {
  const type = config.getString('type');
  const timeoutMs = (config.getOptionalNumber('timeoutSeconds') ?? 15) * 1000;
  switch (type) {
    case 'github':
      return new GitHubTracker({
        owner: config.getString('owner'),
        repo: config.getString('repo'),
        token: config.getString('token'),
        baseUrl: config.getOptionalString('baseUrl'),
        webhookSecret: config.getOptionalString('webhookSecret'),
        timeoutMs,
      });
    case 'jira':
      return new JiraTracker({
        baseUrl: config.getString('baseUrl'),
        projectKey: config.getString('projectKey'),
        email: config.getString('email'),
        apiToken: config.getString('apiToken'),
        issueType: config.getOptionalString('issueType'),
        doneStatuses: config.getOptionalStringArray('doneStatuses'),
        webhookSecret: config.getOptionalString('webhookSecret'),
        timeoutMs,
      });
    default:
      throw new Error(
        `postmortems.trackers.${id}.type must be one of ${TRACKER_TYPES.join(
          ', ',
        )}, not "${type}"`,
      );
  }
}
