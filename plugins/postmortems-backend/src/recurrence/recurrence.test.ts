import { createServiceFactory } from '@backstage/backend-plugin-api';
import { notificationService } from '@backstage/plugin-notifications-node';
import { Knex } from 'knex';
import {
  createTestDatabases,
  MALLORY,
  testApi,
  TestApi,
} from '@internal/postmortems-test-utils';
import { startPostmortemsBackend } from '../__testUtils__/testBackend';
import { RecordingNotifications } from '../reminders/testNotifications';

jest.setTimeout(120_000);

const databases = createTestDatabases();

const PAYMENTS = 'component:default/payments-service';
const SEARCH = 'component:default/search-service';
const OWNER = 'user:default/olga';
const TEAM = 'group:default/team-payments';

let nextNumber = 8000;
const HOUR = 3_600_000;

/**
 * An incident of `services` at `at` with a blank post-mortem and action
 * items, of which `done` are done now (their done time is the test's now).
 */
async function incidentWithItems(
  api: TestApi,
  options: { services: string[]; at: number; items?: number; done?: number },
) {
  nextNumber += 1;
  const imported = await api.post('/incidents/import', {
    incident: {
      number: nextNumber,
      title: `Incident ${nextNumber}`,
      severity: 'high',
      status: 'resolved',
      services: options.services,
      triggered_at: new Date(options.at).toISOString(),
      resolved_at: new Date(options.at + HOUR / 2).toISOString(),
    },
    timeline: [],
  });
  expect(imported.status).toBe(201);
  const incident = imported.body;
  const path = `/incidents/${incident.id}/postmortem`;
  expect((await api.post(path, {})).status).toBe(201);
  const items = options.items ?? 0;
  for (let i = 0; i < items; i++) {
    const created = await api.post(`${path}/action-items`, {
      description: `Item ${i + 1} of ${incident.reference}`,
      owner: i % 2 ? TEAM : OWNER,
    });
    expect(created.status).toBe(201);
    if (i < (options.done ?? items)) {
      const done = await api.patch(`${path}/action-items/${created.body.id}`, {
        status: 'done',
      });
      expect(done.status).toBe(200);
    }
  }
  return { incident, path };
}

describe.each(databases.eachSupportedId())('recurrence on %p', databaseId => {
  let knex: Knex;
  let server: any;
  let api: TestApi;
  const notifications = new RecordingNotifications();

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    ({ server } = await startPostmortemsBackend(knex, {
      services: [
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => notifications,
        }),
      ],
    }));
    api = testApi(server);
  });

  const file = (path: string, categories: string[]) =>
    api.put(`${path}/causes`, { categories });

  it('flags a later incident of the same service and cause after every action item was done, on both post-mortems, and tells the owners once', async () => {
    const earlier = await incidentWithItems(api, {
      services: [PAYMENTS],
      at: Date.now() - 30 * 24 * HOUR,
      items: 2,
    });
    expect((await file(earlier.path, ['configuration'])).status).toBe(200);
    const later = await incidentWithItems(api, {
      services: [PAYMENTS, SEARCH],
      at: Date.now() + HOUR,
    });

    const filed = await file(later.path, ['Configuration', 'capacity']);

    expect(filed.status).toBe(200);
    expect(filed.body.categories).toEqual(['capacity', 'configuration']);
    expect(filed.body.available).toContain('expiry');
    const recurrences = (await api.get(`${later.path}/recurrences`)).body;
    expect(recurrences.recurred_in).toEqual([]);
    expect(recurrences.recurrence_of).toEqual([
      expect.objectContaining({
        reference: earlier.incident.reference,
        categories: ['configuration'],
        services: [PAYMENTS],
        items: 2,
      }),
    ]);
    const link = recurrences.recurrence_of[0];
    expect(link.after_ms).toBeGreaterThan(0);
    expect(Date.parse(link.items_done_at)).toBeLessThan(
      Date.parse(later.incident.triggered_at),
    );
    const back = (await api.get(`${earlier.path}/recurrences`)).body;
    expect(back.recurred_in.map((r: any) => r.reference)).toEqual([
      later.incident.reference,
    ]);
    expect(back.recurred_in[0].after_ms).toBe(link.after_ms);

    const title = `${later.incident.reference} looks like a recurrence of ${earlier.incident.reference}`;
    expect(notifications.titlesFor(OWNER)).toContain(title);
    expect(notifications.titlesFor(TEAM)).toContain(title);
    // Filing again finds the same recurrence: nobody is told twice.
    await file(later.path, ['configuration']);
    expect(
      notifications.titlesFor(OWNER).filter(t => t === title),
    ).toHaveLength(1);
    // And it is listed as a recurrence.
    const listed = (await api.get('/postmortems?recurrence=true&limit=100'))
      .body.data;
    expect(listed.map((p: any) => p.incident_id)).toContain(later.incident.id);
    expect(listed.map((p: any) => p.incident_id)).not.toContain(
      earlier.incident.id,
    );
  });

  it('does not flag another service, another cause, an item still open, or items done after the incident began', async () => {
    const base = Date.now() - 20 * 24 * HOUR;
    const otherService = await incidentWithItems(api, {
      services: [SEARCH],
      at: base,
      items: 1,
    });
    await file(otherService.path, ['expiry']);
    const otherCause = await incidentWithItems(api, {
      services: [PAYMENTS],
      at: base + HOUR,
      items: 1,
    });
    await file(otherCause.path, ['dependency']);
    const stillOpen = await incidentWithItems(api, {
      services: [PAYMENTS],
      at: base + 2 * HOUR,
      items: 2,
      done: 1,
    });
    await file(stillOpen.path, ['expiry']);
    const noItems = await incidentWithItems(api, {
      services: [PAYMENTS],
      at: base + 3 * HOUR,
    });
    await file(noItems.path, ['expiry']);
    // Items done now, after this one began: they could not have stopped it.
    const doneLater = await incidentWithItems(api, {
      services: [PAYMENTS],
      at: base + 4 * HOUR,
      items: 1,
    });
    await file(doneLater.path, ['expiry']);
    const meanwhile = await incidentWithItems(api, {
      services: [PAYMENTS],
      at: Date.now() - HOUR,
    });

    await file(meanwhile.path, ['expiry']);

    const found = (await api.get(`${meanwhile.path}/recurrences`)).body;
    expect(found.recurrence_of).toEqual([]);
  });

  it('finds a recurrence when the earlier post-mortem is filed after the later one', async () => {
    const earlier = await incidentWithItems(api, {
      services: [SEARCH],
      at: Date.now() - 10 * 24 * HOUR,
      items: 1,
    });
    const later = await incidentWithItems(api, {
      services: [SEARCH],
      at: Date.now() + 2 * HOUR,
    });
    await file(later.path, ['data']);
    expect(
      (await api.get(`${later.path}/recurrences`)).body.recurrence_of,
    ).toEqual([]);

    await file(earlier.path, ['data']);

    expect(
      (await api.get(`${later.path}/recurrences`)).body.recurrence_of.map(
        (r: any) => r.reference,
      ),
    ).toEqual([earlier.incident.reference]);
    // Unfiled, it is no recurrence any more.
    await file(earlier.path, []);
    expect(
      (await api.get(`${later.path}/recurrences`)).body.recurrence_of,
    ).toEqual([]);
  });

  it('suggests categories from the root cause, and lists post-mortems by cause', async () => {
    const { path, incident } = await incidentWithItems(api, {
      services: [SEARCH],
      at: Date.now() - 5 * 24 * HOUR,
    });
    const current = (await api.get(path)).body;
    await api.patch(path, {
      version: current.version,
      sections: current.sections.map((s: any) =>
        s.key === 'root_cause'
          ? {
              ...s,
              markdown:
                'The TLS certificate of the search cluster expired. Its renewal job had failed for weeks, and nothing watched certificate expiry.',
            }
          : s,
      ),
    });
    const causes = (await api.get(`${path}/causes`)).body;
    expect(causes.categories).toEqual([]);
    expect(causes.suggested).toEqual(['expiry']);

    await file(path, ['expiry']);
    expect((await api.get(`${path}/causes`)).body.suggested).toEqual([]);
    const listed = (await api.get('/postmortems?cause=expiry&limit=100')).body
      .data;
    expect(listed.map((p: any) => p.incident_id)).toContain(incident.id);
  });

  it('refuses a category the template does not offer, naming it, and a reader who may not edit', async () => {
    const { path } = await incidentWithItems(api, {
      services: [SEARCH],
      at: Date.now() - 3 * 24 * HOUR,
    });
    const bad = await file(path, ['configuration', 'gremlins']);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('categories.1');
    expect(JSON.stringify(bad.body)).toContain('gremlins');
    const notAList = await api.put(`${path}/causes`, { categories: 'data' });
    expect(notAList.status).toBe(400);
    expect(JSON.stringify(notAList.body)).toContain('categories');
    expect((await api.get(`${path}/causes`)).body.categories).toEqual([]);

    const asMallory = await testApi(server, MALLORY).put(`${path}/causes`, {
      categories: ['data'],
    });
    expect(asMallory.status).toBe(403);
  });

  it("counts recurrences in the figures: per service, and by cause for one service's story", async () => {
    const LEDGER = 'component:default/ledger';
    const earlier = await incidentWithItems(api, {
      services: [LEDGER],
      at: Date.now() - 40 * 24 * HOUR,
      items: 1,
    });
    await file(earlier.path, ['capacity']);
    const later = await incidentWithItems(api, {
      services: [LEDGER],
      at: Date.now() + 3 * HOUR,
    });
    await file(later.path, ['capacity', 'process']);
    const { after_ms } = (await api.get(`${later.path}/recurrences`)).body
      .recurrence_of[0];
    const period = `from=${new Date(
      Date.now() - 60 * 24 * HOUR,
    ).toISOString()}&to=${new Date(Date.now() + 10 * HOUR).toISOString()}`;

    const byService = (
      await api.get(`/figures/breakdown?${period}&by=service`)
    ).body.rows.find((r: any) => r.key === LEDGER);
    expect(byService).toMatchObject({
      incidents: 2,
      recurrences: 1,
      action_items_done: 1,
    });
    expect(byService.recurrence_after_ms).toBeCloseTo(after_ms, -3);

    const story = await api.get(
      `/figures/breakdown?${period}&by=cause&entity_ref=${encodeURIComponent(
        LEDGER,
      )}`,
    );
    expect(story.status).toBe(200);
    expect(
      story.body.rows.map((r: any) => [r.key, r.incidents, r.recurrences]),
    ).toEqual([
      ['capacity', 2, 1],
      ['process', 1, 1],
    ]);
    const bad = await api.get(
      `/figures/breakdown?${period}&by=cause&entity_ref=nope`,
    );
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('entity_ref');
  });
});
