import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { IncidentImportDocument } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { demoIncidents } from '../../demo/demoIncidents';
import {
  evidenceFromDocument,
  incidentFromDocument,
  standardTemplate,
} from '../../__testUtils__/evidenceFixtures';
import { assembleEvidence } from '../evidence/EvidenceBundle';
import { catalogNames, refsOfIncident } from '../evidence/entityNames';
import { Scrubber } from '../evidence/Scrubber';
import { DeterministicProvider } from './DeterministicProvider';
import { inline, plainText } from './draftMarkdown';

const RAW_REF =
  /\b(user|group|component|system|resource|api|domain):[a-z0-9][\w.-]*\//i;

async function draftOf(doc: IncidentImportDocument, entities?: any) {
  const { incident, timeline, alerts } = incidentFromDocument(doc);
  const evidence = assembleEvidence({
    incident,
    timeline,
    alerts,
    template: standardTemplate,
    scrubber: new Scrubber(),
    entities,
  });
  const draft = await new DeterministicProvider().draft({
    evidence,
    mode: 'draft',
  });
  return {
    evidence,
    draft,
    byKey: Object.fromEntries(draft.sections.map(s => [s.key, s.markdown])),
  };
}

describe('readable drafts', () => {
  it('names people and services by their catalog names, linked to their pages', async () => {
    const catalog = catalogServiceMock({
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'User',
          metadata: { name: 'frank.li', namespace: 'default' },
          spec: { profile: { displayName: 'Frank Li (SRE)' } },
        },
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'checkout-api', title: 'Checkout API' },
          spec: {},
        },
      ],
    });
    const doc = demoIncidents[0];
    const { timeline, incident } = incidentFromDocument(doc);
    const entities = await catalogNames(refsOfIncident(incident, timeline), {
      catalog,
      auth: mockServices.auth(),
    });
    const { byKey, evidence } = await draftOf(doc, entities);

    expect(byKey.summary).toContain(
      'Incident commander: [Frank Li (SRE)](/catalog/default/user/frank.li).',
    );
    expect(byKey.summary).toContain(
      '[Checkout API](/catalog/default/component/checkout-api)',
    );
    // Not in the catalog: its name, without a link to a page that is not there.
    expect(byKey.summary).toContain('affecting payments-service, ');
    expect(byKey.timeline).toContain(
      '| Incident commander: [Frank Li (SRE)](/catalog/default/user/frank.li) | [Frank Li (SRE)](/catalog/default/user/frank.li) |',
    );
    expect(evidence.people).toContain('Frank Li (SRE)');
  });

  it('falls back to readable names when the catalog cannot answer', async () => {
    const entities = await catalogNames(['user:default/erin.walsh'], {
      catalog: {
        getEntitiesByRefs: async () => {
          throw new Error('catalog down');
        },
      } as any,
      auth: mockServices.auth(),
    });
    expect(entities['user:default/erin.walsh']).toEqual({
      ref: 'user:default/erin.walsh',
      title: 'Erin Walsh',
      link: null,
    });
  });

  it.each(demoIncidents.map((doc, k) => [doc.incident.title, k]))(
    'writes no raw entity ref and every timeline entry whole (%s)',
    async (_title, k) => {
      const { draft, evidence, byKey } = await draftOf(
        demoIncidents[k as number],
      );
      for (const section of draft.sections) {
        expect(section.markdown).not.toMatch(RAW_REF);
      }
      const timeline = plainText(byKey.timeline);
      for (const entry of evidence.entries) {
        expect(timeline).toContain(
          plainText(inline(entry.text, evidence.entities)),
        );
      }
    },
  );

  it('keeps the time column compact: the date on the first row and when it changes', async () => {
    const { byKey } = await draftOf(demoIncidents[1]);
    const times = byKey.timeline
      .split('\n')
      .slice(2)
      .filter(l => l.startsWith('| '))
      .map(l => l.split(' | ')[0].slice(2));
    expect(times[0]).toBe('2026-09-29 14:05');
    expect(times[1]).toBe('23:31');
    expect(times).toContain('2026-09-30 00:03');
    expect(times.filter(t => t.length > 5)).toHaveLength(2);
  });

  it('quotes long chat in full under the table and never cuts a word', async () => {
    const { byKey } = await draftOf(demoIncidents[0]);
    const cell = byKey.timeline
      .split('\n')
      .find(l => l.includes('Hypothesis: the CA bundle path'))!;
    expect(cell).toMatch(/path changed… _\(in full below\)_ \| Bob Okafor \|$/);
    expect(byKey.timeline).toContain(
      "> **09:24 Bob Okafor:** 4.18.0 moved the processor client config to the new secrets layout (PAY-2231). Hypothesis: the CA bundle path changed and the client silently falls back to the system roots, which don't include the processor's private CA.",
    );
  });

  it('keeps code spans as code, without stray backslashes', () => {
    expect(
      inline('logs say `x509: unknown | authority` and a_b_c', undefined, {
        inTable: true,
      }),
    ).toBe('logs say `x509: unknown \\| authority` and a_b_c');
    expect(inline('a lone ` backtick, ~300 orders, _emph_', undefined)).toBe(
      'a lone \\` backtick, ~300 orders, \\_emph\\_',
    );
    expect(inline('ping user:default/frank.li.', undefined)).toBe(
      'ping Frank Li.',
    );
  });

  it('reads the demo evidence without the catalog as it would with it', () => {
    const evidence = evidenceFromDocument(demoIncidents[0]);
    expect(evidence.entities?.['component:default/payments-service']).toEqual({
      ref: 'component:default/payments-service',
      title: 'payments-service',
      link: null,
    });
  });
});
