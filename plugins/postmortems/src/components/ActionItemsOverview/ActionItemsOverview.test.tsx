import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis } from '@backstage/test-utils';
import { ActionItemsOverview } from './ActionItemsOverview';
import {
  actionItemsMatching,
  answerReads,
  BackendState,
  demoState,
  recordQueries,
} from '../../__testUtils__/backend';
import { createTestClient, setupBackend } from '../../__testUtils__/msw';
import { renderWithApis } from '../../__testUtils__/renderWithApis';

jest.setTimeout(20_000);

const server = setupBackend();

let state: BackendState;

beforeEach(() => {
  state = demoState();
  answerReads(server, state);
});

/** Jane owns two open items of INC-1, herself and through her team. */
const jane = () =>
  mockApis.identity({
    userEntityRef: 'user:default/jane.doe',
    ownershipEntityRefs: [
      'user:default/jane.doe',
      'group:default/team-payments',
    ],
  });

/** The guest of renderWithApis owns no action item. */
const render = (identity?: ReturnType<typeof mockApis.identity>) =>
  renderWithApis(<ActionItemsOverview />, {
    api: createTestClient(),
    identity,
  });

const pressed = (name: string) =>
  screen.getByRole('button', { name }).getAttribute('aria-pressed');

/** Everyone's open items, as the backend counts them. */
const everyonesOpen = () =>
  actionItemsMatching(
    state,
    new URLSearchParams({ status: 'open,in_progress' }),
  ).length;

describe('ActionItemsOverview', () => {
  it("opens on everyone's items for someone who owns none", async () => {
    const queries = recordQueries(server, '/v1/action-items');
    await render();
    const table = await screen.findByRole('table', { name: 'Action items' });
    expect(pressed("Everyone's")).toBe('true');
    expect(pressed('Mine')).toBe('false');
    expect(
      screen.getByText('All action items', { selector: 'span, h2, div' }),
    ).toBeInTheDocument();
    expect(within(table).getAllByRole('row')).toHaveLength(everyonesOpen() + 1);
    // It asked for the user's own first, then for everyone's.
    expect(queries[0]).toMatchObject({
      owner: 'user:default/guest,group:default/sre',
    });
    expect(queries[queries.length - 1].owner).toBeUndefined();
    expect(screen.queryByText('No action items here.')).not.toBeInTheDocument();
  });

  it('opens on the items of someone who owns some', async () => {
    await render(jane());
    const table = await screen.findByRole('table', { name: 'My action items' });
    expect(pressed('Mine')).toBe('true');
    expect(
      within(table).getByText('Automate certificate renewal with cert-manager'),
    ).toBeInTheDocument();
  });

  it("says how many of everyone's match when none of one's own do, and shows them", async () => {
    await render();
    await screen.findByRole('table', { name: 'Action items' });
    await userEvent.click(screen.getByRole('button', { name: 'Mine' }));
    const count = everyonesOpen();
    expect(count).toBeGreaterThan(1);
    expect(
      await screen.findByText(
        `None of your action items match these filters; ${count} action items of everyone's do.`,
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: `Show everyone's (${count})` }),
    );
    await screen.findByRole('table', { name: 'Action items' });
    expect(pressed("Everyone's")).toBe('true');
  });

  it('keeps the plain empty message when nobody has a matching item', async () => {
    for (const postmortem of state.postmortems) postmortem.action_items = [];
    await render();
    expect(
      await screen.findByText('No action items here.'),
    ).toBeInTheDocument();
    // With nothing of one's own, it opened on everyone's: nothing to offer.
    await waitFor(() => expect(pressed("Everyone's")).toBe('true'));
    expect(
      screen.queryByRole('button', { name: /^Show everyone's/ }),
    ).not.toBeInTheDocument();
  });
});
