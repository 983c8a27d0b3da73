import { Knex } from 'knex';
// Fixtures and the real core plugin, for tests and dev scripts only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import postmortemsPlugin from '@postmortems-oss/backstage-plugin-postmortems-backend';
import {
  createTestDatabases,
  FakeRegen,
  startTestPostmortemsBackend,
  testApi,
} from '@internal/postmortems-test-utils';
import { Entity } from '@backstage/catalog-model';
import { postmortemsModuleRegen } from './module';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const TOKEN = 'regen-token';

function user(
  name: string,
  profile: { email?: string },
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default', annotations },
    spec: { profile, memberOf: [] },
  };
}

function regenConfig(baseUrl: string, commanders?: object) {
  return {
    postmortems: {
      regen: {
        baseUrl,
        token: TOKEN,
        timeoutSeconds: 1,
        // The tests sync on demand; the schedule must not run in between.
        schedule: {
          frequency: { hours: 6 },
          timeout: { minutes: 5 },
          initialDelay: { hours: 6 },
        },
        ...(commanders ? { commanders } : {}),
      },
    },
  };
}

// The real plugin with the Regen module, a fake Regen with users, and a
// catalog with the users the commanders should become.
describe.each(databases.eachSupportedId())(
  'Regen commanders on %p',
  databaseId => {
    let knex: Knex;
    let regen: FakeRegen;
    let server: Awaited<
      ReturnType<typeof startTestPostmortemsBackend>
    >['server'];
    const api = testApi(() => server);

    // In Regen: Ada (same e-mail in the catalog, other case), Bo (another
    // e-mail in Regen than in the catalog, but annotated with his Regen
    // id), Cy (in Regen only), Di (two catalog users claim her e-mail).
    let ada: FakeRegen['users'][number];
    let bo: FakeRegen['users'][number];
    let cy: FakeRegen['users'][number];
    let di: FakeRegen['users'][number];

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      regen = new FakeRegen({ token: TOKEN });
      await regen.start();
      ada = regen.addUser({ name: 'Ada Lovelace', email: 'Ada@Example.com' });
      bo = regen.addUser({ name: 'Bo Diddley', email: 'bo@old.example.com' });
      cy = regen.addUser({ name: 'Cy Young', email: 'cy@example.com' });
      di = regen.addUser({ name: 'Di Prima', email: 'di@example.com' });
      ({ server } = await startTestPostmortemsBackend(
        [postmortemsPlugin, postmortemsModuleRegen],
        knex,
        {
          config: regenConfig(regen.url),
          entities: [
            user('ada', { email: 'ada@example.com' }),
            user(
              'bo',
              { email: 'bo@example.com' },
              { 'fluidify.ai/user-id': bo.id },
            ),
            user('di', { email: 'di@example.com' }),
            user('diane', { email: 'di@example.com' }),
            user('carol', { email: 'carol@example.com' }),
          ],
        },
      ));
    });

    afterAll(() => regen.stop());

    const copyOf = async (number: number) => {
      const res = await api.get(`/incidents/${number}`);
      expect(res.status).toBe(200);
      return res.body;
    };
    const sync = async () => {
      const res = await api.post('/upstream/sync');
      expect(res.body).toMatchObject({ ok: true });
    };

    it('gives copied incidents the catalog user of their Regen commander, by e-mail or by annotation', async () => {
      const byEmail = regen.addIncident({ title: 'By e-mail' }, 1);
      regen.setCommander(byEmail, ada);
      const byAnnotation = regen.addIncident({ title: 'By annotation' }, 1);
      regen.setCommander(byAnnotation, bo);
      const unknown = regen.addIncident({ title: 'Not in the catalog' }, 1);
      regen.setCommander(unknown, cy);
      const ambiguous = regen.addIncident({ title: 'Two users' }, 1);
      regen.setCommander(ambiguous, di);
      const none = regen.addIncident({ title: 'No commander' }, 1);
      await sync();

      expect((await copyOf(byEmail.incident_number)).commander).toBe(
        'user:default/ada',
      );
      expect((await copyOf(byAnnotation.incident_number)).commander).toBe(
        'user:default/bo',
      );
      expect((await copyOf(unknown.incident_number)).commander).toBeNull();
      expect((await copyOf(ambiguous.incident_number)).commander).toBeNull();
      expect((await copyOf(none.incident_number)).commander).toBeNull();
      // Regen's user list was read once for the whole sync.
      expect(regen.requestsTo('GET', '/api/v1/users')).toHaveLength(1);

      // The copy's timeline says who the commander is here, and since when.
      const timeline = (
        await api.get(`/incidents/${byEmail.incident_number}/timeline`)
      ).body.data;
      const assigned = timeline.filter(
        (e: any) =>
          e.type === 'commander_assigned' &&
          e.content.commander === 'user:default/ada',
      );
      expect(assigned).toHaveLength(1);
      expect(assigned[0].content).toMatchObject({
        regen_commander_id: ada.id,
        regen_commander_name: 'Ada Lovelace',
      });
      const regenEntry = regen.timelines
        .get(byEmail.id)!
        .find(e => e.type === 'commander_assigned')!;
      expect(Date.parse(assigned[0].timestamp)).toBe(
        Date.parse(regenEntry.timestamp),
      );
    });

    it('follows a handover in Regen, and a commander Regen no longer has', async () => {
      const incident = regen.addIncident({ title: 'Handed over' }, 1);
      regen.setCommander(incident, ada);
      await sync();
      expect((await copyOf(incident.incident_number)).commander).toBe(
        'user:default/ada',
      );
      regen.setCommander(incident, bo);
      await sync();
      expect((await copyOf(incident.incident_number)).commander).toBe(
        'user:default/bo',
      );
      // A new commander nobody here knows changes nothing.
      regen.setCommander(incident, cy);
      await sync();
      expect((await copyOf(incident.incident_number)).commander).toBe(
        'user:default/bo',
      );
      regen.setCommander(incident, undefined);
      await sync();
      expect((await copyOf(incident.incident_number)).commander).toBeNull();
    });

    it('keeps a commander set by hand here, whatever Regen says later', async () => {
      const incident = regen.addIncident({ title: 'Set by hand' }, 1);
      regen.setCommander(incident, ada);
      await sync();
      const ref = `/incidents/${incident.incident_number}`;
      const patched = await api.patch(ref, { commander: 'user:default/carol' });
      expect(patched.status).toBe(200);
      expect(patched.body.commander).toBe('user:default/carol');

      regen.setCommander(incident, bo);
      await sync();
      expect((await copyOf(incident.incident_number)).commander).toBe(
        'user:default/carol',
      );
      // A refresh before a draft copies the incident too: still carol.
      const draft = await api.post(`${ref}/postmortem`);
      expect(draft.status).toBe(201);
      expect((await copyOf(incident.incident_number)).commander).toBe(
        'user:default/carol',
      );
    });

    it('keeps the commander given when the incident was created from Backstage', async () => {
      const created = await api.post('/incidents', {
        title: 'Declared in Backstage',
        severity: 'high',
        commander: 'user:default/carol',
      });
      expect(created.status).toBe(201);
      const inRegen = regen.incidents.find(
        i => i.title === 'Declared in Backstage',
      )!;
      regen.setCommander(inRegen, ada);
      await sync();
      expect((await copyOf(created.body.number)).commander).toBe(
        'user:default/carol',
      );
    });

    it('leaves commanders as they are when Regen will not list its users', async () => {
      const incident = regen.addIncident({ title: 'Users hidden' }, 1);
      regen.setCommander(incident, ada);
      regen.forbiddenPaths.add('/api/v1/users');
      try {
        await sync();
      } finally {
        regen.forbiddenPaths.delete('/api/v1/users');
      }
      expect((await copyOf(incident.incident_number)).commander).toBeNull();
      await sync();
      expect((await copyOf(incident.incident_number)).commander).toBe(
        'user:default/ada',
      );
    });
  },
);

describe('Regen commanders by a configured annotation only', () => {
  it('maps by the annotation it is given, and not by e-mail', async () => {
    const knex = await databases.init('SQLITE_3');
    const regen = new FakeRegen({ token: TOKEN });
    await regen.start();
    try {
      const ada = regen.addUser({ name: 'Ada', email: 'ada@example.com' });
      const bo = regen.addUser({ name: 'Bo', email: 'bo@example.com' });
      const first = regen.addIncident({ title: 'Annotated' }, 1);
      regen.setCommander(first, ada);
      const second = regen.addIncident({ title: 'E-mail only' }, 1);
      regen.setCommander(second, bo);
      const { server } = await startTestPostmortemsBackend(
        [postmortemsPlugin, postmortemsModuleRegen],
        knex,
        {
          config: regenConfig(regen.url, {
            annotation: 'regen.acme.com/user',
            byEmail: false,
          }),
          entities: [
            user('ada', {}, { 'regen.acme.com/user': ada.id }),
            user('bo', { email: 'bo@example.com' }),
          ],
        },
      );
      const api = testApi(server);
      expect((await api.post('/upstream/sync')).body.ok).toBe(true);
      expect(
        (await api.get(`/incidents/${first.incident_number}`)).body.commander,
      ).toBe('user:default/ada');
      expect(
        (await api.get(`/incidents/${second.incident_number}`)).body.commander,
      ).toBeNull();
      expect(regen.requestsTo('GET', '/api/v1/users')).toHaveLength(0);
    } finally {
      await regen.stop();
    }
  });
});
