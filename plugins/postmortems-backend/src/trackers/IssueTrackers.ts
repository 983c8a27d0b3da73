import { Config } from '@backstage/config';
import {
  IssueTracker,
  TRACKER_TYPES,
  TrackerType,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  TrackerClient,
  TrackerConfig,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
import { missingModuleError, readIntegrationType } from '../integrationTypes';

/** Keys under `postmortems.trackers` that are settings, not trackers. */
const SETTINGS = new Set(['schedule', 'syncFrequency']);

/** Tracker factories added by backend modules, by type. */
export type TrackerFactories = Map<
  TrackerType,
  (tracker: TrackerConfig) => TrackerClient
>;

/**
 * The issue trackers under `postmortems.trackers.<id>`, each with a `type`.
 * A wrong type, a type whose module is not installed or a missing
 * credential fails start-up, naming the key.
 */
export class IssueTrackers {
  private constructor(private readonly trackers: Map<string, TrackerClient>) {}

  static fromConfig(
    config: Config,
    factories: TrackerFactories = new Map(),
  ): IssueTrackers {
    const section = config.getOptionalConfig('postmortems.trackers');
    const trackers = new Map<string, TrackerClient>();
    for (const id of section?.keys() ?? []) {
      if (SETTINGS.has(id)) continue;
      trackers.set(id, trackerOf(id, section!.getConfig(id), factories));
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

function trackerOf(
  id: string,
  config: Config,
  factories: TrackerFactories,
): TrackerClient {
  const key = `postmortems.trackers.${id}`;
  const type = readIntegrationType(config, key, TRACKER_TYPES);
  const factory = factories.get(type);
  if (!factory) throw missingModuleError(key, type);
  const timeoutMs = (config.getOptionalNumber('timeoutSeconds') ?? 15) * 1000;
  return factory({ id, config, timeoutMs });
}
