import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { demoFixtures, incidentPage } from '../../__testUtils__/fixtures';
import {
  backendUrl,
  createTestClient,
  setupBackend,
} from '../../__testUtils__/msw';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { IncidentsAwaitingPostmortem } from './IncidentsAwaitingPostmortem';

const server = setupBackend();

describe('IncidentsAwaitingPostmortem', () => {
  it('asks the backend for resolved incidents without a post-mortem and counts all of them', async () => {
    const demo = demoFixtures();
    const old = demo.incident('INC-1');
    const queries: Record<string, string>[] = [];
    // No handler for /v1/postmortems: the card must not compare lists itself.
    server.use(
      http.get(backendUrl('/v1/incidents'), ({ request }) => {
        queries.push(Object.fromEntries(new URL(request.url).searchParams));
        return HttpResponse.json(
          incidentPage([{ ...old, status: 'resolved' }], {
            limit: 3,
            total: 137,
          }),
        );
      }),
    );
    await renderWithApis(
      <IncidentsAwaitingPostmortem
        entityRef="component:default/checkout-api"
        linkTo={ref => `/postmortems/${ref}`}
        limit={3}
      />,
      { api: createTestClient() },
    );
    expect(
      await screen.findByText('137 resolved incidents have no post-mortem yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: `INC-1: ${old.title}` }),
    ).toHaveAttribute('href', '/postmortems/INC-1');
    expect(queries).toEqual([
      {
        status: 'resolved',
        has_postmortem: 'false',
        entity_ref: 'component:default/checkout-api',
        limit: '3',
      },
    ]);
  });

  it('stays hidden when every resolved incident has a post-mortem', async () => {
    server.use(
      http.get(backendUrl('/v1/incidents'), () =>
        HttpResponse.json(incidentPage([], { limit: 5 })),
      ),
    );
    const { container } = await renderWithApis(
      <IncidentsAwaitingPostmortem linkTo={ref => ref} />,
      { api: createTestClient() },
    );
    expect(container).toBeEmptyDOMElement();
  });
});
