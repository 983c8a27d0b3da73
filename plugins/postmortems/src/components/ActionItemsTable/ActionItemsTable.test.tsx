import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ActionItem } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { useState } from 'react';
import { ActionItemsTable } from './ActionItemsTable';
import { PostmortemsApiError } from '../../api';
import {
  InMemoryData,
  InMemoryPostmortemsApi,
} from '../../__testUtils__/InMemoryPostmortemsApi';
import { createDemoData } from '../../__testUtils__/demoData';
import {
  fakeCatalogApi,
  renderWithApis,
} from '../../__testUtils__/renderWithApis';

jest.setTimeout(20_000);

/** Holds the items like the post-mortem view does. */
const Harness = ({
  initial,
  readOnly,
}: {
  initial: ActionItem[];
  readOnly?: boolean;
}) => {
  const [items, setItems] = useState(initial);
  return (
    <ActionItemsTable
      incidentId="incident-1"
      items={items}
      categories={['prevention', 'detection']}
      onChange={setItems}
      readOnly={readOnly}
    />
  );
};

async function setup(
  options: {
    data?: Partial<InMemoryData>;
    readOnly?: boolean;
    prepare?(api: InMemoryPostmortemsApi): Promise<void>;
  } = {},
) {
  const api = new InMemoryPostmortemsApi({
    ...createDemoData(),
    ...options.data,
  });
  await options.prepare?.(api);
  const items = (await api.getPostmortem('INC-1')).action_items;
  const catalog = fakeCatalogApi();
  await renderWithApis(
    <Harness initial={items} readOnly={options.readOnly} />,
    { api, catalog },
  );
  const table = await screen.findByRole('table', { name: 'Action items' });
  return { api, table, catalog };
}

function rowOf(table: HTMLElement, text: string) {
  const row = within(table)
    .getAllByRole('row')
    .find(r => r.textContent?.includes(text));
  if (!row) throw new Error(`No row with ${text}`);
  return row;
}

describe('ActionItemsTable', () => {
  it('highlights overdue items and marks AI proposals', async () => {
    const { table } = await setup();
    const overdue = rowOf(table, 'Automate certificate renewal');
    expect(within(overdue).getByText('Overdue')).toBeInTheDocument();
    const onTime = rowOf(table, 'Alert 30 days before');
    expect(within(onTime).queryByText('Overdue')).not.toBeInTheDocument();
    const proposal = rowOf(table, 'Add a runbook');
    expect(within(proposal).getByText('AI proposal')).toBeInTheDocument();
    // Only proposals offer accept / drop.
    expect(
      within(proposal).getByRole('button', {
        name: 'Accept Add a runbook for card processor failures',
      }),
    ).toBeInTheDocument();
    expect(
      within(onTime).queryByRole('button', { name: /^Accept/ }),
    ).not.toBeInTheDocument();
  });

  it('adds an item with an owner picked by display name', async () => {
    const { api, table, catalog } = await setup();
    const create = jest.spyOn(api, 'createActionItem');

    await userEvent.click(
      screen.getByRole('button', { name: 'Add action item' }),
    );
    fireEvent.change(screen.getByLabelText(/^Description/), {
      target: { value: 'Rotate the processor API key' },
    });
    await userEvent.click(screen.getByLabelText('Owner'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Payments Team' }),
    );
    fireEvent.change(screen.getByLabelText('Due date'), {
      target: { value: '2030-01-31' },
    });
    fireEvent.change(screen.getByLabelText('Category'), {
      target: { value: 'prevention' },
    });
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() =>
      expect(create).toHaveBeenCalledWith('incident-1', {
        description: 'Rotate the processor API key',
        owner: 'group:default/team-payments',
        due_date: '2030-01-31',
        status: 'open',
        category: 'prevention',
        external_url: null,
      }),
    );
    expect(catalog.getEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        filter: [{ kind: 'User' }, { kind: 'Group' }],
      }),
    );
    const row = rowOf(table, 'Rotate the processor API key');
    expect(within(row).getByText('prevention')).toBeInTheDocument();
  });

  it('edits an item inline and changes a status directly', async () => {
    const { api, table } = await setup();
    const update = jest.spyOn(api, 'updateActionItem');

    await userEvent.click(
      within(rowOf(table, 'Alert 30 days before')).getByRole('button', {
        name: 'Edit Alert 30 days before any certificate expires',
      }),
    );
    const description = screen.getByLabelText(/^Description/);
    fireEvent.change(description, {
      target: { value: 'Alert 45 days before any certificate expires' },
    });
    fireEvent.change(screen.getByLabelText('Link'), {
      target: { value: 'https://tracker.example.com/OPS-12' },
    });
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() =>
      expect(update).toHaveBeenCalledWith(
        'incident-1',
        'a2',
        expect.objectContaining({
          description: 'Alert 45 days before any certificate expires',
          external_url: 'https://tracker.example.com/OPS-12',
          owner: 'user:default/jane.doe',
        }),
      ),
    );
    const edited = rowOf(table, 'Alert 45 days before');
    expect(
      within(edited).getByRole('link', { name: /Ticket/ }),
    ).toHaveAttribute('href', 'https://tracker.example.com/OPS-12');

    // Done: the overdue item stops being overdue.
    await userEvent.click(
      screen.getByRole('button', {
        name: 'Status of Automate certificate renewal with cert-manager',
      }),
    );
    await userEvent.click(await screen.findByRole('option', { name: 'Done' }));
    await waitFor(() =>
      expect(update).toHaveBeenLastCalledWith('incident-1', 'a1', {
        status: 'done',
      }),
    );
    await waitFor(() =>
      expect(
        within(rowOf(table, 'Automate certificate renewal')).queryByText(
          'Overdue',
        ),
      ).not.toBeInTheDocument(),
    );
  });

  it('refuses a link that is not a URL', async () => {
    await setup();
    await userEvent.click(
      screen.getByRole('button', { name: 'Add action item' }),
    );
    fireEvent.change(screen.getByLabelText(/^Description/), {
      target: { value: 'Something' },
    });
    fireEvent.change(screen.getByLabelText('Link'), {
      target: { value: 'OPS-12' },
    });
    expect(screen.getByText('An http(s) URL')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
  });

  it('accepts an AI proposal and drops another', async () => {
    const { api, table } = await setup();
    const update = jest.spyOn(api, 'updateActionItem');
    const remove = jest.spyOn(api, 'deleteActionItem');

    await userEvent.click(
      screen.getByRole('button', {
        name: 'Accept Add a runbook for card processor failures',
      }),
    );
    await waitFor(() =>
      expect(update).toHaveBeenCalledWith('incident-1', 'a3', {
        accepted: true,
      }),
    );
    await waitFor(() =>
      expect(
        within(rowOf(table, 'Add a runbook')).queryByText('AI proposal'),
      ).not.toBeInTheDocument(),
    );

    // A second proposal arrives (e.g. after regenerating) and is dropped.
    const proposal = await api.createActionItem('incident-1', {
      description: 'Page the whole company',
    });
    api.postmortems[0].action_items = api.postmortems[0].action_items.map(i =>
      i.id === proposal.id ? { ...i, source: 'ai', accepted: false } : i,
    );
    // Re-render with the new proposal.
    await renderWithApis(
      <Harness initial={(await api.getPostmortem('INC-1')).action_items} />,
      { api },
    );
    const tables = await screen.findAllByRole('table', {
      name: 'Action items',
    });
    const second = tables[tables.length - 1];
    await userEvent.click(
      within(second).getByRole('button', {
        name: 'Drop Page the whole company',
      }),
    );
    await waitFor(() =>
      expect(remove).toHaveBeenCalledWith('incident-1', proposal.id),
    );
    await waitFor(() =>
      expect(
        within(second).queryByText('Page the whole company'),
      ).not.toBeInTheDocument(),
    );
  });

  it('keeps the table and says why when a change fails', async () => {
    const { api, table } = await setup();
    jest
      .spyOn(api, 'deleteActionItem')
      .mockRejectedValue(
        new Error('You may not change action items of this incident'),
      );
    await userEvent.click(
      within(rowOf(table, 'Alert 30 days before')).getByRole('button', {
        name: 'Delete Alert 30 days before any certificate expires',
      }),
    );
    expect(
      await screen.findByText(
        'You may not change action items of this incident',
      ),
    ).toBeInTheDocument();
    expect(rowOf(table, 'Alert 30 days before')).toBeInTheDocument();
  });

  describe('issues', () => {
    const A1 = 'Automate certificate renewal with cert-manager';
    const A2 = 'Alert 30 days before any certificate expires';

    async function createIn(table: HTMLElement, text: string, tracker: string) {
      await userEvent.click(
        within(rowOf(table, text)).getByRole('button', {
          name: `Create issue for ${text}`,
        }),
      );
      await userEvent.click(
        await screen.findByRole('menuitem', { name: tracker }),
      );
    }

    it('creates an issue in the tracker picked from the menu and links it', async () => {
      const { api, table } = await setup();
      const create = jest.spyOn(api, 'createIssue');

      await userEvent.click(
        within(rowOf(table, A1)).getByRole('button', {
          name: `Create issue for ${A1}`,
        }),
      );
      const menu = await screen.findByRole('menu');
      expect(
        within(menu)
          .getAllByRole('menuitem')
          .map(item => item.textContent),
      ).toEqual(['GitHub: acme/payments', 'Jira: OPS']);
      await userEvent.click(
        within(menu).getByRole('menuitem', { name: 'GitHub: acme/payments' }),
      );

      await waitFor(() =>
        expect(create).toHaveBeenCalledWith('incident-1', 'a1', 'github'),
      );
      const chip = await within(rowOf(table, A1)).findByRole('link', {
        name: 'acme/payments#1',
      });
      expect(chip).toHaveAttribute(
        'href',
        'https://github.com/acme/payments/issues/1',
      );
      expect(chip).toHaveAttribute('target', '_blank');
      expect(
        within(rowOf(table, A1)).queryByRole('button', {
          name: /^Create issue/,
        }),
      ).not.toBeInTheDocument();

      await createIn(table, A2, 'Jira: OPS');
      expect(
        await within(rowOf(table, A2)).findByRole('link', { name: 'OPS-2' }),
      ).toHaveAttribute('href', 'https://jira.example.com/browse/OPS-2');
      // An AI proposal gets its issue once it is accepted.
      expect(
        within(rowOf(table, 'Add a runbook')).queryByRole('button', {
          name: /^Create issue/,
        }),
      ).not.toBeInTheDocument();
    });

    it("shows the tracker's refusal in its own words", async () => {
      const { api, table } = await setup();
      jest
        .spyOn(api, 'createIssue')
        .mockRejectedValue(
          new PostmortemsApiError(
            'Jira is rate limiting tracker "jira"; try again in 30 seconds',
            { status: 502, code: 'tracker_rate_limited' },
          ),
        );
      await createIn(table, A1, 'Jira: OPS');
      expect(
        await screen.findByText(
          'The issue could not be created in Jira: OPS: Jira is rate limiting tracker "jira"; try again in 30 seconds',
        ),
      ).toBeInTheDocument();
      // The item can be tried again.
      expect(
        within(rowOf(table, A1)).getByRole('button', {
          name: `Create issue for ${A1}`,
        }),
      ).toBeEnabled();
    });

    it('syncs with the trackers and shows items whose issue closed as done', async () => {
      const { api, table } = await setup({
        prepare: async fake => {
          await fake.createIssue('INC-1', 'a1', 'github');
          await fake.createIssue('INC-1', 'a2', 'jira');
        },
      });
      const status = (text: string) =>
        within(rowOf(table, text)).getByRole('button', {
          name: `Status of ${text}`,
        });
      expect(status(A1)).toHaveTextContent('Open');
      expect(
        within(rowOf(table, A1)).getByRole('link', {
          name: 'acme/payments#1',
        }),
      ).toBeInTheDocument();

      api.closeIssue('acme/payments#1');
      api.closeIssue('OPS-2');
      const sync = jest.spyOn(api, 'syncTrackers');
      await userEvent.click(
        screen.getByRole('button', { name: 'Sync with trackers' }),
      );
      await waitFor(() => expect(status(A1)).toHaveTextContent('Done'));
      expect(status(A2)).toHaveTextContent('Done');
      expect(sync).toHaveBeenCalledTimes(1);
      expect(screen.getByRole('status')).toHaveTextContent(
        'Synced with the trackers: 2 issues checked, 2 items done.',
      );
      // No longer overdue once done.
      expect(
        within(rowOf(table, A1)).queryByText('Overdue'),
      ).not.toBeInTheDocument();
    });

    it('names a tracker that could not be read while the others synced', async () => {
      const { api } = await setup();
      jest.spyOn(api, 'syncTrackers').mockResolvedValue({
        checked: 1,
        done: 0,
        reopened: 0,
        pushed: 0,
        missing: 0,
        errors: [
          {
            tracker: 'jira',
            message: 'Jira is rate limiting tracker "jira" (429)',
          },
        ],
      });
      await userEvent.click(
        screen.getByRole('button', { name: 'Sync with trackers' }),
      );
      expect(await screen.findByRole('status')).toHaveTextContent(
        'Synced with the trackers: 1 issue checked.',
      );
      expect(screen.getByRole('alert')).toHaveTextContent(
        'Jira: OPS could not be read: Jira is rate limiting tracker "jira" (429)',
      );
    });

    it('says why a sync failed', async () => {
      const { api } = await setup();
      jest
        .spyOn(api, 'syncTrackers')
        .mockRejectedValue(
          new PostmortemsApiError(
            'GitHub refused the token of tracker "github" (401)',
            { status: 502, code: 'tracker_unauthorized' },
          ),
        );
      await userEvent.click(
        screen.getByRole('button', { name: 'Sync with trackers' }),
      );
      expect(
        await screen.findByText(
          'Syncing with the trackers failed: GitHub refused the token of tracker "github" (401)',
        ),
      ).toBeInTheDocument();
    });

    it('offers no issue controls read-only or without trackers, but still links issues', async () => {
      const { table } = await setup({
        readOnly: true,
        prepare: async fake => {
          await fake.createIssue('INC-1', 'a1', 'github');
        },
      });
      const chip = within(rowOf(table, A1)).getByRole('link', {
        name: 'acme/payments#1',
      });
      // Named after its tracker once the trackers are read: from then on
      // missing controls are not just still loading.
      await waitFor(() =>
        expect(chip).toHaveAttribute('title', 'Issue in GitHub: acme/payments'),
      );
      expect(
        screen.queryByRole('button', { name: /^Create issue/ }),
      ).not.toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: 'Sync with trackers' }),
      ).not.toBeInTheDocument();
    });

    it('offers no issue controls when no tracker is configured', async () => {
      let listed: Promise<unknown> | undefined;
      await setup({
        data: { trackers: [] },
        prepare: async fake => {
          const list = fake.listTrackers.bind(fake);
          jest.spyOn(fake, 'listTrackers').mockImplementation(() => {
            listed = list();
            return listed as ReturnType<typeof list>;
          });
        },
      });
      await waitFor(() => expect(listed).toBeDefined());
      await listed;
      expect(
        screen.getByRole('button', { name: 'Add action item' }),
      ).toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: /^Create issue/ }),
      ).not.toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: 'Sync with trackers' }),
      ).not.toBeInTheDocument();
    });
  });
});
