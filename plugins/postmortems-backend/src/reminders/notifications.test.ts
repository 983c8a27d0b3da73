import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import request from 'supertest';
import { ALICE, as } from '../__testUtils__/testBackend';
import { createTestDatabases, testApi } from '@internal/postmortems-test-utils';
import { postmortemsPlugin } from '../plugin';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const TASK = 'postmortems-action-item-reminders';

const BOB = 'user:default/bob';
const CAROL = 'user:default/carol';

const user = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: {},
});

/** Today plus some days, as the API's YYYY-MM-DD (UTC). */
const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/**
 * The post-mortems plugin together with the real notifications backend: the
 * plugin sends through the notifications service client over HTTP, and the
 * owners read what arrived from the notifications API, as the UI does.
 */
describe.each(databases.eachSupportedId())(
  'reminders through the notifications backend on %p',
  databaseId => {
    let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
    // The plugin's scheduled task is run by hand (the mock scheduler runs
    // nothing on its own), exactly as the scheduler would run it.
    const scheduler = mockServices.scheduler();

    beforeAll(async () => {
      const postmortemsDb = await databases.init(databaseId);
      // The notifications plugin gets a database of its own, as every plugin
      // does in a real backend (they would fight over one migrations table).
      const notificationsDb = await databases.init(databaseId);
      const databaseOf: Record<string, Knex> = {
        postmortems: postmortemsDb,
        notifications: notificationsDb,
      };
      ({ server } = await startTestBackend({
        features: [
          postmortemsPlugin,
          notificationsPlugin,
          createServiceFactory({
            service: coreServices.database,
            deps: { plugin: coreServices.pluginMetadata },
            factory: ({ plugin }) => ({
              getClient: async () => {
                const db = databaseOf[plugin.getId()];
                if (!db) throw new Error(`No database for ${plugin.getId()}`);
                return db;
              },
            }),
          }),
          createServiceFactory({
            service: coreServices.scheduler,
            deps: {},
            factory: () => scheduler,
          }),
          mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
          catalogServiceMock.factory({
            entities: [user('alice'), user('bob'), user('carol')],
          }),
          mockServices.rootConfig.factory({
            data: { app: { baseUrl: 'http://localhost:3000' } },
          }),
        ],
      }));
    });

    const api = testApi(() => server);

    async function notificationsOf(userRef: string) {
      const res = await request(server)
        .get('/api/notifications/notifications')
        .set(as(userRef));
      expect(res.status).toBe(200);
      return res.body.notifications as Array<{
        origin: string;
        payload: { title: string; link: string; severity: string };
      }>;
    }

    it('schedules the reminders once for all replicas', async () => {
      expect(await scheduler.getScheduledTasks()).toContainEqual(
        expect.objectContaining({ id: TASK, scope: 'global' }),
      );
    });

    it('notifies the owner of an assignment, a near due date and an overdue item, once each', async () => {
      const incident = await api.post('/incidents', {
        title: 'Checkout failing',
        severity: 'high',
        commander: ALICE,
      });
      expect(incident.status).toBe(201);
      const { number, reference } = incident.body;
      expect(
        (await api.patch(`/incidents/${number}`, { status: 'resolved' }))
          .status,
      ).toBe(200);
      expect((await api.post(`/incidents/${number}/postmortem`)).status).toBe(
        201,
      );

      const items = `/incidents/${number}/postmortem/action-items`;
      const soon = await api.post(items, {
        description: 'Add a canary stage',
        owner: 'bob',
        due_date: day(3),
      });
      expect(soon.status).toBe(201);
      const late = await api.post(items, {
        description: 'Alert on error budget burn',
        owner: BOB,
        due_date: day(-2),
      });
      expect(late.status).toBe(201);
      // Edits that do not change the owner notify nobody.
      expect(
        (
          await api.patch(`${items}/${soon.body.id}`, {
            description: 'Add a canary stage to checkout',
          })
        ).status,
      ).toBe(200);

      await scheduler.triggerTask(TASK);
      await scheduler.triggerTask(TASK);

      const received = await notificationsOf(BOB);
      expect(received.map(n => n.payload.title).sort()).toEqual([
        'Action item due in 3 days: Add a canary stage to checkout',
        'Action item overdue: Alert on error budget burn',
        `You own an action item of ${reference}`,
        `You own an action item of ${reference}`,
      ]);
      for (const n of received) {
        expect(n.origin).toBe('plugin:postmortems');
        expect(n.payload.link).toBe(`/postmortems/incidents/${reference}`);
      }
      expect(
        received.find(n => n.payload.title.includes('overdue'))?.payload
          .severity,
      ).toBe('high');

      // Reassigning tells the new owner, once; the old one hears no more.
      await api.patch(`${items}/${late.body.id}`, { owner: CAROL });
      await api.patch(`${items}/${late.body.id}`, { owner: CAROL });
      await scheduler.triggerTask(TASK);
      expect((await notificationsOf(CAROL)).map(n => n.payload.title)).toEqual([
        `You own an action item of ${reference}`,
      ]);
      expect(await notificationsOf(BOB)).toHaveLength(4);
    });
  },
);
