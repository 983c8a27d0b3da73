import { screen, waitFor, within } from '@testing-library/react';
import { MockStorageApi } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { relatedReasonText } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { RelatedPostmortems } from './RelatedPostmortems';
import { IncidentPostmortem } from '../IncidentPostmortem';
import { answerReads, demoState } from '../../__testUtils__/backend';
import { errorBody } from '../../__testUtils__/fixtures';
import {
  backendUrl,
  createTestClient,
  setupBackend,
} from '../../__testUtils__/msw';
import { renderWithApis } from '../../__testUtils__/renderWithApis';

jest.setTimeout(20_000);

const server = setupBackend();
const RELATED = backendUrl('/v1/incidents/:incidentId/postmortem/related');

function render(incidentId: string) {
  return renderWithApis(<RelatedPostmortems incidentId={incidentId} />, {
    api: createTestClient(),
  });
}

/** The list of related post-mortems, once it is shown. */
const relatedList = () =>
  screen.findByRole(
    'list',
    { name: 'Related post-mortems' },
    { timeout: 10_000 },
  );

beforeEach(() => {
  answerReads(server, demoState());
});

describe('RelatedPostmortems', () => {
  it("links to a published post-mortem of the same service and says why, beside INC-2's draft", async () => {
    await renderWithApis(<IncidentPostmortem incidentId="INC-2" />, {
      api: createTestClient(),
      storage: MockStorageApi.create(),
    });
    const list = await relatedList();
    const link = within(list).getByRole('link', {
      name: 'INC-1: Card payments failing at checkout',
    });
    expect(link).toHaveAttribute('href', '/postmortems/incidents/INC-1');
    expect(
      within(
        within(list).getByRole('list', { name: 'Why INC-1 is related' }),
      ).getByText('Same service: checkout-api'),
    ).toBeInTheDocument();
  });

  it('shows them before there is a draft, beside the button that drafts one', async () => {
    const state = demoState();
    const inc2 = state.incidents.find(i => i.reference === 'INC-2')!;
    answerReads(server, {
      ...state,
      postmortems: state.postmortems.filter(p => p.incident_id !== inc2.id),
    });
    await renderWithApis(<IncidentPostmortem incidentId="INC-2" />, {
      api: createTestClient(),
      storage: MockStorageApi.create(),
    });
    const list = await relatedList();
    expect(
      within(list).getByRole('link', {
        name: 'INC-1: Card payments failing at checkout',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /Generate Post-Mortem/ }),
    ).toBeInTheDocument();
  });

  it('asks for the top 3 and says each reason in words', async () => {
    const limits: Array<string | null> = [];
    server.use(
      http.get(RELATED, ({ request }) => {
        limits.push(new URL(request.url).searchParams.get('limit'));
        return HttpResponse.json({
          data: [
            {
              postmortem_id: 'pm-7',
              incident_id: 'inc-7',
              reference: 'INC-7',
              title: 'Ledger writes delayed',
              severity: 'high',
              services: ['component:default/ledger-service'],
              triggered_at: '2026-10-01T09:00:00.000Z',
              published_at: '2026-10-03T09:00:00.000Z',
              score: 1.5,
              reasons: [
                {
                  kind: 'related_service',
                  service: 'component:default/ledger-service',
                  relation: 'depends_on',
                  via: 'component:default/payments-service',
                },
              ],
            },
            {
              postmortem_id: 'pm-8',
              incident_id: 'inc-8',
              reference: 'INC-8',
              title: 'Search unavailable',
              severity: 'medium',
              services: ['component:default/search-service'],
              triggered_at: '2026-09-01T09:00:00.000Z',
              published_at: null,
              score: 0.41,
              reasons: [
                {
                  kind: 'similar_cause',
                  terms: ['certificate', 'expired'],
                  score: 0.41,
                },
              ],
            },
          ],
        });
      }),
    );
    await render('INC-1');
    const list = await relatedList();
    expect(
      within(list)
        .getAllByRole('link')
        .map(l => l.textContent),
    ).toEqual(['INC-7: Ledger writes delayed', 'INC-8: Search unavailable']);
    expect(
      within(list).getByText('Depends on: ledger-service'),
    ).toBeInTheDocument();
    expect(
      within(list).getByText('Similar cause: certificate, expired'),
    ).toBeInTheDocument();
    expect(limits).toEqual(['3']);
  });

  it('words every kind of reason', () => {
    const payments = 'component:default/payments-service';
    expect(relatedReasonText({ kind: 'same_service', service: payments })).toBe(
      'Same service: payments-service',
    );
    expect(
      relatedReasonText({
        kind: 'related_service',
        service: 'component:billing/invoices',
        relation: 'dependency_of',
        via: payments,
      }),
    ).toBe('Depended on by: billing/invoices');
    expect(
      relatedReasonText({
        kind: 'related_service',
        service: 'component:default/checkout-web',
        relation: 'same_system',
        via: payments,
        system: 'system:default/payments',
      }),
    ).toBe('Same system as: checkout-web');
    expect(
      relatedReasonText({ kind: 'similar_cause', terms: [], score: 0.2 }),
    ).toBe('Similar cause');
  });

  it('shows nothing when none are related or they cannot be read', async () => {
    const asked: string[] = [];
    server.events.on('request:start', ({ request }) => {
      if (request.url.includes('/related')) asked.push(request.url);
    });
    const { unmount } = await render('INC-3');
    await waitFor(() => expect(asked).toHaveLength(1));
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(
      screen.queryByRole('list', { name: 'Related post-mortems' }),
    ).not.toBeInTheDocument();
    unmount();

    server.use(
      http.get(RELATED, () =>
        HttpResponse.json(errorBody('internal', 'boom'), { status: 500 }),
      ),
    );
    await render('INC-2');
    await waitFor(() => expect(asked).toHaveLength(2));
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(screen.queryByText('Related post-mortems')).not.toBeInTheDocument();
  });
});
