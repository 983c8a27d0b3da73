import { Knex } from 'knex';
import {
  createTestDatabases,
  importResolvedIncident,
  testApi,
} from '@internal/postmortems-test-utils';
import { MALLORY, startPostmortemsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = createTestDatabases();

const ALICE = 'user:default/alice';

/** The drafting timeline with chatter in it: a bot, a join, an emoji, a joke. */
const TIMELINE = [
  {
    type: 'incident_created',
    timestamp: '2026-09-15T09:12:30Z',
    content: { title: 'Card payments failing', severity: 'critical' },
  },
  {
    type: 'slack_message',
    actor: 'Bob Okafor',
    timestamp: '2026-09-15T09:13:00Z',
    content: { text: 'has joined the channel' },
  },
  {
    type: 'status_changed',
    actor: ALICE,
    timestamp: '2026-09-15T09:14:10Z',
    content: { from: 'triggered', to: 'acknowledged' },
  },
  {
    type: 'slack_message',
    actor: 'deploybot',
    timestamp: '2026-09-15T09:15:00Z',
    content: { text: 'Deploy pipeline #4411 is green' },
  },
  {
    type: 'slack_message',
    actor: 'Bob Okafor',
    timestamp: '2026-09-15T09:16:48Z',
    content: {
      text: 'payments-service 4.18.0 went out at 08:58; the host shows x509 errors',
    },
  },
  {
    type: 'slack_message',
    actor: 'Chen Wu',
    timestamp: '2026-09-15T09:17:00Z',
    content: { text: 'lol of course it is certificates' },
  },
  {
    type: 'slack_message',
    actor: 'Chen Wu',
    timestamp: '2026-09-15T09:17:30Z',
    content: { text: '🔥🔥' },
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
];

describe.each(databases.eachSupportedId())(
  'the curated timeline on %p',
  databaseId => {
    let knex: Knex;
    let server: any;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      ({ server } = await startPostmortemsBackend(knex));
    });

    async function incidentWithChatter() {
      const api = testApi(server);
      const incident = await importResolvedIncident(api, {
        timeline: TIMELINE,
      });
      const all = await api.get(`/incidents/${incident.id}/timeline?limit=100`);
      const byText = (text: string) =>
        all.body.data.find((e: any) =>
          JSON.stringify(e.content).includes(text),
        );
      return { api, incident, entries: all.body.data, byText };
    }

    it('hides chatter by default, one query parameter away, and counts it', async () => {
      const { api, incident, entries } = await incidentWithChatter();
      const curated = await api.get(
        `/incidents/${incident.id}/timeline?curated=true&limit=100`,
      );
      expect(curated.status).toBe(200);
      expect(curated.body.total).toBe(5);
      expect(curated.body.hidden).toBe(4);
      const shown = curated.body.data.map((e: any) => e.type);
      expect(shown).toEqual([
        'incident_created',
        'status_changed',
        'slack_message',
        'deploy',
        'status_changed',
      ]);

      const everything = await api.get(
        `/incidents/${incident.id}/timeline?curated=true&include_hidden=true&limit=100`,
      );
      expect(everything.body.total).toBe(entries.length);
      const noise = everything.body.data
        .filter((e: any) => e.curation.hidden)
        .map((e: any) => e.curation.noise);
      expect(noise).toEqual(['join_leave', 'bot', 'reaction', 'emoji']);

      // The timeline as recorded is unchanged by curation.
      const plain = await api.get(
        `/incidents/${incident.id}/timeline?limit=100`,
      );
      expect(plain.body.total).toBe(TIMELINE.length);
      expect(plain.body.data[0].curation).toBeUndefined();
    });

    it('lets an author show noise, hide and pin entries', async () => {
      const { api, incident, byText } = await incidentWithChatter();
      const joke = byText('lol of course');
      const fact = byText('x509');
      const base = `/incidents/${incident.id}/timeline`;

      const shown = await api.patch(`${base}/${joke.id}`, { hidden: false });
      expect(shown.status).toBe(200);
      expect(shown.body.curation).toMatchObject({
        hidden: false,
        noise: 'reaction',
        hidden_by_author: true,
      });
      const hidden = await api.patch(`${base}/${fact.id}`, {
        hidden: true,
        pinned: true,
      });
      expect(hidden.body.curation).toMatchObject({
        hidden: true,
        pinned: true,
      });

      const curated = await api.get(`${base}?curated=true&limit=100`);
      const ids = curated.body.data.map((e: any) => e.id);
      expect(ids).toContain(joke.id);
      expect(ids).not.toContain(fact.id);
      expect(curated.body.hidden).toBe(4);
    });

    it('says what is wrong with a change, and refuses unknown entries and readers', async () => {
      const { api, incident, byText } = await incidentWithChatter();
      const base = `/incidents/${incident.id}/timeline`;
      const entry = byText('x509');

      const badMoment = await api.patch(`${base}/${entry.id}`, {
        key_moment: 'noticed',
      });
      expect(badMoment.status).toBe(400);
      expect(
        badMoment.body.error.details.fields.map((f: any) => f.field),
      ).toEqual(['body.key_moment']);
      const badHidden = await api.patch(`${base}/${entry.id}`, {
        hidden: 'yes',
      });
      expect(badHidden.status).toBe(400);
      expect(badHidden.body.error.details.fields[0].field).toBe('body.hidden');
      const unknownField = await api.patch(`${base}/${entry.id}`, {
        pin: true,
      });
      expect(unknownField.status).toBe(400);
      expect(JSON.stringify(unknownField.body.error.details.fields)).toContain(
        'pin',
      );
      const empty = await api.patch(`${base}/${entry.id}`, {});
      expect(empty.status).toBe(400);

      const unknown = await api.patch(`${base}/no-such-entry`, {
        pinned: true,
      });
      expect(unknown.status).toBe(404);
      // An entry of another incident is not on this one's timeline.
      const other = await incidentWithChatter();
      const foreign = await api.patch(`${base}/${other.byText('x509').id}`, {
        pinned: true,
      });
      expect(foreign.status).toBe(404);

      const denied = await testApi(server, MALLORY).patch(
        `${base}/${entry.id}`,
        { pinned: true },
      );
      expect(denied.status).toBe(403);
      const after = await api.get(
        `${base}?curated=true&include_hidden=true&limit=100`,
      );
      expect(
        after.body.data.find((e: any) => e.id === entry.id).curation.pinned,
      ).toBe(false);
    });

    it('keeps one key moment of each kind, and measures from the trigger with the incident as fallback', async () => {
      const { api, incident, byText } = await incidentWithChatter();
      const base = `/incidents/${incident.id}/timeline`;
      const before = await api.get(`/incidents/${incident.id}/durations`);
      expect(before.status).toBe(200);
      // Triggered 09:12:30, acknowledged 09:14:10, resolved 10:06:30.
      expect(before.body).toMatchObject({
        mttd_ms: null,
        mtta_ms: 100_000,
        mttm_ms: null,
        mttr_ms: 54 * 60_000,
      });
      expect(before.body.moments.acknowledged.source).toBe('incident');

      const first = byText('has joined');
      const second = byText('x509');
      await api.patch(`${base}/${first.id}`, { key_moment: 'detected' });
      const moved = await api.patch(`${base}/${second.id}`, {
        key_moment: 'detected',
      });
      expect(moved.body.curation.key_moment).toBe('detected');
      await api.patch(`${base}/${byText('4.17.3').id}`, {
        key_moment: 'mitigated',
      });
      const curated = await api.get(
        `${base}?curated=true&include_hidden=true&limit=100`,
      );
      const marked = curated.body.data
        .filter((e: any) => e.curation.key_moment)
        .map((e: any) => [e.id, e.curation.key_moment]);
      expect(marked).toEqual([
        [second.id, 'detected'],
        [byText('4.17.3').id, 'mitigated'],
      ]);
      // A key moment on a chatter line shows it; the first one lost it.
      expect(
        curated.body.data.find((e: any) => e.id === first.id).curation,
      ).toMatchObject({ key_moment: null, hidden: true });

      expect(curated.body.durations).toMatchObject({
        mttd_ms: (4 * 60 + 18) * 1000,
        mttm_ms: 40 * 60_000,
        mtta_ms: 100_000,
      });
      expect(curated.body.durations.moments.detected).toEqual({
        at: '2026-09-15T09:16:48.000Z',
        source: 'key_moment',
        entry_id: second.id,
      });

      const cleared = await api.patch(`${base}/${second.id}`, {
        key_moment: null,
      });
      expect(cleared.body.curation.key_moment).toBeNull();
      const after = await api.get(`/incidents/${incident.id}/durations`);
      expect(after.body.mttd_ms).toBeNull();
    });

    it('drafts the Timeline section from the curated list, and regenerates it after a change', async () => {
      const { api, incident, byText } = await incidentWithChatter();
      const path = `/incidents/${incident.id}/postmortem`;
      const base = `/incidents/${incident.id}/timeline`;
      await api.patch(`${base}/${byText('x509').id}`, {
        key_moment: 'detected',
      });
      await api.patch(`${base}/${byText('🔥').id}`, { hidden: false });

      const drafted = await api.post(`${path}/generate`);
      expect(drafted.status).toBe(200);
      const timelineOf = (body: any) =>
        body.sections.find((s: any) => s.key === 'timeline');
      const first = timelineOf(drafted.body);
      expect(first.markdown).toContain('**Detected:** Chat: payments-service');
      expect(first.markdown).toContain(
        '**Detected** at 09:16 (4 min after the trigger)',
      );
      expect(first.markdown).toContain('🔥🔥');
      expect(first.markdown).not.toContain('of course it is certificates');
      expect(first.markdown).not.toContain('Deploy pipeline #4411');
      expect(first.markdown).not.toContain('has joined the channel');
      expect(first.markdown).toContain('3 entries are hidden');
      expect(drafted.body.evidence.timeline).not.toContain(
        byText('lol of course').id,
      );

      await api.patch(`${base}/${byText('x509').id}`, { hidden: true });
      const again = await api.post(`${path}/sections/timeline/regenerate`);
      expect(again.status).toBe(200);
      const second = timelineOf(again.body);
      expect(second.markdown).not.toContain('x509');
      expect(second.markdown).toContain('4 entries are hidden');
    });

    it('averages times to detect and acknowledge in the figures', async () => {
      const api = testApi(server);
      const doc = (n: number, acknowledged?: string) => ({
        incident: {
          title: `Figures ${n}`,
          severity: 'low',
          status: 'resolved',
          triggered_at: `2024-03-0${n}T10:00:00Z`,
          ...(acknowledged ? { acknowledged_at: acknowledged } : {}),
          resolved_at: `2024-03-0${n}T12:00:00Z`,
        },
        timeline: [
          {
            type: 'message',
            actor: 'Bob Okafor',
            timestamp: `2024-03-0${n}T10:10:00Z`,
            content: { text: 'Error rate on checkout is above 5%' },
          },
          {
            type: 'message',
            actor: 'Bob Okafor',
            timestamp: `2024-03-0${n}T10:30:00Z`,
            content: { text: 'Rolled back, error rate is normal again' },
          },
        ],
      });
      const one = await api.post('/incidents/import', doc(1));
      const two = await api.post(
        '/incidents/import',
        doc(2, '2024-03-02T10:20:00Z'),
      );
      expect([one.status, two.status]).toEqual([201, 201]);
      const entriesOf = async (id: string) =>
        (await api.get(`/incidents/${id}/timeline`)).body.data;
      const [detectOne, ackOne] = await entriesOf(one.body.id);
      const [, resolveTwo] = await entriesOf(two.body.id);
      await api.patch(`/incidents/${one.body.id}/timeline/${detectOne.id}`, {
        key_moment: 'detected',
      });
      await api.patch(`/incidents/${one.body.id}/timeline/${ackOne.id}`, {
        key_moment: 'acknowledged',
      });
      await api.patch(`/incidents/${two.body.id}/timeline/${resolveTwo.id}`, {
        key_moment: 'resolved',
      });

      const figures = await api.get(
        '/figures?from=2024-03-01T00:00:00Z&to=2024-03-03T00:00:00Z&bucket_days=1',
      );
      expect(figures.status).toBe(200);
      // Detected: 10 min on the first only. Acknowledged: 30 min (marked) and
      // 20 min (the incident's own). Resolved: 2 h, and 30 min (marked).
      expect(figures.body).toMatchObject({
        incidents: 2,
        resolved: 2,
        mttd_ms: 10 * 60_000,
        mtta_ms: 25 * 60_000,
        mttr_ms: 75 * 60_000,
      });
    });
  },
);
