import { Entity } from '@backstage/catalog-model';
import { ALICE } from './testBackend';
import { TestApi } from './testApi';

/**
 * A post-mortem body with everything the exporters convert (headings,
 * emphasis, links, nested and ordered lists, a fenced block, a table) and
 * hostile bits in each: a script URL, raw HTML, an inline event handler and a
 * CDATA terminator in code.
 */
export function hostileMarkdown(title: string) {
  return [
    `# ${title}`,
    '',
    '## Summary',
    '',
    // A script URL, spelled so that lint does not take it for one here.
    `Checkout **failed** for _twelve_ minutes. See [the dashboard](https://grafana.example/d/1) and [this](${'javascript'}:alert(1)).`,
    '',
    '<script>alert("xss")</script>',
    '',
    'Inline <img src=x onerror=alert(1)> and `a < b && c` and & ampersands.',
    '',
    '## Timeline',
    '',
    '- 10:00 alert fired',
    '- 10:05 rollback started',
    '  - nested detail',
    '',
    '1. first',
    '2. second',
    '',
    '```sql',
    'SELECT * FROM orders WHERE id = 1 ]]> AND x < 2;',
    '```',
    '',
    '| Service | Impact |',
    '| --- | --- |',
    '| checkout | <b>total</b> |',
  ].join('\n');
}

/** A resolved incident on the checkout API, commanded by alice; the API's incident object. */
export async function resolvedIncident(
  api: TestApi,
  title = 'Checkout failing',
) {
  const created = await api.post('/incidents', {
    title,
    severity: 'high',
    services: ['component:default/checkout-api'],
    commander: ALICE,
  });
  expect(created.status).toBe(201);
  const resolved = await api.patch(`/incidents/${created.body.number}`, {
    status: 'resolved',
  });
  expect(resolved.status).toBe(200);
  return resolved.body;
}

/** The generated draft post-mortem of an incident. */
export async function draftFor(api: TestApi, incident: { number: number }) {
  const res = await api.post(`/incidents/${incident.number}/postmortem`);
  expect(res.status).toBe(201);
  return res.body;
}

/**
 * An incident with a draft post-mortem holding `content` (the template's
 * draft without it) and one action item whose description holds markup, as
 * the exporters see it; its reference and the post-mortem's title. The
 * incident's title is `incidentTitle` with a random suffix, so that each
 * export gets a page of its own.
 */
export async function postmortemToExport(
  api: TestApi,
  content?: (title: string) => string,
  { incidentTitle = 'Checkout down' }: { incidentTitle?: string } = {},
) {
  const incident = (
    await api.post('/incidents', {
      title: `${incidentTitle} ${Math.random().toString(36).slice(2, 8)}`,
      severity: 'high',
    })
  ).body;
  await draftFor(api, incident);
  const title = `Post-mortem: ${incident.reference} ${incident.title}`;
  if (content) {
    const saved = await api.patch(`/incidents/${incident.number}/postmortem`, {
      content: content(title),
    });
    expect(saved.status).toBe(200);
  }
  const item = await api.post(
    `/incidents/${incident.number}/postmortem/action-items`,
    {
      description: 'Add a <canary> stage',
      owner: ALICE,
      due_date: '2026-12-15',
      category: 'prevention',
    },
  );
  expect(item.status).toBe(201);
  return { ref: incident.reference as string, title };
}

/** An action item owned by `owner` on a fresh draft; its incident, the item and the path to reach it. */
export async function actionItemOnDraft(
  api: TestApi,
  owner: string | null = ALICE,
) {
  const incident = (
    await api.post('/incidents', { title: 'Payments slow', severity: 'high' })
  ).body;
  await draftFor(api, incident);
  const item = await api.post(
    `/incidents/${incident.number}/postmortem/action-items`,
    {
      description: 'Alert on p99 latency of the payments API',
      owner,
      due_date: '2026-12-20',
      category: 'detection',
    },
  );
  expect(item.status).toBe(201);
  const path = `/incidents/${incident.reference}/postmortem/action-items/${item.body.id}`;
  return { incident, item: item.body, path };
}

/** The action item at `itemPath` as the post-mortem of incident `ref` lists it now. */
export async function actionItemNow(
  api: TestApi,
  itemPath: string,
  ref: string,
) {
  const postmortem = await api.get(`/incidents/${ref}/postmortem`);
  const id = itemPath.split('/').pop();
  return postmortem.body.action_items.find((i: any) => i.id === id);
}

/** The Jira account of alice, from her catalog entity's annotation. */
export const ALICE_JIRA_ACCOUNT = '5b10a2844c20165700ede21g';

/**
 * The catalog the tracker tests assign issues from: alice, with her GitHub
 * login and Jira account, and the sre group, which has neither.
 */
export const TRACKER_ENTITIES: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: {
      name: 'alice',
      namespace: 'default',
      annotations: {
        'github.com/user-login': 'alice-gh',
        'atlassian.com/account-id': ALICE_JIRA_ACCOUNT,
      },
    },
    spec: {},
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'sre', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
];

/** A thread an imported incident links to. */
export interface TestChatThread {
  provider: 'slack';
  channel_id: string;
  thread_ts: string;
}

/**
 * A resolved incident imported with a timeline a post-mortem can be drafted
 * from (status changes, a chat message naming the cause, a rollback deploy)
 * and the alert that fired; the API's incident object.
 */
export async function importResolvedIncident(
  api: TestApi,
  {
    title = 'Card payments failing',
    chat,
    timeline,
  }: {
    title?: string;
    chat?: TestChatThread;
    /** Instead of the drafting timeline (`[]` for none). */
    timeline?: unknown[];
  } = {},
) {
  const doc = {
    incident: {
      title,
      ...(chat ? { chat } : {}),
      severity: 'critical',
      status: 'resolved',
      commander: ALICE,
      services: ['component:default/payments-service'],
      triggered_at: '2026-09-15T09:12:30Z',
      acknowledged_at: '2026-09-15T09:14:10Z',
      resolved_at: '2026-09-15T10:06:30Z',
    },
    timeline: [
      {
        type: 'incident_created',
        timestamp: '2026-09-15T09:12:30Z',
        content: { title, severity: 'critical' },
      },
      {
        type: 'status_changed',
        actor: ALICE,
        timestamp: '2026-09-15T09:14:10Z',
        content: { from: 'triggered', to: 'acknowledged' },
      },
      {
        type: 'slack_message',
        actor: 'Bob Okafor',
        timestamp: '2026-09-15T09:16:48Z',
        content: {
          text: 'payments-service 4.18.0 went out at 08:58; the host 10.42.7.19 shows x509 errors',
        },
      },
      {
        type: 'deploy',
        actor: 'Bob Okafor',
        timestamp: '2026-09-15T09:52:30Z',
        content: {
          service: 'payments-service',
          version: '4.17.3',
          description: 'rollback',
        },
      },
      {
        type: 'status_changed',
        actor: ALICE,
        timestamp: '2026-09-15T10:06:30Z',
        content: { from: 'acknowledged', to: 'resolved' },
      },
    ],
    alerts: [
      {
        source: 'prometheus',
        severity: 'critical',
        title: 'CheckoutPaymentErrorRateHigh',
        fired_at: '2026-09-15T09:12:00Z',
      },
    ],
  };
  if (timeline) doc.timeline = timeline as typeof doc.timeline;
  const res = await api.post('/incidents/import', doc);
  expect(res.status).toBe(201);
  return res.body;
}
