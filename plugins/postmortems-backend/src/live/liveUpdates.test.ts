import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  as,
  ALICE,
  createTestDatabases,
  importResolvedIncident,
  startTestPostmortemsBackend,
  testApi,
} from '@internal/postmortems-test-utils';
import {
  Draft,
  DraftRequest,
  DraftProvider,
  DraftSection,
  postmortemsDraftProvidersExtensionPoint,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
import {
  generationSignalChannel,
  postmortemSignalChannel,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { Knex } from 'knex';
import { postmortemsPlugin } from '../plugin';
import { LiveUpdates } from './LiveUpdates';

jest.setTimeout(60_000);

const databases = createTestDatabases();

/** A model that writes one section when told to, then the rest when told to. */
class GatedProvider implements DraftProvider {
  readonly kind = 'openai' as const;
  private release: Array<() => void> = [];
  private waiting: Array<() => void> = [];
  status() {
    return {
      provider: 'openai' as const,
      model: 'gated',
      base_url: null,
      configured: true,
    };
  }
  async testConnection() {
    return { ok: true, message: 'ok' };
  }
  /** Lets the draft take its next step. */
  next() {
    this.release.shift()?.();
  }
  /** Resolves once the draft waits for its next step. */
  waitingForNext() {
    return new Promise<void>(resolve => this.waiting.push(resolve));
  }
  private step() {
    const waiting = new Promise<void>(resolve => this.release.push(resolve));
    this.waiting.shift()?.();
    return waiting;
  }
  async draft(request: DraftRequest): Promise<Draft> {
    const section = (key: string): DraftSection => ({
      key,
      title: key,
      markdown: `The ${key}.`,
      evidence: [],
    });
    await this.step();
    await request.onSection?.(section('summary'));
    await this.step();
    return {
      sections: ['summary', 'timeline', 'root_cause'].map(section),
      actionItems: [],
      generatedBy: 'ai',
    };
  }
}

/** Reads a server-sent event stream as it arrives. */
async function openEventStream(server: Server, path: string) {
  const { port } = server.address() as AddressInfo;
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    headers: as(ALICE),
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const events: string[] = [];
  return {
    /** Waits for the next event of this name; the events before it are kept. */
    async until(name: string): Promise<void> {
      for (;;) {
        const match = new RegExp(`^event: ${name}$`, 'm').exec(buffer);
        if (match) {
          buffer = buffer.slice(match.index + match[0].length);
          events.push(name);
          return;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended before "${name}"`);
        buffer += decoder.decode(value);
      }
    },
    close: () => reader.cancel(),
  };
}

describe.each(databases.eachSupportedId())('live updates on %p', databaseId => {
  let knex: Knex;
  let server: Server;
  const provider = new GatedProvider();
  const signals: Array<{ channel: string; message: any }> = [];

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    ({ server } = (await startTestPostmortemsBackend(
      [
        postmortemsPlugin,
        createBackendModule({
          pluginId: 'postmortems',
          moduleId: 'gated-model',
          register(env) {
            env.registerInit({
              deps: {
                providers: postmortemsDraftProvidersExtensionPoint,
                events: eventsServiceRef,
              },
              async init({ providers, events }) {
                providers.addDraftProvider(provider);
                // What the signals backend would push to browsers.
                await events.subscribe({
                  id: 'test-signals',
                  topics: ['signals'],
                  onEvent: async ({ eventPayload }) => {
                    signals.push(eventPayload as any);
                  },
                });
              },
            });
          },
        }),
      ],
      knex,
    )) as { server: Server });
  });

  it('wakes a job event stream when the job changes, without reading it while idle', async () => {
    const api = testApi(server);
    const incident = await importResolvedIncident(api);
    const started = provider.waitingForNext();
    const job = await api.post(
      `/incidents/${incident.id}/postmortem/generate`,
      { provider: 'openai' },
      { Prefer: 'respond-async' },
    );
    expect(job.status).toBe(202);
    await started;

    const stream = await openEventStream(
      server,
      `/api/postmortems/v1/generation-jobs/${job.body.id}/events`,
    );
    await stream.until('status');

    // Idle: the model is thinking. The stream must not poll the job.
    let jobReads = 0;
    const countReads = (query: { sql: string }) => {
      if (/^select/i.test(query.sql) && query.sql.includes('generation_jobs'))
        jobReads++;
    };
    knex.on('query', countReads);
    await new Promise(resolve => setTimeout(resolve, 1500));
    knex.off('query', countReads);
    expect(jobReads).toBe(0);

    // The first section reaches the stream as soon as it is written.
    const secondStep = provider.waitingForNext();
    provider.next();
    await stream.until('section');
    await secondStep;
    provider.next();
    await stream.until('done');
    await stream.close();

    // Browsers hear of each step through signals, the saved draft included.
    const onJob = signals.filter(
      s => s.channel === generationSignalChannel(job.body.id),
    );
    expect(onJob.map(s => s.message.status)).toEqual(
      expect.arrayContaining(['running', 'succeeded']),
    );
    expect(onJob.some(s => s.message.sections_done.includes('summary'))).toBe(
      true,
    );
    const onPostmortem = signals.filter(
      s => s.channel === postmortemSignalChannel(incident.id),
    );
    expect(onPostmortem.map(s => s.message)).toContainEqual(
      expect.objectContaining({ change: 'saved', version: 1 }),
    );
    // A signal names what changed, never the content.
    expect(JSON.stringify(onJob)).not.toContain('The summary.');
  });

  it('tells readers of a post-mortem that someone saved it or commented on it', async () => {
    const api = testApi(server);
    const incident = await importResolvedIncident(api);
    const created = await api.post(`/incidents/${incident.id}/postmortem`);
    expect(created.status).toBe(201);
    const saved = await api.patch(`/incidents/${incident.id}/postmortem`, {
      content: '# Edited',
      version: created.body.version,
    });
    expect(saved.status).toBe(200);
    await api.post(`/incidents/${incident.id}/postmortem/comments`, {
      body: 'Looks right',
    });
    const messages = signals
      .filter(s => s.channel === postmortemSignalChannel(incident.id))
      .map(s => s.message);
    expect(messages).toEqual([
      { incident_id: incident.id, change: 'saved', version: 1, by: ALICE },
      { incident_id: incident.id, change: 'saved', version: 2, by: ALICE },
      { incident_id: incident.id, change: 'comment', version: 2, by: ALICE },
    ]);
  });
});

describe('LiveUpdates sweep', () => {
  const logger = { warn: jest.fn() } as any;
  const tick = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

  it('looks at all followed jobs in one read per sweep, and wakes only followers whose last read is older than the stored job', async () => {
    const stored = new Map([
      ['job-1', 'm1'],
      ['job-2', 'm1'],
    ]);
    const reads: string[][] = [];
    const live = new LiveUpdates({
      logger,
      sweepMs: 20,
      jobChangeMarks: async ids => {
        reads.push(ids);
        return new Map(ids.map(id => [id, stored.get(id)!]));
      },
    });
    const woken: string[] = [];
    const followers = ['a', 'b', 'c'].map(name => {
      const follower = live.watch(name === 'c' ? 'job-2' : 'job-1', () =>
        woken.push(name),
      );
      follower.seen('m1');
      return follower;
    });
    try {
      await tick(70);
      // Idle: every sweep is one read for every job followed, and no one wakes.
      expect(reads.length).toBeGreaterThan(0);
      expect(reads.every(ids => ids.length === 2)).toBe(true);
      expect(woken).toEqual([]);

      // Job 1 moved on where this replica was not told (another replica).
      stored.set('job-1', 'm2');
      await tick(40);
      expect(woken).toContain('a');
      expect(woken).toContain('b');
      expect(woken).not.toContain('c');

      // Once a follower has read the new job, it is not woken again.
      followers[0].seen('m2');
      followers[1].seen('m2');
      woken.length = 0;
      await tick(40);
      expect(woken).toEqual([]);
    } finally {
      followers.forEach(f => f.stop());
    }
    // With no one following, the sweep stops reading.
    await tick(30);
    const count = reads.length;
    await tick(60);
    expect(reads.length).toBe(count);
    live.stop();
  });
});
