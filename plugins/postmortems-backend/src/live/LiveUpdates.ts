import { randomBytes } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  generationSignalChannel,
  GenerationSignal,
  postmortemSignalChannel,
  PostmortemSignal,
} from '@postmortems-oss/backstage-plugin-postmortems-common';

/** The events-service topic a replica announces job progress on. */
export const GENERATION_PROGRESS_TOPIC = 'postmortems.generation-progress';

/** The events-service topic a replica announces template changes on. */
export const TEMPLATES_CHANGED_TOPIC = 'postmortems.templates-changed';

interface ProgressEvent {
  job_id: string;
}

/**
 * How often a replica looks, in one statement for all the jobs followed on
 * it, whether any changed without it being told: the safety net for
 * replicas that no events bus connects.
 */
const SWEEP_MS = 10_000;

/** One who follows a job's changes. */
export interface JobFollower {
  /** The change mark of the job as this follower last read it. */
  seen(mark: string): void;
  stop(): void;
}

/** A mark of each job's last change (e.g. its `updated_at`), by job id. */
export type JobChangeMarks = (jobIds: string[]) => Promise<Map<string, string>>;

/**
 * Tells whoever follows a generation job or a post-mortem that it changed.
 *
 * Job progress goes through Backstage's events service: a job drafted on one
 * replica wakes the event streams (`GET …/generation-jobs/:id/events`) open
 * on every replica when the events backend's bus connects them, and those
 * on the same replica in any case, so a stream reads the job when it
 * changed instead of polling the database.
 *
 * Browsers hear through Backstage signals (`useSignal` on the channels in
 * postmortems-common). A signal names what changed and its version, never
 * content: the reader fetches it through the API, which checks permissions.
 */
export class LiveUpdates {
  /** Followers of each job: their listener and the mark they last read. */
  private readonly watchers = new Map<
    string,
    Map<() => void, { mark?: string }>
  >();
  private readonly templateListeners = new Set<() => void>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: {
      logger: LoggerService;
      events?: EventsService;
      signals?: SignalsService;
      /** Reads the followed jobs' change marks for the sweep; none without it. */
      jobChangeMarks?: JobChangeMarks;
      sweepMs?: number;
    },
  ) {}

  /**
   * Subscribes this replica to job progress. The events service has no
   * unsubscribe, so it is one subscription per process with its own id (a
   * shared id would make the bus hand each event to one replica only).
   */
  async start(): Promise<void> {
    await this.options.events?.subscribe({
      id: `postmortems-generation-${randomBytes(8).toString('hex')}`,
      topics: [GENERATION_PROGRESS_TOPIC, TEMPLATES_CHANGED_TOPIC],
      onEvent: async ({ topic, eventPayload }) => {
        if (topic === TEMPLATES_CHANGED_TOPIC) {
          this.templateListeners.forEach(listener => listener());
        } else {
          this.wake((eventPayload as ProgressEvent).job_id);
        }
      },
    });
  }

  /** A job was claimed, wrote a section or finished. */
  jobChanged(signal: GenerationSignal): void {
    const { events, signals } = this.options;
    if (events) {
      this.send(
        events.publish({
          topic: GENERATION_PROGRESS_TOPIC,
          eventPayload: { job_id: signal.job_id } satisfies ProgressEvent,
        }),
      );
    } else {
      this.wake(signal.job_id);
    }
    this.send(
      signals?.publish<GenerationSignal>({
        recipients: { type: 'broadcast' },
        channel: generationSignalChannel(signal.job_id),
        message: signal,
      }),
    );
  }

  /**
   * Templates changed on this replica: the others forget their copies
   * (TemplateService keeps templates in memory).
   */
  templatesChanged(): void {
    this.send(
      this.options.events?.publish({
        topic: TEMPLATES_CHANGED_TOPIC,
        eventPayload: {},
      }),
    );
  }

  /** Calls `listener` when another replica announces template changes. */
  onTemplatesChanged(listener: () => void): void {
    this.templateListeners.add(listener);
  }

  /** A post-mortem was saved, published, restored or commented on. */
  postmortemChanged(signal: PostmortemSignal): void {
    this.send(
      this.options.signals?.publish<PostmortemSignal>({
        recipients: { type: 'broadcast' },
        channel: postmortemSignalChannel(signal.incident_id),
        message: signal,
      }),
    );
  }

  /**
   * Calls `listener` whenever the job changes, until `stop` is called. A
   * follower that tells `seen` the change mark (`updated_at`) of the job as
   * it last read it is also woken by the sweep when the stored job moved on
   * without this replica being told.
   */
  watch(jobId: string, listener: () => void): JobFollower {
    let followers = this.watchers.get(jobId);
    if (!followers) {
      followers = new Map();
      this.watchers.set(jobId, followers);
    }
    const follower: { mark?: string } = {};
    followers.set(listener, follower);
    this.startSweeping();
    return {
      seen: mark => {
        follower.mark = mark;
      },
      stop: () => {
        followers!.delete(listener);
        if (followers!.size === 0) this.watchers.delete(jobId);
      },
    };
  }

  /** Stops the sweep (when the plugin shuts down). */
  stop(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  /**
   * While any job is followed here, one statement every sweep reads the
   * change marks of all of them and wakes the followers whose last read is
   * older: a cost per replica, not per follower, so that an idle event
   * stream reads nothing.
   */
  private startSweeping() {
    if (this.sweeper || !this.options.jobChangeMarks) return;
    this.sweeper = setInterval(
      () => this.sweep(),
      this.options.sweepMs ?? SWEEP_MS,
    );
    this.sweeper.unref?.();
  }

  private async sweep() {
    const ids = [...this.watchers.keys()];
    if (ids.length === 0) {
      this.stop();
      return;
    }
    let marks: Map<string, string>;
    try {
      marks = await this.options.jobChangeMarks!(ids);
    } catch (error) {
      this.options.logger.warn(`Could not look for job changes: ${error}`);
      return;
    }
    for (const id of ids) {
      const mark = marks.get(id);
      for (const [listener, follower] of this.watchers.get(id) ?? []) {
        if (follower.mark !== undefined && follower.mark !== mark) listener();
      }
    }
  }

  private wake(jobId: string) {
    for (const listener of this.watchers.get(jobId)?.keys() ?? []) listener();
  }

  /**
   * Announcements are best effort: a change that could not be announced is
   * still saved, and streams re-read their job now and then anyway.
   */
  private send(publishing: Promise<void> | undefined) {
    publishing?.catch(error =>
      this.options.logger.warn(`Could not announce a change: ${error}`),
    );
  }
}
