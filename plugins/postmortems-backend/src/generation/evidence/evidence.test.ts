import { demoIncidents } from '../../demo/demoIncidents';
import {
  evidenceFromDocument,
  incidentFromDocument,
  standardTemplate,
} from '../../__testUtils__/evidenceFixtures';
import { Scrubber } from './Scrubber';
import { refsOfIncident } from './entityNames';
import { assembleEvidence } from './EvidenceBundle';

describe('Scrubber', () => {
  it('removes addresses, e-mails and credentials but leaves times and versions', () => {
    const scrubber = new Scrubber();
    const text = [
      'pod 10.42.7.19:8443 and fe80::1ff:fe23:4567:890a timed out',
      'mail niamh.byrne@acme-shop.example about it',
      'curl -H "Authorization: Bearer sk_live_51HxAbCdEfGh…" https://x',
      'export AWS_KEY=AKIAIOSFODNN7EXAMPLE password=hunter2 token: abc123def',
      'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlX2hlcmU',
      'at 10:42:07 we deployed 4.18.1 (build 2026.09.15)',
    ].join('\n');
    const out = scrubber.scrub(text);
    expect(out).not.toMatch(
      /10\.42\.7\.19|fe80|niamh|sk_live|AKIA|hunter2|abc123def|eyJhbGci/,
    );
    expect(out).toContain('10:42:07');
    expect(out).toContain('4.18.1');
    expect(out).toContain('Authorization: Bearer [secret]');
    expect(out).toContain('password=[secret]');
    expect(scrubber.report()['[ip]']).toBe(2);
  });

  it('finds every address wherever it starts, and only whole ones', () => {
    const scrubber = new Scrubber();
    expect(
      scrubber.scrub(
        'a@b x.y@example.com,1.2.3.4 and 999.1.1.1 then 10.0.0.1:80 @ me@host.io',
      ),
    ).toBe('a@b [email],[ip] and 999.1.1.1 then [ip] @ [email]');
    expect(
      scrubber.scrub(
        'v4.18.1 on 2026.09.15, hosts 192.168.0.1 and 256.1.1.1.5 and 1.2.3.4.5; mail@x.co@y.org a@@b.com',
      ),
    ).toBe(
      'v4.18.1 on 2026.09.15, hosts [ip] and 256.[ip] and [ip].5; [email]@y.org a@@b.com',
    );
  });

  it('counts every scrubbing of a text it has seen before', () => {
    const scrubber = new Scrubber();
    expect(scrubber.scrub('ops@example.com')).toBe('[email]');
    expect(scrubber.scrub('ops@example.com')).toBe('[email]');
    expect(scrubber.scrub('Person 1')).toBe('Person 1');
    expect(scrubber.scrub('Person 1')).toBe('Person 1');
    expect(scrubber.scrub('at 10.0.0.1')).toBe('at [ip]');
    expect(scrubber.report()).toEqual({ '[email]': 2, '[ip]': 1 });
  });

  it('applies configured patterns', () => {
    const scrubber = new Scrubber([
      { pattern: 'CUST-\\d+', replacement: '[customer]' },
    ]);
    expect(scrubber.scrub('refund CUST-12345 today')).toBe(
      'refund [customer] today',
    );
  });

  it('keeps the hazards of the demo incidents out of the evidence', () => {
    const evidence = evidenceFromDocument(demoIncidents[0]);
    const all = JSON.stringify(evidence);
    expect(all).not.toContain('10.42.7.19');
    expect(all).not.toMatch(/sk_live_[A-Za-z0-9]/);
    expect(evidence.scrubbed['[ip]']).toBeGreaterThan(0);
    const second = JSON.stringify(evidenceFromDocument(demoIncidents[1]));
    expect(second).not.toContain('niamh.byrne@');
  });
});

describe('refsOfIncident', () => {
  it('reads refs from actors and from the JSON of every content, once each, in order', () => {
    expect(
      refsOfIncident(
        {
          commander: 'user:default/frank.li',
          services: ['component:checkout-api'],
        },
        [
          { actor: 'user:default/frank.li', content: { text: 'no refs here' } },
          { actor: 'Person 1', content: { text: 'paged group:sre/oncall' } },
          {
            actor: 'user:default/frank.li',
            content: { nested: { list: ['see system:payments.'] } },
          },
          { actor: null, content: { 'api:orders': true } },
          {
            actor: 'User:Default/Ann.Lee',
            content: { when: new Date('2026-10-01T00:00:00Z') },
          },
          // As JSON the tab is `\t`, so `tuser:x` is no ref; the next one is.
          {
            actor: 'Person 1',
            content: { note: 'tab\tuser:x and component:a/b' },
          },
        ],
      ),
    ).toEqual([
      'user:default/frank.li',
      'component:default/checkout-api',
      'group:sre/oncall',
      'system:default/payments',
      'api:default/orders',
      'user:default/ann.lee',
      'component:a/b',
    ]);
  });
});

describe('assembleEvidence', () => {
  it('puts entries in time order, ties as they came', () => {
    const at = (second: number) => `2026-10-01T00:00:0${second}Z`;
    const { incident, timeline, alerts } = incidentFromDocument({
      incident: {
        title: 'Sorting',
        severity: 'high',
        status: 'resolved',
        triggered_at: at(0),
      },
      timeline: [
        { type: 'incident_created', timestamp: at(0), content: {} },
        { type: 'message', timestamp: at(1), content: { text: 'a' } },
        { type: 'message', timestamp: at(2), content: { text: 'b' } },
        { type: 'message', timestamp: at(2), content: { text: 'c' } },
      ],
      alerts: [],
    });
    const [e1, e2, e3, e4] = timeline;
    const assemble = (entries: typeof timeline) =>
      assembleEvidence({
        incident,
        timeline: entries,
        alerts,
        template: standardTemplate,
        scrubber: new Scrubber(),
      }).entries.map(e => e.id);

    expect(assemble([e1, e2, e3, e4])).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(assemble([e4, e1, e3, e2])).toEqual(['e1', 'e2', 'e4', 'e3']);
  });
});
