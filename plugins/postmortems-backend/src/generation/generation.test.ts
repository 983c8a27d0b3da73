import { Knex } from 'knex';
import {
  API_V1,
  createTestDatabases,
  importResolvedIncident,
  testApi,
} from '@internal/postmortems-test-utils';
import { ALICE, startPostmortemsBackend } from '../__testUtils__/testBackend';
import {
  completion,
  FakeReply,
  FakeOpenAI,
  FakeServer,
  openAIError,
  streamedCompletion,
} from '@internal/postmortems-test-utils';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const STANDARD_KEYS = [
  'summary',
  'timeline',
  'root_cause',
  'contributing_factors',
  'action_items',
  'detection',
  'resolution',
];

async function waitForJob(server: any, id: string) {
  for (let i = 0; i < 100; i++) {
    const job = (await testApi(server).get(`/generation-jobs/${id}`)).body;
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error('job did not finish');
}

describe.each(databases.eachSupportedId())('generation on %p', databaseId => {
  describe('without a model (deterministic drafts)', () => {
    let knex: Knex;
    let server: any;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      ({ server } = await startPostmortemsBackend(knex));
    });

    it('drafts synchronously, as Regen does, with findings and evidence links', async () => {
      const incident = await importResolvedIncident(testApi(server));
      const res = await testApi(server).post(
        `/incidents/${incident.number}/postmortem/generate`,
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'draft',
        generated_by: 'deterministic',
        template_name: 'Standard',
        version: 1,
      });
      expect(res.body.sections.map((s: any) => s.key)).toEqual(STANDARD_KEYS);
      expect(res.body.content).toContain(
        '| 09:52 | Deploy of payments-service 4.17.3: rollback | Bob Okafor |',
      );
      expect(res.body.content).not.toContain('10.42.7.19');
      expect(res.body.findings.map((f: any) => f.kind)).toEqual(
        expect.arrayContaining(['missing_section']),
      );
      expect(
        res.body.findings.filter(
          (f: any) => f.kind === 'unsupported_timestamp',
        ),
      ).toEqual([]);
      expect(res.body.evidence.timeline).toHaveLength(5);
      const revisions = (
        await testApi(server).get(
          `/incidents/${incident.id}/postmortem/revisions`,
        )
      ).body.data;
      expect(revisions.map((r: any) => [r.kind, r.reason])).toEqual([
        ['deterministic', 'generate'],
      ]);
    });

    it("cites a section the author rewrote from its new words, and keeps the others' links", async () => {
      const incident = await importResolvedIncident(testApi(server));
      const drafted = (
        await testApi(server).post(
          `/incidents/${incident.number}/postmortem/generate`,
        )
      ).body;
      const timelineLinks = drafted.evidence.timeline;
      const entries = (
        await testApi(server).get(
          `/incidents/${incident.id}/timeline?limit=100`,
        )
      ).body.data;
      const deployOf = (version: string) =>
        entries.find(
          (e: any) => e.type === 'deploy' && e.content.version === version,
        ).id;

      const sections = drafted.sections.map((s: any) =>
        s.key === 'root_cause'
          ? {
              ...s,
              markdown:
                'Service came back with the 4.17.3 rollback at 09:52.',
            }
          : s,
      );
      const saved = await testApi(server).patch(
        `/incidents/${incident.id}/postmortem`,
        { sections, version: drafted.version },
      );

      expect(saved.status).toBe(200);
      expect(saved.body.evidence.root_cause).toEqual([deployOf('4.17.3')]);
      expect(saved.body.evidence.timeline).toEqual(timelineLinks);
    });

    it('answers 202 with a job under Prefer: respond-async and streams its sections', async () => {
      const incident = await importResolvedIncident(testApi(server));
      const res = await testApi(server).post(
        `/incidents/${incident.id}/postmortem/generate`,
        {},
        { Prefer: 'respond-async' },
      );
      expect(res.status).toBe(202);
      expect(res.headers.location).toBe(
        `${API_V1}/generation-jobs/${res.body.id}`,
      );
      expect(res.body).toMatchObject({
        kind: 'document',
        provider: 'deterministic',
        incident_id: incident.id,
      });

      const events = await testApi(server).eventStream(
        `/generation-jobs/${res.body.id}/events`,
      );
      expect(events.headers['content-type']).toContain('text/event-stream');
      const names = [
        ...(events.body as string).matchAll(/^event: (\w+)$/gm),
      ].map(m => m[1]);
      expect(names.filter(n => n === 'section')).toHaveLength(7);
      expect(names[names.length - 1]).toBe('done');

      const job = await waitForJob(server, res.body.id);
      expect(job.sections_done).toEqual(STANDARD_KEYS);
      expect(
        (await testApi(server).get(`/incidents/${incident.id}/postmortem`))
          .status,
      ).toBe(200);
    });

    it('refuses what cannot be drafted, with the right status', async () => {
      const open = await testApi(server).post('/incidents', {
        title: 'still burning',
        severity: 'low',
      });
      expect(
        (
          await testApi(server).post(
            `/incidents/${open.body.id}/postmortem/generate`,
          )
        ).status,
      ).toBe(409);
      const incident = await importResolvedIncident(testApi(server));
      const demanded = await testApi(server).post(
        `/incidents/${incident.id}/postmortem/generate`,
        { provider: 'openai' },
      );
      expect(demanded.status).toBe(503);
      expect(demanded.body.error.code).toBe('ai_not_configured');
      expect(
        (
          await testApi(server).post(
            `/incidents/${incident.id}/postmortem/enhance`,
          )
        ).status,
      ).toBe(404);
      expect(
        (
          await testApi(server).post(
            `/incidents/${incident.id}/postmortem/generate`,
            { template_id: 'nope' },
          )
        ).status,
      ).toBe(404);
      expect(
        (
          await testApi(server).post(
            `/incidents/${incident.id}/postmortem/generate`,
            { provider: 'magic' },
          )
        ).status,
      ).toBe(400);
      expect(
        (await testApi(server).get('/generation-jobs/unknown')).status,
      ).toBe(404);
    });

    it('keeps the human edit as a revision when regenerating, and regenerates one section alone', async () => {
      const incident = await importResolvedIncident(testApi(server));
      const path = `/incidents/${incident.id}/postmortem`;
      await testApi(server).post(`${path}/generate`);
      const edited = await testApi(server).patch(path, {
        version: 1,
        sections: STANDARD_KEYS.map(key => ({
          key,
          title: key,
          markdown:
            key === 'root_cause'
              ? 'My analysis of the CA bundle path.'
              : `${key} text`,
        })),
      });
      expect(edited.status).toBe(200);

      const section = await testApi(server).post(
        `${path}/sections/resolution/regenerate`,
      );
      expect(section.status).toBe(200);
      const rootCause = section.body.sections.find(
        (s: any) => s.key === 'root_cause',
      );
      expect(rootCause.markdown).toBe('My analysis of the CA bundle path.');
      expect(
        section.body.sections.find((s: any) => s.key === 'resolution').markdown,
      ).toContain('Resolved at 2026-09-15 10:06:30 UTC');

      const again = await testApi(server).post(`${path}/generate`);
      expect(again.status).toBe(200);
      const revisions = (await testApi(server).get(`${path}/revisions`)).body
        .data;
      expect(revisions.map((r: any) => [r.version, r.kind, r.reason])).toEqual([
        [4, 'deterministic', 'generate'],
        [3, 'deterministic', 'regenerate section resolution'],
        [2, 'human', 'save'],
        [1, 'deterministic', 'generate'],
      ]);
      expect(revisions[2].content).toContain(
        'My analysis of the CA bundle path.',
      );
    });

    it('writes no revision when enhancing without a model, since nothing is rewritten', async () => {
      const incident = await importResolvedIncident(testApi(server));
      const path = `/incidents/${incident.id}/postmortem`;
      const drafted = await testApi(server).post(`${path}/generate`);
      expect(drafted.status).toBe(200);
      const enhanced = await testApi(server).post(`${path}/enhance`);
      expect(enhanced.status).toBe(200);
      expect(enhanced.body.version).toBe(drafted.body.version);
      expect(enhanced.body.content).toBe(drafted.body.content);
      const revisions = (await testApi(server).get(`${path}/revisions`)).body
        .data;
      expect(revisions.map((r: any) => [r.kind, r.reason])).toEqual([
        ['deterministic', 'generate'],
      ]);
    });

    it('asks for an explicit override to publish with unresolved findings', async () => {
      const incident = await importResolvedIncident(testApi(server));
      const path = `/incidents/${incident.id}/postmortem`;
      const draft = (await testApi(server).post(`${path}/generate`)).body;
      expect(draft.findings.length).toBeGreaterThan(0);
      const refused = await testApi(server).patch(path, {
        status: 'published',
      });
      expect(refused.status).toBe(409);
      expect(refused.body.error.details.findings.length).toBe(
        draft.findings.length,
      );
      const published = await testApi(server).patch(path, {
        status: 'published',
        override_findings: true,
      });
      expect(published.status).toBe(200);
      expect(published.body.status).toBe('published');

      // A published post-mortem is not redrafted in place.
      const redraft = await testApi(server).post(`${path}/generate`);
      expect(redraft.status).toBe(409);
      expect(redraft.body.error.message).toMatch(/Unpublish/);
    });

    it('finishes a job whose worker died, once', async () => {
      const incident = await importResolvedIncident(testApi(server));
      const now = Date.now();
      await knex('generation_jobs').insert({
        id: `stale-${databaseId}`,
        incident_id: incident.id,
        kind: 'document',
        status: 'running',
        provider: 'deterministic',
        attempts: 1,
        locked_by: 'worker-dead',
        locked_until: new Date(now - 60_000),
        created_at: new Date(now - 120_000),
        updated_at: new Date(now - 120_000),
      });
      // Any new request wakes the worker, which picks up the abandoned job first.
      const other = await importResolvedIncident(testApi(server), {
        title: 'Another incident',
      });
      await testApi(server).post(`/incidents/${other.id}/postmortem/generate`);
      const job = await waitForJob(server, `stale-${databaseId}`);
      expect(job).toMatchObject({ status: 'succeeded', attempts: 2 });
      const revisions = (
        await testApi(server).get(
          `/incidents/${incident.id}/postmortem/revisions`,
        )
      ).body.data;
      expect(revisions).toHaveLength(1);
    });
  });

  describe('with an OpenAI-compatible model', () => {
    let knex: Knex;
    let server: any;
    let fake: FakeServer;
    let script: FakeReply[];

    const answer = (rootCause: string) =>
      completion(
        JSON.stringify({
          sections: STANDARD_KEYS.map(key => ({
            key,
            markdown: key === 'root_cause' ? rootCause : `AI ${key}`,
            evidence: [],
          })),
          action_items: [
            {
              description: 'Fail startup without the CA bundle',
              category: 'Prevention',
              owner_hint: 'Bob Okafor',
              due_in_days: 7,
              evidence: [],
            },
            {
              description: 'Alert on TLS handshake failures',
              category: 'made-up',
              owner_hint: 'someone unknown',
              due_in_days: null,
              evidence: [],
            },
          ],
        }),
      );

    beforeAll(async () => {
      fake = new FakeOpenAI(
        'sk-test',
        () =>
          script.shift() ?? {
            status: 500,
            body: openAIError('script exhausted'),
          },
      );
      const url = await fake.start();
      knex = await databases.init(databaseId);
      ({ server } = await startPostmortemsBackend(knex, {
        config: {
          postmortems: {
            openai: {
              apiKey: 'sk-test',
              model: 'gpt-4o-mini',
              baseUrl: `${url}/v1`,
              maxRetries: 1,
              timeoutSeconds: 5,
            },
            generation: { deadlineSeconds: 20 },
          },
        },
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'User',
            metadata: { name: 'bob.okafor', namespace: 'default' },
            spec: { profile: { displayName: 'Bob Okafor' } },
          },
        ],
      }));
    });
    afterAll(() => fake.stop());

    it('drafts with the model, proposes action items and resolves their owners in the catalog', async () => {
      script = [{ body: answer('The CA bundle path changed.') }];
      const incident = await importResolvedIncident(testApi(server));
      const res = await testApi(server).post(
        `/incidents/${incident.id}/postmortem/generate`,
      );
      expect(res.status).toBe(200);
      expect(res.body.generated_by).toBe('ai');
      expect(
        res.body.sections.find((s: any) => s.key === 'root_cause').markdown,
      ).toBe('The CA bundle path changed.');
      // Items created in the same millisecond have no defined order.
      const items = res.body.action_items.map((i: any) => [
        i.description,
        i.owner,
        i.category,
        i.source,
        i.accepted,
        Boolean(i.due_date),
      ]);
      items.sort((a: string[], b: string[]) => b[0].localeCompare(a[0]));
      expect(items).toEqual([
        [
          'Fail startup without the CA bundle',
          'user:default/bob.okafor',
          'prevention',
          'ai',
          false,
          true,
        ],
        [
          'Alert on TLS handshake failures',
          null,
          'prevention',
          'ai',
          false,
          false,
        ],
      ]);
      const provider = await testApi(server).get('/system/provider');
      expect(provider.body).toEqual({
        provider: 'openai',
        model: 'gpt-4o-mini',
        base_url: expect.stringMatching(/^127\.0\.0\.1:/),
        configured: true,
      });
    });

    it('replaces unaccepted proposals on regeneration and keeps accepted ones', async () => {
      script = [{ body: answer('First analysis.') }];
      const incident = await importResolvedIncident(testApi(server));
      const path = `/incidents/${incident.id}/postmortem`;
      const first = (await testApi(server).post(`${path}/generate`)).body;
      await testApi(server).patch(
        `${path}/action-items/${first.action_items[0].id}`,
        { accepted: true },
      );

      script = [{ body: answer('Second analysis.') }];
      const second = (await testApi(server).post(`${path}/generate`)).body;
      expect(second.action_items).toHaveLength(3);
      expect(second.action_items.filter((i: any) => i.accepted)).toHaveLength(
        1,
      );
      expect(
        second.sections.find((s: any) => s.key === 'root_cause').markdown,
      ).toBe('Second analysis.');
      const revisions = (await testApi(server).get(`${path}/revisions`)).body
        .data;
      expect(revisions[revisions.length - 1].content).toContain(
        'First analysis.',
      );
    });

    it('saves nothing when the model keeps failing, and says why', async () => {
      script = [
        {
          status: 500,
          headers: { 'retry-after-ms': '10' },
          body: openAIError('upstream exploded'),
        },
        {
          status: 500,
          headers: { 'retry-after-ms': '10' },
          body: openAIError('upstream exploded'),
        },
      ];
      const incident = await importResolvedIncident(testApi(server));
      const res = await testApi(server).post(
        `/incidents/${incident.id}/postmortem/generate`,
      );
      expect(res.status).toBe(502);
      expect(res.body.error).toMatchObject({
        code: 'generation_failed',
        message: expect.stringMatching(
          /internal error \(HTTP 500\), still after 1 retry/,
        ),
      });
      expect(
        (await testApi(server).get(`/incidents/${incident.id}/postmortem`))
          .status,
      ).toBe(404);
      expect(
        Number(
          (
            await knex('action_items')
              .where({ incident_id: incident.id })
              .count({ n: '*' })
          )[0].n,
        ),
      ).toBe(0);
    });

    it('never overwrites an edit made while the draft was being written', async () => {
      script = [{ body: answer('First.') }];
      const incident = await importResolvedIncident(testApi(server));
      const path = `/incidents/${incident.id}/postmortem`;
      await testApi(server).post(`${path}/generate`);

      script = [{ body: answer('Would overwrite.'), delayMs: 1_500 }];
      const job = (
        await testApi(server).post(
          `${path}/generate`,
          {},
          { Prefer: 'respond-async' },
        )
      ).body;
      const edit = await testApi(server).patch(path, {
        version: 1,
        content: '## Summary\n\nMy edit while the model was thinking.',
      });
      expect(edit.status).toBe(200);

      const finished = await waitForJob(server, job.id);
      expect(finished.status).toBe('failed');
      expect(finished.error).toMatch(/edited .* nothing was overwritten/);
      const current = (await testApi(server).get(path)).body;
      expect(current.content).toContain(
        'My edit while the model was thinking.',
      );
    });
  });

  describe('with sections drafted in parallel', () => {
    let server: any;
    let fake: FakeServer;

    beforeAll(async () => {
      // Answers each call with the part its prompt asks for; every call
      // takes a little while, so the sections finish close together.
      fake = new FakeOpenAI('sk-test', req => {
        const user = JSON.parse(req.body).messages[1].content as string;
        const keys = [...user.matchAll(/- key "([^"]+)"/g)].map(m => m[1]);
        const itemsOnly = user.startsWith('Write no sections');
        const content = JSON.stringify({
          sections: itemsOnly
            ? []
            : keys.map(key => ({
                key,
                markdown: `AI ${key}`,
                evidence: [],
              })),
          action_items: itemsOnly
            ? [
                {
                  description: 'Alert on TLS handshake failures',
                  category: null,
                  owner_hint: null,
                  due_in_days: 7,
                  evidence: [],
                },
              ]
            : [],
        });
        // Sections are streamed (their text is shown as it grows).
        return JSON.parse(req.body).stream
          ? { delayMs: 50, ...streamedCompletion(content) }
          : { delayMs: 50, body: completion(content) };
      });
      const url = await fake.start();
      ({ server } = await startPostmortemsBackend(
        await databases.init(databaseId),
        {
          config: {
            postmortems: {
              openai: {
                apiKey: 'sk-test',
                baseUrl: `${url}/v1`,
                maxRetries: 0,
                strategy: 'sections',
              },
            },
          },
        },
      ));
    });
    afterAll(() => fake.stop());

    it('records every section as it arrives and saves the whole draft once', async () => {
      const incident = await importResolvedIncident(testApi(server));
      const res = await testApi(server).post(
        `/incidents/${incident.id}/postmortem/generate`,
        {},
        { Prefer: 'respond-async' },
      );
      expect(res.status).toBe(202);
      const job = await waitForJob(server, res.body.id);
      expect(job.status).toBe('succeeded');
      // No section's progress was lost to another finishing at the same time.
      expect([...job.sections_done].sort()).toEqual([...STANDARD_KEYS].sort());
      expect(fake.requests).toHaveLength(STANDARD_KEYS.length + 1);
      // Each section was streamed; the action items were not.
      expect(fake.requests.filter(r => JSON.parse(r.body).stream)).toHaveLength(
        STANDARD_KEYS.length,
      );
      const saved = await testApi(server).get(
        `/incidents/${incident.id}/postmortem`,
      );
      expect(saved.body.sections.map((s: any) => s.key)).toEqual(STANDARD_KEYS);
      expect(saved.body.sections[2].markdown).toBe('AI root_cause');
      expect(saved.body.action_items).toEqual([
        expect.objectContaining({
          description: 'Alert on TLS handshake failures',
          source: 'ai',
        }),
      ]);
    });
  });

  describe('auto-draft', () => {
    let server: any;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      ({ server } = await startPostmortemsBackend(knex, {
        config: {
          postmortems: {
            generation: { autoDraft: { enabled: true, minDurationMinutes: 0 } },
          },
        },
      }));
    });

    it('queues a draft when an incident is resolved, once', async () => {
      const created = await testApi(server).post('/incidents', {
        title: 'Auto-drafted',
        severity: 'high',
        commander: ALICE,
      });
      const resolved = await testApi(server).patch(
        `/incidents/${created.body.id}`,
        {
          status: 'resolved',
        },
      );
      expect(resolved.status).toBe(200);
      let postmortem;
      for (let i = 0; i < 50 && postmortem?.status !== 200; i++) {
        await new Promise(r => setTimeout(r, 100));
        postmortem = await testApi(server).get(
          `/incidents/${created.body.id}/postmortem`,
        );
      }
      expect(postmortem!.status).toBe(200);
      expect(postmortem!.body).toMatchObject({
        generated_by: 'deterministic',
        created_by: 'system:postmortems',
      });
      const revisions = (
        await testApi(server).get(
          `/incidents/${created.body.id}/postmortem/revisions`,
        )
      ).body.data;
      expect(revisions).toHaveLength(1);
    });
  });
});
