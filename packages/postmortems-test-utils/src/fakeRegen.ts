import { randomUUID } from 'node:crypto';
import { FakeReply, RecordedRequest } from './fakeServers';
import { FakeRefusal, FakeService } from './fakeService';

interface FakeIncident {
  id: string;
  incident_number: number;
  title: string;
  slug: string;
  status: string;
  severity: string;
  summary?: string;
  slack_channel?: { id: string; name: string; url: string };
  created_at: string;
  triggered_at: string;
  acknowledged_at?: string;
  resolved_at?: string;
  created_by_type: string;
  commander_id?: string;
  commander_name?: string;
}

/** A Regen user, as `GET /api/v1/users` lists the active ones. */
export interface FakeRegenUser {
  id: string;
  name: string;
  email: string;
  role: string;
  active: boolean;
}

interface FakeTimelineEntry {
  id: string;
  timestamp: string;
  type: string;
  actor_type: string;
  actor_id?: string;
  content: Record<string, unknown>;
}

interface FakeAlert {
  id: string;
  title: string;
  source: string;
  severity: string;
  status: string;
  labels: Record<string, string>;
  received_at: string;
}

/** How the fake misbehaves for the next requests. */
export type RegenFault =
  | 'down' // 500 with Regen's envelope
  | 'bad-gateway' // 502 from a proxy, not JSON
  | 'malformed' // 200 with a body that is not JSON
  | 'hang' // never answers
  | undefined;

const TRANSITIONS: Record<string, string[]> = {
  triggered: ['acknowledged', 'resolved', 'canceled'],
  acknowledged: ['resolved'],
  resolved: [],
  canceled: [],
};

/**
 * A small Regen server speaking its `/api/v1` incident, timeline, alert and
 * user routes: its pagination (`page`, `limit` capped by the server, answered
 * as `{data, total, limit, offset}`), its error envelope, its status machine,
 * incident commanders (`commander_id` and the `commander_name` Regen resolves
 * from its users; a change through PATCH recorded as `commander_assigned`),
 * the user list it offers for commander assignment (`{users: [...]}`, active
 * users only) and bearer-token auth, with switchable outages.
 */
export class FakeRegen extends FakeService {
  readonly incidents: FakeIncident[] = [];
  readonly users: FakeRegenUser[] = [];
  readonly timelines = new Map<string, FakeTimelineEntry[]>();
  readonly alerts = new Map<string, FakeAlert[]>();
  /** Regen's own outages, checked before anything else. */
  fault: RegenFault;
  /** Items served whole but wrong, to see one bad record skipped, not the sync. */
  readonly malformedIds = new Set<string>();
  /** Paths the token may not read, as a Regen RBAC policy would refuse them (403). */
  readonly forbiddenPaths = new Set<string>();

  constructor(
    readonly options: { token: string; maxPageSize?: number } = {
      token: 'regen-token',
    },
  ) {
    super();
  }

  /** Adds an incident with `entries` timeline entries and the given alerts. */
  addIncident(
    input: Partial<FakeIncident> & { title: string },
    entries = 3,
    alerts: Array<Partial<FakeAlert>> = [],
  ): FakeIncident {
    const number =
      input.incident_number ??
      Math.max(0, ...this.incidents.map(i => i.incident_number)) + 1;
    const triggered = input.triggered_at ?? '2026-10-01T10:00:00.000Z';
    const incident: FakeIncident = {
      id: randomUUID(),
      slug: input.title.toLowerCase().replace(/\W+/g, '-'),
      status: 'triggered',
      severity: 'high',
      created_at: triggered,
      triggered_at: triggered,
      created_by_type: 'system',
      ...input,
      incident_number: number,
    };
    this.incidents.push(incident);
    const timeline: FakeTimelineEntry[] = [
      {
        id: randomUUID(),
        timestamp: triggered,
        type: 'incident_created',
        actor_type: 'system',
        content: { title: incident.title },
      },
    ];
    for (let i = 1; i < entries; i++) {
      timeline.push({
        id: randomUUID(),
        timestamp: new Date(Date.parse(triggered) + i * 60_000).toISOString(),
        type: i % 7 === 3 ? 'responder_added' : 'message',
        actor_type: 'user',
        actor_id: `user-${i % 3}`,
        content: { message: `Update ${i} on ${incident.title}` },
      });
    }
    this.timelines.set(incident.id, timeline);
    this.alerts.set(
      incident.id,
      alerts.map(a => ({
        id: randomUUID(),
        title: 'High error rate',
        source: 'prometheus',
        severity: 'critical',
        status: 'firing',
        labels: {},
        received_at: triggered,
        ...a,
      })),
    );
    return incident;
  }

  /** Adds a Regen user (active unless told otherwise). */
  addUser(input: { name: string; email: string; active?: boolean }) {
    const user: FakeRegenUser = {
      id: randomUUID(),
      role: 'member',
      active: true,
      ...input,
    };
    this.users.push(user);
    return user;
  }

  /** Makes `user` the commander (none with undefined), as Regen's UI would, with its timeline entry. */
  setCommander(incident: FakeIncident, user: FakeRegenUser | undefined) {
    const previous = incident.commander_id;
    if (!user) {
      delete incident.commander_id;
      delete incident.commander_name;
      return;
    }
    incident.commander_id = user.id;
    incident.commander_name = user.name || user.email;
    this.timelines.get(incident.id)?.push({
      id: randomUUID(),
      timestamp: new Date().toISOString(),
      type: 'commander_assigned',
      actor_type: 'user',
      content: {
        commander_id: user.id,
        commander_name: incident.commander_name,
        ...(previous ? { previous_commander_id: previous } : {}),
      },
    });
  }

  private find(idOrNumber: string): FakeIncident | undefined {
    return this.incidents.find(
      i => i.id === idOrNumber || String(i.incident_number) === idOrNumber,
    );
  }

  protected outage(): FakeReply | undefined {
    if (this.fault === 'hang') return { hang: true };
    if (this.fault === 'down') {
      return error(500, 'internal_error', 'database connection lost');
    }
    if (this.fault === 'bad-gateway') {
      return {
        status: 502,
        headers: { 'Content-Type': 'text/html' },
        body: '<html><body>502 Bad Gateway</body></html>',
      };
    }
    if (this.fault === 'malformed') {
      return { status: 200, body: '{"data": [ {"id": ' };
    }
    return undefined;
  }

  protected refusal(kind: FakeRefusal): FakeReply {
    const [status, code, message] = {
      rate_limited: [429, 'rate_limited', 'Too many requests'],
      down: [500, 'internal_error', 'database connection lost'],
      not_found: [404, 'not_found', 'not found'],
      unauthorized: [401, 'unauthorized', 'Authentication required'],
      forbidden: [403, 'forbidden', 'Insufficient permissions'],
    }[kind] as [number, string, string];
    return error(status, code, message);
  }

  protected authorized(req: RecordedRequest): boolean {
    return req.headers.authorization === `Bearer ${this.options.token}`;
  }

  protected answer(req: RecordedRequest): FakeReply {
    const url = new URL(req.path, 'http://regen');
    // Regen serves its API under /api/v1 only; a request without the prefix
    // is a 404 there, and must be here.
    if (!url.pathname.startsWith('/api/v1/')) {
      return error(404, 'not_found', `no route ${url.pathname}`);
    }
    if (this.forbiddenPaths.has(url.pathname)) return this.refusal('forbidden');
    const parts = url.pathname.slice('/api/v1/'.length).split('/');
    const body = req.body ? safeJson(req.body) : undefined;

    if (parts.length === 1 && parts[0] === 'users' && req.method === 'GET') {
      return {
        body: {
          users: this.users
            .filter(u => u.active)
            .map(({ id, name, email, role }) => ({ id, name, email, role })),
        },
      };
    }
    if (parts[0] !== 'incidents') {
      return error(404, 'not_found', `no route ${url.pathname}`);
    }
    if (parts.length === 1 && req.method === 'GET') {
      return this.page(
        url,
        this.incidents.map(i => this.serve(i)),
      );
    }
    if (parts.length === 1 && req.method === 'POST') {
      if (typeof body?.title !== 'string' || !body.title) {
        return error(400, 'validation_error', 'title is required', {
          title: 'required',
        });
      }
      const created = this.addIncident(
        {
          title: body.title,
          severity: body.severity ?? 'medium',
          triggered_at: new Date().toISOString(),
          created_by_type: 'user',
        },
        1,
      );
      return { status: 201, body: created };
    }
    const incident = this.find(decodeURIComponent(parts[1]));
    if (!incident) {
      return error(404, 'not_found', `incident ${parts[1]} not found`);
    }
    if (parts.length === 2 && req.method === 'GET') {
      return {
        body: {
          ...(this.serve(incident) as object),
          alerts: this.alerts.get(incident.id) ?? [],
          timeline: (this.timelines.get(incident.id) ?? []).slice(0, 5),
        },
      };
    }
    if (parts.length === 2 && req.method === 'PATCH') {
      return this.patch(incident, body ?? {});
    }
    if (parts[2] === 'timeline' && req.method === 'GET') {
      return this.page(url, this.timelines.get(incident.id) ?? []);
    }
    if (parts[2] === 'timeline' && req.method === 'POST') {
      if (body?.type !== 'message') {
        return error(400, 'bad_request', 'Invalid timeline entry type', {
          type: "manual entries must have type='message'",
        });
      }
      const entry: FakeTimelineEntry = {
        id: randomUUID(),
        timestamp: new Date().toISOString(),
        type: 'message',
        actor_type: 'user',
        actor_id: 'api-user',
        content: body.content,
      };
      this.timelines.get(incident.id)!.push(entry);
      return { status: 201, body: entry };
    }
    return error(404, 'not_found', `no route ${url.pathname}`);
  }

  private serve(incident: FakeIncident): unknown {
    return this.malformedIds.has(incident.id)
      ? { ...incident, incident_number: 'not a number' }
      : incident;
  }

  private patch(incident: FakeIncident, body: Record<string, any>): FakeReply {
    const now = new Date().toISOString();
    const timeline = this.timelines.get(incident.id)!;
    if (body.status && body.status !== incident.status) {
      if (!TRANSITIONS[incident.status].includes(body.status)) {
        return error(
          409,
          'conflict',
          `cannot transition from ${incident.status} to ${body.status}`,
          { allowed_transitions: TRANSITIONS[incident.status] },
        );
      }
      timeline.push({
        id: randomUUID(),
        timestamp: now,
        type: 'status_changed',
        actor_type: 'user',
        content: { from: incident.status, to: body.status },
      });
      incident.status = body.status;
      if (body.status === 'acknowledged') incident.acknowledged_at = now;
      if (body.status === 'resolved') incident.resolved_at = now;
    }
    if (body.severity) incident.severity = body.severity;
    if (typeof body.summary === 'string') incident.summary = body.summary;
    if (typeof body.commander_id === 'string') {
      const user = this.users.find(u => u.id === body.commander_id);
      if (!user) {
        return error(400, 'bad_request', 'commander user not found');
      }
      if (user.id !== incident.commander_id) this.setCommander(incident, user);
    }
    return { body: incident };
  }

  private page(url: URL, items: unknown[]): FakeReply {
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
    const asked = Number(url.searchParams.get('limit') ?? 50);
    const limit = Math.min(asked, this.options.maxPageSize ?? 250);
    const offset = (page - 1) * limit;
    return {
      body: {
        data: items.slice(offset, offset + limit),
        total: items.length,
        limit,
        offset,
      },
    };
  }
}

function error(
  status: number,
  code: string,
  message: string,
  details?: unknown,
): FakeReply {
  return {
    status,
    body: { error: { code, message, ...(details ? { details } : {}) } },
  };
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
