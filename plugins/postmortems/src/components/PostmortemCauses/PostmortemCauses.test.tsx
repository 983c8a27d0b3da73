import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MockStorageApi } from '@backstage/test-utils';
import {
  causesBodySchema,
  type CausesBody,
  type RecurrenceLink,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { http, HttpResponse } from 'msw';
import { PostmortemCauses } from './PostmortemCauses';
import { causeLabel, causesErrorWords, timeBeforeInWords } from './causeWords';
import { IncidentPostmortem } from '../IncidentPostmortem';
import {
  answerReads,
  answerWrite,
  BackendState,
  causesOf,
  demoState,
  findIncident,
  findPostmortem,
} from '../../__testUtils__/backend';
import { errorBody } from '../../__testUtils__/fixtures';
import {
  backendUrl,
  createTestClient,
  setupBackend,
} from '../../__testUtils__/msw';
import { renderWithApis } from '../../__testUtils__/renderWithApis';

jest.setTimeout(20_000);

const server = setupBackend();
const CAUSES = '/v1/incidents/:incidentId/postmortem/causes';
const RECURRENCES = '/v1/incidents/:incidentId/postmortem/recurrences';
const DAY = 24 * 60 * 60 * 1000;

let state: BackendState;

beforeEach(() => {
  state = demoState();
  answerReads(server, state);
});

function renderView(incidentId: string) {
  return renderWithApis(<IncidentPostmortem incidentId={incidentId} />, {
    api: createTestClient(),
    storage: MockStorageApi.create(),
  });
}

const categories = () =>
  screen.findByRole('group', { name: 'Cause categories' }, { timeout: 10_000 });

/** What the plugin's live region said last (it fills a moment later). */
async function announced(text: string) {
  await waitFor(() =>
    expect(
      document.getElementById('postmortems-announcements'),
    ).toHaveTextContent(text),
  );
}

/** INC-1 as the earlier side of a recurrence seen from INC-2. */
function linkToInc1(change: Partial<RecurrenceLink> = {}): RecurrenceLink {
  const inc1 = findIncident(state, 'INC-1')!;
  const pm1 = findPostmortem(state, 'INC-1')!;
  return {
    postmortem_id: pm1.id,
    incident_id: inc1.id,
    reference: inc1.reference,
    title: inc1.title,
    triggered_at: inc1.triggered_at,
    categories: ['configuration'],
    services: ['component:default/checkout-api'],
    items: 2,
    items_done_at: new Date(Date.now() - 52 * DAY).toISOString(),
    after_ms: 44 * DAY + 3 * 60 * 60 * 1000,
    detected_at: new Date().toISOString(),
    ...change,
  };
}

/** The PUT answered as the backend would, recording what was sent. */
function answerSaves(then?: (categories: string[]) => void) {
  return answerWrite<CausesBody>(
    server,
    'put',
    CAUSES,
    causesBodySchema,
    ({ params, body }) => {
      const postmortem = findPostmortem(state, String(params.incidentId))!;
      state.causes[postmortem.id] = body.categories;
      then?.(body.categories);
      return HttpResponse.json(causesOf(state, postmortem));
    },
  );
}

describe('PostmortemCauses', () => {
  it("offers the template's categories in words, marks the suggested ones, and saves a choice", async () => {
    const pm2 = findPostmortem(state, 'INC-2')!;
    state.suggestedCauses[pm2.id] = ['configuration'];
    const sent = answerSaves(() => {
      // Filing the cause finds that INC-1's cause came back.
      state.recurrences[pm2.id] = {
        recurrence_of: [linkToInc1()],
        recurred_in: [],
      };
    });
    await renderView('INC-2');

    const group = await categories();
    expect(
      within(group)
        .getAllByRole('checkbox')
        .map(c => c.closest('label')?.textContent),
    ).toEqual(['Code change', 'Configuration', 'Capacity']);
    const configuration = within(group).getByRole('checkbox', {
      name: 'Configuration',
    });
    expect(configuration).toHaveAccessibleDescription(
      'suggested by the root cause',
    );
    expect(
      within(group).getByRole('checkbox', { name: 'Code change' }),
    ).not.toHaveAccessibleDescription();
    const save = screen.getByRole('button', { name: 'Save causes' });
    expect(save).toBeDisabled();
    expect(
      screen.queryByRole('region', { name: 'Recurrence' }),
    ).not.toBeInTheDocument();

    await userEvent.click(configuration);
    expect(save).toBeEnabled();
    await userEvent.click(save);

    await announced('Causes saved');
    expect(sent.map(s => s.body)).toEqual([{ categories: ['configuration'] }]);
    expect(
      screen.getByRole('checkbox', { name: 'Configuration' }),
    ).toBeChecked();
    // Chosen now, so no longer a suggestion.
    expect(
      screen.getByRole('checkbox', { name: 'Configuration' }),
    ).not.toHaveAccessibleDescription();
    expect(screen.getByRole('button', { name: 'Save causes' })).toBeDisabled();
    // The recurrences are read again.
    const notice = await screen.findByRole('region', { name: 'Recurrence' });
    expect(within(notice).getByText('Recurrence of')).toBeInTheDocument();
  });

  it('sends the whole set in the order offered, and nothing changed is nothing to save', async () => {
    const pm2 = findPostmortem(state, 'INC-2')!;
    state.causes[pm2.id] = ['capacity'];
    const sent = answerSaves();
    await renderView('INC-2');

    const group = await categories();
    const save = screen.getByRole('button', { name: 'Save causes' });
    expect(
      within(group).getByRole('checkbox', { name: 'Capacity' }),
    ).toBeChecked();
    await userEvent.click(
      within(group).getByRole('checkbox', { name: 'Capacity' }),
    );
    await userEvent.click(
      within(group).getByRole('checkbox', { name: 'Capacity' }),
    );
    expect(save).toBeDisabled();

    await userEvent.click(
      within(group).getByRole('checkbox', { name: 'Code change' }),
    );
    await userEvent.click(save);
    await announced('Causes saved');
    expect(sent.map(s => s.body)).toEqual([
      { categories: ['code-change', 'capacity'] },
    ]);
  });

  it('shows a refused category next to the group, in plain words', async () => {
    server.use(
      http.put(backendUrl(CAUSES), () =>
        HttpResponse.json(
          errorBody(
            'bad_request',
            `categories.0: "configuration" is not a cause category of this post-mortem's template (code-change, capacity)`,
          ),
          { status: 400 },
        ),
      ),
    );
    await renderView('INC-2');
    const group = await categories();
    await userEvent.click(
      within(group).getByRole('checkbox', { name: 'Configuration' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save causes' }));

    const said = `"configuration" is not a cause category of this post-mortem's template (code-change, capacity)`;
    await waitFor(() => expect(group).toHaveAccessibleDescription(said));
    expect(screen.getByText(said)).toBeInTheDocument();
    expect(screen.queryByText(/categories\.0/)).not.toBeInTheDocument();
    // The choice stays, to be corrected.
    expect(
      within(group).getByRole('checkbox', { name: 'Configuration' }),
    ).toBeChecked();

    // Changing the choice clears the message.
    await userEvent.click(
      within(group).getByRole('checkbox', { name: 'Configuration' }),
    );
    expect(screen.queryByText(said)).not.toBeInTheDocument();
  });

  it('shows other failures as an alert and keeps the choice', async () => {
    server.use(
      http.put(backendUrl(CAUSES), () =>
        HttpResponse.json(errorBody('internal_error', 'Internal error'), {
          status: 500,
        }),
      ),
    );
    await renderView('INC-2');
    const group = await categories();
    await userEvent.click(
      within(group).getByRole('checkbox', { name: 'Capacity' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save causes' }));
    expect(
      await screen.findByText('The causes could not be saved: Internal error'),
    ).toBeInTheDocument();
    expect(
      within(group).getByRole('checkbox', { name: 'Capacity' }),
    ).toBeChecked();
    expect(screen.getByRole('button', { name: 'Save causes' })).toBeEnabled();
  });

  it('shows readers the chosen categories only', async () => {
    const pm1 = findPostmortem(state, 'INC-1')!;
    state.causes[pm1.id] = ['code-change', 'capacity'];
    await renderWithApis(<PostmortemCauses incidentId="INC-1" readOnly />, {
      api: createTestClient(),
    });
    const list = await screen.findByRole('list', { name: 'Cause categories' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map(i => i.textContent),
    ).toEqual(['Code change', 'Capacity']);
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Save causes' }),
    ).not.toBeInTheDocument();
  });

  it('turns read-only when the backend says the reader may not edit', async () => {
    server.use(
      http.put(backendUrl(CAUSES), () =>
        HttpResponse.json(
          errorBody('forbidden', 'You may not change this post-mortem'),
          { status: 403 },
        ),
      ),
    );
    await renderWithApis(<PostmortemCauses incidentId="INC-2" />, {
      api: createTestClient(),
    });
    const group = await categories();
    await userEvent.click(
      within(group).getByRole('checkbox', { name: 'Capacity' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save causes' }));
    expect(
      await screen.findByText('You may not change this post-mortem'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
    expect(
      screen.getByText('Not filed under a cause category yet.'),
    ).toBeInTheDocument();
  });

  it('words categories, refusals and times for people', () => {
    expect(causeLabel('code-change')).toBe('Code change');
    expect(causeLabel('configuration')).toBe('Configuration');
    expect(causeLabel('third_party')).toBe('Third party');
    expect(causesErrorWords('categories.3: "x" is not a cause category')).toBe(
      '"x" is not a cause category',
    );
    expect(causesErrorWords('body.categories: too many')).toBe('Too many');
    expect(timeBeforeInWords(20_000)).toBe('less than a minute');
    expect(timeBeforeInWords(60_000)).toBe('1 minute');
    expect(timeBeforeInWords(5 * 60 * 60 * 1000)).toBe('5 hours');
    expect(timeBeforeInWords(DAY)).toBe('24 hours');
    expect(timeBeforeInWords(44 * DAY + 1000)).toBe('44 days');
  });
});

describe('RecurrenceNotice', () => {
  it('says which earlier post-mortem came back, with the facts and a link', async () => {
    const pm2 = findPostmortem(state, 'INC-2')!;
    state.recurrences[pm2.id] = {
      recurrence_of: [linkToInc1()],
      recurred_in: [],
    };
    await renderView('INC-2');
    const notice = await screen.findByRole(
      'region',
      { name: 'Recurrence' },
      { timeout: 10_000 },
    );
    const alert = within(notice).getByRole('alert');
    expect(alert).toHaveTextContent(/^Recurrence of INC-1/);
    expect(within(alert).getByRole('link', { name: 'INC-1' })).toHaveAttribute(
      'href',
      '/postmortems/incidents/INC-1',
    );
    expect(alert).toHaveTextContent('Card payments failing at checkout');
    expect(alert).toHaveTextContent(
      'Same service checkout-api, cause filed as configuration. All 2 action items of INC-1 were done 44 days before this incident began.',
    );
    // The service is named by the catalog, linked to its page.
    expect(
      within(alert).getByRole('link', { name: 'checkout-api' }),
    ).toHaveAttribute('href', '/catalog/default/component/checkout-api');
  });

  it('says where this post-mortem came back, for several services and causes', async () => {
    const pm1 = findPostmortem(state, 'INC-1')!;
    state.recurrences[pm1.id] = {
      recurrence_of: [],
      recurred_in: [
        {
          ...linkToInc1(),
          postmortem_id: 'pm-9',
          incident_id: 'incident-9',
          reference: 'INC-9',
          title: 'Payments failing again',
          services: [
            'component:default/checkout-api',
            'component:default/payments-service',
          ],
          categories: ['code-change', 'expiry'],
          items: 1,
          after_ms: 5 * 60 * 60 * 1000,
        },
      ],
    };
    await renderView('INC-1');
    const notice = await screen.findByRole(
      'region',
      { name: 'Recurrence' },
      { timeout: 10_000 },
    );
    const alert = within(notice).getByRole('alert');
    expect(alert).toHaveTextContent(/^Came back in INC-9/);
    expect(within(alert).getByRole('link', { name: 'INC-9' })).toHaveAttribute(
      'href',
      '/postmortems/incidents/INC-9',
    );
    expect(alert).toHaveTextContent(
      'Same services checkout-api and payments-service, cause filed as code change and expiry. The action item of this post-mortem was done 5 hours before INC-9 began.',
    );
  });

  it('shows nothing when there is no recurrence or they cannot be read', async () => {
    const asked: string[] = [];
    server.events.on('request:start', ({ request }) => {
      if (request.url.includes('/recurrences')) asked.push(request.url);
    });
    const { unmount } = await renderView('INC-2');
    await categories();
    await waitFor(() => expect(asked).toHaveLength(1));
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(
      screen.queryByRole('region', { name: 'Recurrence' }),
    ).not.toBeInTheDocument();
    unmount();

    server.use(
      http.get(backendUrl(RECURRENCES), () =>
        HttpResponse.json(errorBody('internal_error', 'boom'), {
          status: 500,
        }),
      ),
    );
    await renderView('INC-2');
    await categories();
    await waitFor(() => expect(asked).toHaveLength(2));
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(
      screen.queryByRole('region', { name: 'Recurrence' }),
    ).not.toBeInTheDocument();
    expect(screen.queryByText(/boom/)).not.toBeInTheDocument();
  });
});
