import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  AuthService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
// The real post-mortems backend evaluates the policy's conditional decisions.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import postmortemsPlugin from '@postmortems-oss/backstage-plugin-postmortems-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { templateManagePermission } from '@postmortems-oss/backstage-plugin-postmortems-common';
import policyModule from '.';

// Who is who: the group sre holds the admins; team-payments owns checkout-api.
const ADMIN = 'user:default/frank';
const COMMANDER = 'user:default/carla';
const OWNER = 'user:default/alice';
const OUTSIDER = 'user:default/mallory';
const groups: Record<string, string[]> = {
  [ADMIN]: ['group:default/sre'],
  [OWNER]: ['group:default/team-payments'],
  [COMMANDER]: [],
  [OUTSIDER]: ['group:default/team-storefront'],
};

jest.setTimeout(60_000);

/**
 * Mock auth, except that the permission backend calls the plugins' condition
 * endpoints as itself. Real auth sends a service token acting for the user
 * there; the mock would send a plain user token, which the endpoint refuses.
 */
const authWithServiceConditionCalls = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    return {
      authenticate: auth.authenticate.bind(auth),
      isPrincipal: auth.isPrincipal.bind(auth) as AuthService['isPrincipal'],
      getNoneCredentials: auth.getNoneCredentials.bind(auth),
      getOwnServiceCredentials: auth.getOwnServiceCredentials.bind(auth),
      getLimitedUserToken: auth.getLimitedUserToken.bind(auth),
      listPublicServiceKeys: auth.listPublicServiceKeys.bind(auth),
      async getPluginRequestToken(options) {
        if (plugin.getId() === 'permission') {
          return auth.getPluginRequestToken({
            ...options,
            onBehalfOf: await auth.getOwnServiceCredentials(),
          });
        }
        return auth.getPluginRequestToken(options);
      },
    };
  },
});

describe('the post-mortems policy module in the real permission backend', () => {
  let server: any;
  const V1 = '/api/postmortems/v1';
  const as = (user: string) => ({
    Authorization: mockCredentials.user.header(user),
  });

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        permissionPlugin,
        authWithServiceConditionCalls,
        policyModule,
        postmortemsPlugin,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            postmortems: { permissions: { admins: ['group:default/sre'] } },
          },
        }),
        mockServices.userInfo.mock({
          getUserInfo: async credentials => {
            const userEntityRef = (credentials.principal as any).userEntityRef;
            return {
              userEntityRef,
              ownershipEntityRefs: [
                userEntityRef,
                ...(groups[userEntityRef] ?? []),
              ],
            };
          },
        }).factory,
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: { name: 'checkout-api', namespace: 'default' },
              spec: { type: 'service', owner: 'group:default/team-payments' },
              relations: [
                { type: 'ownedBy', targetRef: 'group:default/team-payments' },
              ],
            },
          ],
        }),
      ],
    }));
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
