import { demoIncidents } from '../../demo/demoIncidents';
import { evidenceFromDocument } from '../../__testUtils__/evidenceFixtures';
import { Scrubber } from './Scrubber';

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
