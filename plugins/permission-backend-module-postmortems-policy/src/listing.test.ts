import request from 'supertest';
import { Knex } from 'knex';
import { createTestDatabases } from '@internal/postmortems-test-utils';
import {
  ADMIN,
  COMMANDER,
  OUTSIDER,
  OWNER,
  V1,
  as,
  startPolicyBackend,
} from './__testUtils__/policyBackend';

jest.setTimeout(180_000);

const databases = createTestDatabases();

/*
 * Lists apply the policy's conditional decisions in SQL: a user who may read
 * a few drafts among many gets full pages and an exact total, through the
 * real permission backend and the shipped policy.
 */
describe.each(databases.eachSupportedId())(
  'lists filtered by the policy on %p',
  databaseId => {
    let knex: Knex;
    let server: any;
    const commanded: string[] = [];
    const owned: string[] = [];
    let published: string;

    async function incidentWithDraft(fields: object) {
      const incident = await request(server)
        .post(`${V1}/incidents`)
        .set(as(ADMIN))
        .send({ title: 'Degraded', severity: 'high', ...fields });
      expect(incident.status).toBe(201);
      const id = incident.body.id as string;
      const draft = await request(server)
        .post(`${V1}/incidents/${id}/postmortem`)
        .set(as(ADMIN));
      expect(draft.status).toBe(201);
      const item = await request(server)
        .post(`${V1}/incidents/${id}/postmortem/action-items`)
        .set(as(ADMIN))
        .send({ title: `Follow up on ${id}` });
      expect(item.status).toBe(201);
      return id;
    }

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      server = await startPolicyBackend(knex);
      // 30 drafts nobody but admins may read, among them 3 the commander
      // leads and 2 of a service the owner's team owns, and one published.
      for (let i = 0; i < 30; i++) {
        let fields: object = { commander: 'user:default/someone-else' };
        if (i % 10 === 3) fields = { commander: COMMANDER };
        else if (i % 15 === 7)
          fields = { services: ['component:default/Checkout-API'] };
        const id = await incidentWithDraft(fields);
        if (i % 10 === 3) commanded.push(id);
        if (i % 15 === 7) owned.push(id);
      }
      published = await incidentWithDraft({ commander: ADMIN });
      const publish = await request(server)
        .patch(`${V1}/incidents/${published}/postmortem`)
        .set(as(ADMIN))
        .send({ status: 'published', override_findings: true });
      if (publish.status !== 200) {
        throw new Error(`publishing answered ${publish.status}`);
      }
    });

    async function walk(path: string, user: string, limit: number) {
      const ids: string[] = [];
      const totals = new Set<number>();
      const pageSizes: number[] = [];
      for (let page = 1; page <= 20; page++) {
        const res = await request(server)
          .get(
            `${V1}/${path}${
              path.includes('?') ? '' : '?'
            }limit=${limit}&page=${page}`,
          )
          .set(as(user));
        expect(res.status).toBe(200);
        totals.add(res.body.total);
        pageSizes.push(res.body.data.length);
        ids.push(...res.body.data.map((r: any) => r.incident_id));
        if (res.body.data.length < limit) break;
      }
      return { ids, totals: [...totals], pageSizes };
    }

    it('gives the commander full pages of exactly their drafts and the published one', async () => {
      const { ids, totals, pageSizes } = await walk(
        'postmortems',
        COMMANDER,
        2,
      );
      expect(totals).toEqual([4]);
      expect(pageSizes).toEqual([2, 2, 0]);
      expect(ids.sort()).toEqual([...commanded, published].sort());
    });

    it('asked for one status, gives exactly the drafts or published ones the policy allows', async () => {
      const drafts = await walk('postmortems?status=draft&', COMMANDER, 2);
      expect(drafts.totals).toEqual([3]);
      expect(drafts.ids.sort()).toEqual([...commanded].sort());
      const done = await walk('postmortems?status=published&', COMMANDER, 2);
      expect(done.totals).toEqual([1]);
      expect(done.ids).toEqual([published]);
      const outsider = await walk('postmortems?status=draft&', OUTSIDER, 5);
      expect(outsider.totals).toEqual([0]);
      expect(outsider.ids).toEqual([]);
    });

    it("matches an owned service whatever the case of the incident's ref", async () => {
      const { ids, totals } = await walk('postmortems', OWNER, 50);
      expect(totals).toEqual([3]);
      expect(ids.sort()).toEqual([...owned, published].sort());
    });

    it('gives an outsider the published post-mortem only, with a total of one', async () => {
      const { ids, totals } = await walk('postmortems', OUTSIDER, 5);
      expect(totals).toEqual([1]);
      expect(ids).toEqual([published]);
    });

    it('gives admins everything', async () => {
      const res = await request(server)
        .get(`${V1}/postmortems?limit=5`)
        .set(as(ADMIN));
      expect(res.body.total).toBe(31);
      expect(res.body.data).toHaveLength(5);
    });

    it('filters action items the same way', async () => {
      const { ids, totals, pageSizes } = await walk(
        'action-items',
        COMMANDER,
        3,
      );
      expect(totals).toEqual([4]);
      expect(pageSizes).toEqual([3, 1]);
      expect(ids.sort()).toEqual([...commanded, published].sort());
      const outsider = await walk('action-items', OUTSIDER, 3);
      expect(outsider.ids).toEqual([published]);
    });

    it('opens exactly the post-mortems a list shows each user, an author after the commander changed too', async () => {
      // The commander writes a draft, then hands the incident over: they
      // keep reading it as one of its authors.
      const authored = await incidentWithDraft({ commander: COMMANDER });
      const written = await request(server)
        .patch(`${V1}/incidents/${authored}/postmortem`)
        .set(as(COMMANDER))
        .send({ content: '## Summary\n\nWritten by the commander' });
      expect(written.status).toBe(200);
      const handedOver = await request(server)
        .patch(`${V1}/incidents/${authored}`)
        .set(as(ADMIN))
        .send({ commander: 'user:default/someone-else' });
      expect(handedOver.status).toBe(200);

      expect((await walk('postmortems', COMMANDER, 50)).ids).toContain(
        authored,
      );
      const everything = (await walk('postmortems', ADMIN, 50)).ids;
      expect(everything).toHaveLength(32);
      for (const user of [COMMANDER, OWNER, OUTSIDER, ADMIN]) {
        const listed = new Set((await walk('postmortems', user, 50)).ids);
        const opened: string[] = [];
        for (const id of everything) {
          const res = await request(server)
            .get(`${V1}/incidents/${id}/postmortem`)
            .set(as(user));
          expect([200, 403]).toContain(res.status);
          if (res.status === 200) opened.push(id);
        }
        expect({ user, opened: opened.sort() }).toEqual({
          user,
          opened: [...listed].sort(),
        });
      }
    });
  },
);
