import request from 'supertest';
import { templateManagePermission } from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  ADMIN,
  COMMANDER,
  OUTSIDER,
  OWNER,
  V1,
  as,
  startPolicyBackend,
} from './__testUtils__/policyBackend';

jest.setTimeout(60_000);

describe('the post-mortems policy module in the real permission backend', () => {
  let server: any;

  beforeAll(async () => {
    server = await startPolicyBackend();
  });

  async function incidentWithDraft() {
    const incident = await request(server)
      .post(`${V1}/incidents`)
      .set(as(ADMIN))
      .send({
        title: 'Payments down',
        severity: 'critical',
        commander: COMMANDER,
        services: ['component:default/checkout-api'],
      });
    expect(incident.status).toBe(201);
    const draft = await request(server)
      .post(`${V1}/incidents/${incident.body.id}/postmortem`)
      .set(as(ADMIN));
    expect(draft.status).toBe(201);
    return incident.body;
  }

  it('lets the commander, the service owners and admins read and edit a draft, and nobody else', async () => {
    const incident = await incidentWithDraft();
    const path = `${V1}/incidents/${incident.id}/postmortem`;

    for (const user of [ADMIN, COMMANDER, OWNER]) {
      const res = await request(server).get(path).set(as(user));
      expect({ user, status: res.status }).toEqual({ user, status: 200 });
    }
    const outsider = await request(server).get(path).set(as(OUTSIDER));
    expect(outsider.status).toBe(403);
    expect(
      (
        await request(server)
          .get(`${path}/export?format=markdown`)
          .set(as(OUTSIDER))
      ).status,
    ).toBe(403);

    const ownerEdit = await request(server)
      .patch(path)
      .set(as(OWNER))
      .send({ content: '## Summary\n\nWritten by the owning team' });
    expect(ownerEdit.status).toBe(200);
    const outsiderEdit = await request(server)
      .patch(path)
      .set(as(OUTSIDER))
      .send({ content: 'not mine to write' });
    expect(outsiderEdit.status).toBe(403);
  });

  it('keeps drafts out of lists for outsiders and shows published post-mortems to everyone', async () => {
    const incident = await incidentWithDraft();
    const path = `${V1}/incidents/${incident.id}/postmortem`;
    const listFor = async (user: string) =>
      (
        await request(server).get(`${V1}/postmortems?limit=100`).set(as(user))
      ).body.data.map((p: any) => p.incident_id);

    expect(await listFor(OUTSIDER)).not.toContain(incident.id);
    expect(await listFor(COMMANDER)).toContain(incident.id);

    expect(
      (
        await request(server)
          .patch(path)
          .set(as(OUTSIDER))
          .send({ status: 'published', override_findings: true })
      ).status,
    ).toBe(403);
    expect(
      (
        await request(server)
          .patch(path)
          .set(as(COMMANDER))
          .send({ status: 'published', override_findings: true })
      ).status,
    ).toBe(200);
    expect(await listFor(OUTSIDER)).toContain(incident.id);
    expect((await request(server).get(path).set(as(OUTSIDER))).status).toBe(
      200,
    );
  });

  it("is the policy the permission backend asks, allowing other plugins' permissions", async () => {
    const authorize = async (user: string, permission: object) => {
      const res = await request(server)
        .post('/api/permission/authorize')
        .set(as(user))
        .send({ items: [{ id: 'one', permission }] });
      expect(res.status).toBe(200);
      return res.body.items[0].result;
    };
    const catalogCreate = {
      type: 'basic',
      name: 'catalog.entity.create',
      attributes: { action: 'create' },
    };
    expect(await authorize(OUTSIDER, catalogCreate)).toBe('ALLOW');
    expect(await authorize(OUTSIDER, templateManagePermission)).toBe('DENY');
    expect(await authorize(ADMIN, templateManagePermission)).toBe('ALLOW');
  });

  it('leaves changing incidents to admins: a commander or service change moves who reads the draft', async () => {
    const incident = await incidentWithDraft();
    const takeOver = await request(server)
      .patch(`${V1}/incidents/${incident.id}`)
      .set(as(OUTSIDER))
      .send({ commander: OUTSIDER });
    expect(takeOver.status).toBe(403);
    expect(
      (
        await request(server)
          .get(`${V1}/incidents/${incident.id}/postmortem`)
          .set(as(OUTSIDER))
      ).status,
    ).toBe(403);
    const byAdmin = await request(server)
      .patch(`${V1}/incidents/${incident.id}`)
      .set(as(ADMIN))
      .send({ severity: 'high' });
    expect(byAdmin.status).toBe(200);
  });

  it('leaves template management to admins', async () => {
    const body = { name: 'Team template', sections: [{ title: 'Summary' }] };
    expect(
      (
        await request(server)
          .post(`${V1}/post-mortem-templates`)
          .set(as(OWNER))
          .send(body)
      ).status,
    ).toBe(403);
    expect(
      (
        await request(server)
          .post(`${V1}/post-mortem-templates`)
          .set(as(ADMIN))
          .send(body)
      ).status,
    ).toBe(201);
  });
});
