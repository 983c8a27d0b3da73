import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { notificationService } from '@backstage/plugin-notifications-node';
import { Knex } from 'knex';
import {
  ALICE,
  createTestDatabases,
  importResolvedIncident,
  MALLORY,
  testApi,
} from '@internal/postmortems-test-utils';
import { startPostmortemsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = createTestDatabases();

const BOB = 'user:default/bob';
const CAROL = 'user:default/carol';
const SRE = 'group:default/sre';

/** Bob is in the SRE group; everyone else only themselves. */
const userInfo = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: BackstageCredentials) {
      const self = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return {
        userEntityRef: self,
        ownershipEntityRefs: self === BOB ? [self, SRE] : [self],
      };
    },
  }),
});

/** The payments service, owned by team-payments, which Carol is in. */
const ENTITIES = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-service', namespace: 'default' },
    spec: { owner: 'group:default/team-payments' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/team-payments' }],
  },
];

describe.each(databases.eachSupportedId())('reviews on %p', databaseId => {
  let knex: Knex;
  let server: any;
  const sent: unknown[] = [];

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    ({ server } = await startPostmortemsBackend(knex, {
      entities: ENTITIES as any,
      services: [
        userInfo,
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({
            send: async (options: unknown) => {
              sent.push(options);
            },
          }),
        }),
      ],
    }));
  });

  /** A post-mortem of a template asking `reviewers`, written so the evidence check is clean. */
  async function draftWith(reviewers: string[]) {
    const api = testApi(server);
    const standard = (await api.get('/post-mortem-templates')).body.data.find(
      (t: any) => t.name === 'Standard',
    );
    const copy = await api.post(`/post-mortem-templates/${standard.id}/copy`, {
      name: `Reviewed ${Math.random()}`,
    });
    const template = await api.patch(`/post-mortem-templates/${copy.body.id}`, {
      reviewers,
    });
    expect(template.status).toBe(200);
    expect(template.body.reviewers).toEqual(reviewers);
    const incident = await importResolvedIncident(api);
    const path = `/incidents/${incident.id}/postmortem`;
    const created = await api.post(path, { template_id: template.body.id });
    expect(created.status).toBe(201);
    return { api, path, postmortem: created.body };
  }

  it('publishes a post-mortem whose template names reviewers only once they approved its current content', async () => {
    const { api, path, postmortem } = await draftWith([SRE]);
    expect(postmortem.review).toMatchObject({
      state: 'not_requested',
      required: true,
      template_reviewers: [SRE],
    });

    const early = await api.patch(path, {
      version: postmortem.version,
      status: 'published',
      override_findings: true,
    });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain(
      'its template asks for a review by group:default/sre',
    );

    sent.length = 0;
    const requested = await api.post(`${path}/reviews/request`, {
      comment: 'Ready for a look',
    });
    expect(requested.status).toBe(201);
    expect(requested.body.review).toMatchObject({
      state: 'in_review',
      requested_by: ALICE,
      reviewers: [{ reviewer: SRE, decision: null, current: false }],
    });
    // The reviewers hear of it.
    expect(sent).toEqual([
      expect.objectContaining({
        recipients: { type: 'entity', entityRef: [SRE] },
        payload: expect.objectContaining({
          title: expect.stringContaining('Review requested'),
          // People by name, never by ref.
          description: expect.stringMatching(/^Alice asks you to review/),
        }),
      }),
    ]);

    // Carol is not among the reviewers; a request for changes needs words.
    const carol = testApi(server, CAROL);
    const notAsked = await carol.post(`${path}/reviews`, {
      decision: 'approved',
    });
    expect(notAsked.status).toBe(403);
    const bob = testApi(server, BOB);
    const wordless = await bob.post(`${path}/reviews`, {
      decision: 'changes_requested',
    });
    expect(wordless.status).toBe(400);
    expect(JSON.stringify(wordless.body)).toContain('comment');

    const changes = await bob.post(`${path}/reviews`, {
      decision: 'changes_requested',
      comment: 'Name the missing CI check',
    });
    expect(changes.status).toBe(201);
    expect(changes.body.review).toMatchObject({
      state: 'changes_requested',
      reviewers: [
        {
          reviewer: SRE,
          decision: 'changes_requested',
          decided_by: BOB,
          comment: 'Name the missing CI check',
          current: true,
        },
      ],
    });

    // The author edits; the request for changes is of older content now.
    const edited = await api.patch(path, {
      version: requested.body.version,
      sections: requested.body.sections.map((s: any) =>
        s.key === 'root_cause'
          ? { ...s, markdown: 'No CI check read the CA path.' }
          : s,
      ),
    });
    expect(edited.status).toBe(200);
    expect(edited.body.review.state).toBe('in_review');
    const stillWaiting = await api.patch(path, {
      version: edited.body.version,
      status: 'published',
      override_findings: true,
    });
    expect(stillWaiting.status).toBe(409);
    expect(stillWaiting.body.error.message).toContain(
      'waits for approval by group:default/sre',
    );

    // A decision on a version the reviewer did not read is refused.
    const stale = await bob.post(`${path}/reviews`, {
      decision: 'approved',
      version: requested.body.version,
    });
    expect(stale.status).toBe(409);
    const approved = await bob.post(`${path}/reviews`, {
      decision: 'approved',
      version: edited.body.version,
    });
    expect(approved.status).toBe(201);
    expect(approved.body.review.state).toBe('approved');

    const published = await api.patch(path, {
      version: edited.body.version,
      status: 'published',
      override_findings: true,
    });
    expect(published.status).toBe(200);
    expect(published.body.published_version).toBe(published.body.version);

    const history = await api.get(`${path}/reviews`);
    expect(history.body.data.map((e: any) => [e.kind, e.author])).toEqual([
      ['requested', ALICE],
      ['changes_requested', BOB],
      ['approved', BOB],
    ]);
  });

  it('records edits after publishing as amendments and tells the service owners and reviewers', async () => {
    const { api, path, postmortem } = await draftWith([]);
    expect(postmortem.review).toMatchObject({
      state: 'not_requested',
      required: false,
    });
    const published = await api.patch(path, {
      version: postmortem.version,
      status: 'published',
      override_findings: true,
    });
    expect(published.status).toBe(200);
    expect(published.body.published_version).toBe(published.body.version);

    sent.length = 0;
    const amended = await api.patch(path, {
      version: published.body.version,
      sections: published.body.sections.map((s: any) =>
        s.key === 'summary' ? { ...s, markdown: 'Corrected: 54 minutes.' } : s,
      ),
    });
    expect(amended.status).toBe(200);
    expect(amended.body.status).toBe('published');
    expect(amended.body.version).toBe(published.body.version + 1);
    expect(amended.body.published_version).toBe(published.body.version);
    const revisions = await api.get(`${path}/revisions`);
    expect(revisions.body.data[0]).toMatchObject({
      version: amended.body.version,
      reason: 'amend',
    });
    expect(sent).toEqual([
      expect.objectContaining({
        recipients: {
          type: 'entity',
          entityRef: ['component:default/payments-service'],
        },
        payload: expect.objectContaining({
          title: expect.stringContaining('amended'),
        }),
      }),
    ]);

    // Further corrections of the same amendment tell nobody again.
    sent.length = 0;
    const corrected = await api.patch(path, {
      version: amended.body.version,
      sections: amended.body.sections.map((s: any) =>
        s.key === 'summary' ? { ...s, markdown: 'Corrected: 55 minutes.' } : s,
      ),
    });
    expect(corrected.status).toBe(200);
    expect(sent).toEqual([]);
  });

  it('asks the owners of the affected services when the template says owners', async () => {
    const { api, path } = await draftWith(['owners']);
    const requested = await api.post(`${path}/reviews/request`, {});
    expect(requested.status).toBe(201);
    expect(requested.body.review.reviewers.map((r: any) => r.reviewer)).toEqual(
      ['group:default/team-payments'],
    );
  });

  it('refuses bad review input with the field that was wrong', async () => {
    const { api, path } = await draftWith([]);
    const none = await api.post(`${path}/reviews/request`, {});
    expect(none.status).toBe(400);
    expect(none.body.error.message).toContain('reviewers');
    const badRef = await api.post(`${path}/reviews/request`, {
      reviewers: ['component:default/payments-service'],
    });
    expect(badRef.status).toBe(400);
    expect(JSON.stringify(badRef.body)).toContain('reviewers');
    const unrequested = await testApi(server, BOB).post(`${path}/reviews`, {
      decision: 'approved',
    });
    expect(unrequested.status).toBe(409);
    // Mallory may read only published post-mortems: not this draft.
    const mallory = await testApi(server, MALLORY).post(
      `${path}/reviews/request`,
      { reviewers: [BOB] },
    );
    expect(mallory.status).toBe(403);
  });
});
