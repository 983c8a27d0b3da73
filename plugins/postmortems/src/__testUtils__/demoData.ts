import type {
  ActionItem,
  ExportTarget,
  Incident,
  IssueTracker,
  Postmortem,
  PostmortemComment,
  PostmortemTemplate,
  TimelineEntry,
} from '@postmortems-oss/backstage-plugin-postmortems-common';

/*
 * The frontend tests' world. The portal's demo incidents live in the backend
 * (`postmortems-backend/src/demo/incidents/*.json`, loaded on first start);
 * they carry fixed dates and no post-mortems, while these tests need
 * post-mortems, action items and comments with dates relative to today (an
 * item overdue now, an incident in the last 30 days). Backend state built from
 * these records goes through the common response schemas (`backend.ts`).
 */

const DAY = 24 * 60 * 60 * 1000;

function isoDaysAgo(days: number, hours = 0): string {
  return new Date(
    Date.now() - days * DAY + hours * 60 * 60 * 1000,
  ).toISOString();
}

function dateDaysFromNow(days: number): string {
  return new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
}

/** An incident with sensible defaults. */
export function makeIncident(
  number: number,
  change: Partial<Incident> = {},
): Incident {
  const triggered = change.triggered_at ?? isoDaysAgo(10);
  return {
    id: `incident-${number}`,
    number,
    reference: `INC-${number}`,
    title: `Incident ${number}`,
    description: null,
    severity: 'high',
    status: 'resolved',
    summary: null,
    commander: 'user:default/jane.doe',
    services: ['component:default/checkout-api'],
    chat: null,
    source: 'local',
    external_id: null,
    triggered_at: triggered,
    acknowledged_at: null,
    resolved_at: new Date(Date.parse(triggered) + 95 * 60 * 1000).toISOString(),
    canceled_at: null,
    created_by: 'user:default/jane.doe',
    created_at: triggered,
    updated_at: triggered,
    ...change,
  };
}

/** An action item with sensible defaults. */
export function makeActionItem(
  postmortem: Pick<Postmortem, 'id' | 'incident_id'>,
  id: string,
  change: Partial<ActionItem> = {},
): ActionItem {
  const description = change.description ?? `Action ${id}`;
  return {
    id,
    postmortem_id: postmortem.id,
    incident_id: postmortem.incident_id,
    description,
    title: description,
    owner: null,
    due_date: null,
    status: 'open',
    category: null,
    external_url: null,
    tracker: null,
    external_key: null,
    source: 'manual',
    accepted: true,
    created_by: 'user:default/jane.doe',
    created_at: isoDaysAgo(5),
    updated_at: isoDaysAgo(5),
    ...change,
  };
}

/** A post-mortem with sensible defaults. */
export function makePostmortem(
  incident: Incident,
  change: Partial<Postmortem> = {},
): Postmortem {
  const sections = change.sections ?? [
    { key: 'summary', title: 'Summary', markdown: 'Card payments failed.' },
    {
      key: 'root_cause',
      title: 'Root cause',
      markdown: 'An expired TLS certificate.',
    },
  ];
  return {
    id: `pm-${incident.number}`,
    incident_id: incident.id,
    status: 'draft',
    content: sections.map(s => `## ${s.title}\n\n${s.markdown}`).join('\n\n'),
    sections,
    template_id: 'standard',
    template_name: 'Standard',
    generated_by: 'deterministic',
    generated_at: incident.resolved_at,
    version: 3,
    published_at: null,
    published_by: null,
    created_by: 'user:default/jane.doe',
    updated_by: 'user:default/jane.doe',
    created_at: incident.resolved_at ?? incident.triggered_at,
    updated_at: incident.resolved_at ?? incident.triggered_at,
    action_items: [],
    findings: [],
    evidence: {},
    ...change,
  };
}

/** Built-in templates like the backend ships. */
export function makeTemplates(): PostmortemTemplate[] {
  const at = isoDaysAgo(100);
  return [
    {
      id: 'standard',
      name: 'Standard',
      description:
        'Summary, impact, timeline, root cause, what went well, action items.',
      sections: [
        {
          key: 'summary',
          title: 'Summary',
          required: true,
          guiding_questions: ['What happened, in two sentences?'],
        },
        {
          key: 'impact',
          title: 'Impact',
          required: true,
          guiding_questions: ['Who was affected, how long?'],
        },
        {
          key: 'root_cause',
          title: 'Root cause',
          required: true,
          guiding_questions: ['Why did it happen?', 'Why was it not caught?'],
        },
        {
          key: 'lessons',
          title: 'What went well and what did not',
          required: false,
          guiding_questions: [],
        },
      ],
      action_item_categories: ['prevention', 'detection', 'mitigation'],
      cause_categories: ['code-change', 'configuration', 'capacity'],
      reviewers: [],
      is_builtin: true,
      is_active: true,
      created_at: at,
      updated_at: at,
    },
    {
      id: 'short',
      name: 'Short',
      description: 'For low-severity incidents.',
      sections: [
        {
          key: 'summary',
          title: 'Summary',
          required: true,
          guiding_questions: [],
        },
        {
          key: 'follow_up',
          title: 'Follow-up',
          required: false,
          guiding_questions: [],
        },
      ],
      action_item_categories: ['follow-up'],
      cause_categories: ['code-change', 'configuration', 'capacity'],
      reviewers: [],
      is_builtin: true,
      is_active: false,
      created_at: at,
      updated_at: at,
    },
  ];
}

/** Export targets of every kind, as a configured backend lists them. */
export function makeExportTargets(): ExportTarget[] {
  return [
    { id: 'confluence', type: 'confluence', title: 'Confluence', kind: 'page' },
    { id: 'notion', type: 'notion', title: 'Notion', kind: 'page' },
    { id: 'markdown', type: 'markdown', title: 'Markdown', kind: 'file' },
    { id: 'pdf', type: 'pdf', title: 'PDF', kind: 'file' },
  ];
}

/** A GitHub repository and a Jira project. */
export function makeTrackers(): IssueTracker[] {
  return [
    { id: 'github', type: 'github', title: 'acme/payments' },
    { id: 'jira', type: 'jira', title: 'OPS' },
  ];
}

/** The demo world a test's backend starts from. */
export interface DemoData {
  incidents: Incident[];
  /** By incident id. */
  timelines: Record<string, TimelineEntry[]>;
  postmortems: Postmortem[];
  templates: PostmortemTemplate[];
  exportTargets: ExportTarget[];
  trackers: IssueTracker[];
  /** By post-mortem id. */
  comments: Record<string, PostmortemComment[]>;
}

/**
 * A small demo world: a published post-mortem with action items (one overdue,
 * one AI proposal), a draft with evidence findings, an incident without a
 * post-mortem yet and one still open; Confluence, Notion and PDF exports and
 * GitHub and Jira trackers configured.
 */
export function createDemoData(): DemoData {
  const inc1 = makeIncident(1, {
    title: 'Card payments failing at checkout',
    severity: 'critical',
    triggered_at: isoDaysAgo(20),
    created_at: isoDaysAgo(20),
    resolved_at: isoDaysAgo(20, 2),
    summary: 'Card payments failed for 2 hours after a certificate expired.',
    services: [
      'component:default/checkout-api',
      'component:default/payments-service',
    ],
  });
  const inc2 = makeIncident(2, {
    title: 'Checkout latency after a connection pool change',
    severity: 'high',
    triggered_at: isoDaysAgo(8),
    created_at: isoDaysAgo(8),
    resolved_at: isoDaysAgo(8, 1),
  });
  const inc3 = makeIncident(3, {
    title: 'Search latency degraded after index rebuild',
    severity: 'medium',
    services: ['component:default/search-service'],
    triggered_at: isoDaysAgo(3),
    created_at: isoDaysAgo(3),
    resolved_at: isoDaysAgo(3, 3),
  });
  const inc4 = makeIncident(4, {
    title: 'Login errors on auth-service',
    severity: 'low',
    status: 'triggered',
    services: ['component:default/auth-service'],
    triggered_at: isoDaysAgo(0, -1),
    created_at: isoDaysAgo(0, -1),
    resolved_at: null,
  });

  const pm1base = makePostmortem(inc1, {
    status: 'published',
    published_at: isoDaysAgo(18),
    published_by: 'user:default/jane.doe',
    sections: [
      {
        key: 'summary',
        title: 'Summary',
        markdown:
          'Card payments failed for **2 hours** because the TLS certificate of the card processor connection expired.',
      },
      {
        key: 'impact',
        title: 'Impact',
        markdown: '- 38% of checkouts failed\n- About 4,100 customers affected',
      },
      {
        key: 'root_cause',
        title: 'Root cause',
        markdown:
          'The certificate was renewed by hand every year; the reminder went to a former team member.',
      },
    ],
    evidence: { summary: ['t1', 't2'], root_cause: ['t3'] },
  });
  const pm1: Postmortem = {
    ...pm1base,
    action_items: [
      makeActionItem(pm1base, 'a1', {
        description: 'Automate certificate renewal with cert-manager',
        owner: 'group:default/team-payments',
        due_date: dateDaysFromNow(-3),
        category: 'prevention',
      }),
      makeActionItem(pm1base, 'a2', {
        description: 'Alert 30 days before any certificate expires',
        owner: 'user:default/jane.doe',
        due_date: dateDaysFromNow(14),
        status: 'in_progress',
        category: 'detection',
      }),
      makeActionItem(pm1base, 'a3', {
        description: 'Add a runbook for card processor failures',
        source: 'ai',
        accepted: false,
        category: 'mitigation',
      }),
    ],
  };
  const pm2 = makePostmortem(inc2, {
    findings: [
      {
        id: 'f1',
        kind: 'blame',
        section_key: 'root_cause',
        excerpt: 'Bob broke the pool settings',
        message: 'This sentence blames a person.',
        hint: 'Describe what in the process let the change through.',
      },
    ],
    sections: [
      {
        key: 'summary',
        title: 'Summary',
        markdown: 'Checkout p99 latency rose to 6 s for 40 minutes.',
      },
      {
        key: 'root_cause',
        title: 'Root cause',
        markdown: 'Bob broke the pool settings during a config change.',
      },
    ],
  });

  const timeline: TimelineEntry[] = [
    {
      id: 't1',
      incident_id: inc1.id,
      type: 'alert_linked',
      actor: 'prometheus',
      timestamp: inc1.triggered_at,
      content: { alert_title: 'CheckoutPaymentErrorRateHigh' },
      created_at: inc1.triggered_at,
    },
    {
      id: 't2',
      incident_id: inc1.id,
      type: 'message',
      actor: 'user:default/jane.doe',
      timestamp: inc1.triggered_at,
      content: { text: 'Payments failing with TLS handshake errors' },
      created_at: inc1.triggered_at,
    },
    {
      id: 't3',
      incident_id: inc1.id,
      type: 'slack_message',
      actor: 'sam',
      timestamp: inc1.resolved_at!,
      content: { text: 'Certificate renewed, errors gone' },
      created_at: inc1.resolved_at!,
    },
  ];

  return {
    incidents: [inc1, inc2, inc3, inc4],
    timelines: { [inc1.id]: timeline },
    postmortems: [pm1, pm2],
    templates: makeTemplates(),
    exportTargets: makeExportTargets(),
    trackers: makeTrackers(),
    comments: {
      [pm1.id]: [
        {
          id: 'c1',
          postmortem_id: pm1.id,
          author: 'user:default/jane.doe',
          body: 'Reviewed with the payments team.',
          created_at: isoDaysAgo(18),
        },
      ],
    },
  };
}
