import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  actionItemCreateBodySchema,
  actionItemPatchBodySchema,
  errorEnvelopeSchema,
  issueCreateBodySchema,
  trackerSyncResultSchema,
  type ActionItem,
  type ActionItemCreateBody,
  type ActionItemPatchBody,
  type IssueCreateBody,
  type TrackerSyncResult,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { HttpResponse } from 'msw';
import { useState } from 'react';
import { z } from 'zod';
import { ActionItemsTable } from './ActionItemsTable';
import {
  answerReads,
  answerWrite,
  BackendState,
  demoState,
  findPostmortem,
  storeActionItem,
} from '../../__testUtils__/backend';
import { makeActionItem } from '../../__testUtils__/demoData';
import { errorBody, withIssue } from '../../__testUtils__/fixtures';
import { createTestClient, setupBackend } from '../../__testUtils__/msw';
import {
  fakeCatalogApi,
  renderWithApis,
} from '../../__testUtils__/renderWithApis';

jest.setTimeout(20_000);

const server = setupBackend();

const ITEMS = '/v1/incidents/:incidentId/postmortem/action-items';
const ITEM = `${ITEMS}/:itemId`;
const SYNC = '/v1/trackers/sync';

let state: BackendState;

beforeEach(() => {
  state = demoState();
  answerReads(server, state);
});

/** The item of INC-1's post-mortem with this id. */
function itemOf(id: string) {
  return findPostmortem(state, 'INC-1')!.action_items.find(i => i.id === id)!;
}

/** Answers `PATCH …/action-items/:itemId` with the item changed. */
function answerItemPatches() {
  return answerWrite<ActionItemPatchBody>(
    server,
    'patch',
    ITEM,
    actionItemPatchBodySchema,
    ({ params, body }) =>
      HttpResponse.json(
        storeActionItem(state, 'INC-1', {
          ...itemOf(String(params.itemId)),
          ...body,
        } as ActionItem),
      ),
  );
}

/** Answers `POST …/action-items/:itemId/issue` with the item linked to an issue. */
function answerIssues() {
  return answerWrite<IssueCreateBody>(
    server,
    'post',
    `${ITEM}/issue`,
    issueCreateBodySchema,
    ({ params, body }) =>
      HttpResponse.json(
        storeActionItem(
          state,
          'INC-1',
          withIssue(itemOf(String(params.itemId)), body.tracker),
        ),
        { status: 201 },
      ),
  );
}

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

async function setup(options: { readOnly?: boolean } = {}) {
  const items = findPostmortem(state, 'INC-1')!.action_items;
  const catalog = fakeCatalogApi();
  await renderWithApis(
    <Harness initial={items} readOnly={options.readOnly} />,
    { api: createTestClient(), catalog },
  );
  const table = await screen.findByRole('table', { name: 'Action items' });
  return { table, catalog };
}

/**
 * The sync report: the table's own status line, not the plugin's page-wide
 * live region (which also has the status role and outlives each test).
 */
async function syncReport() {
  await waitFor(() =>
    expect(
      screen
        .getAllByRole('status')
        .filter(s => s.id !== 'postmortems-announcements'),
    ).toHaveLength(1),
  );
  return screen
    .getAllByRole('status')
    .find(s => s.id !== 'postmortems-announcements')!;
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
    const created = answerWrite<ActionItemCreateBody>(
      server,
      'post',
      ITEMS,
      actionItemCreateBodySchema,
      ({ body }) =>
        HttpResponse.json(
          storeActionItem(
            state,
            'INC-1',
            makeActionItem(findPostmortem(state, 'INC-1')!, 'a4', {
              ...(body as Partial<ActionItem>),
              created_by: 'user:default/guest',
            }),
          ),
          { status: 201 },
        ),
    );
    const { table, catalog } = await setup();

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
      expect(created).toEqual([
        {
          params: { incidentId: 'incident-1' },
          query: {},
          body: {
            description: 'Rotate the processor API key',
            owner: 'group:default/team-payments',
            due_date: '2030-01-31',
            status: 'open',
            category: 'prevention',
            external_url: null,
          },
        },
      ]),
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
    const patches = answerItemPatches();
    const { table } = await setup();

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

    await waitFor(() => expect(patches).toHaveLength(1));
    expect(patches[0].params).toEqual({
      incidentId: 'incident-1',
      itemId: 'a2',
    });
    expect(patches[0].body).toEqual(
      expect.objectContaining({
        description: 'Alert 45 days before any certificate expires',
        external_url: 'https://tracker.example.com/OPS-12',
        owner: 'user:default/jane.doe',
      }),
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
    await waitFor(() => expect(patches).toHaveLength(2));
    expect(patches[1].params.itemId).toBe('a1');
    expect(patches[1].body).toEqual({ status: 'done' });
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
    expect(screen.getByLabelText('Link')).toHaveAccessibleDescription(
      'Enter an http(s) link, such as https://tracker.example.com/OPS-12.',
    );
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
  });

  it('accepts an AI proposal and drops another', async () => {
    const patches = answerItemPatches();
    const deletes = answerWrite(
      server,
      'delete',
      ITEM,
      undefined,
      () => new HttpResponse(null, { status: 204 }),
    );
    const { table } = await setup();

    await userEvent.click(
      screen.getByRole('button', {
        name: 'Accept Add a runbook for card processor failures',
      }),
    );
    await waitFor(() => expect(patches).toHaveLength(1));
    expect(patches[0].params.itemId).toBe('a3');
    expect(patches[0].body).toEqual({ accepted: true });
    await waitFor(() =>
      expect(
        within(rowOf(table, 'Add a runbook')).queryByText('AI proposal'),
      ).not.toBeInTheDocument(),
    );

    // A second proposal arrives (e.g. after regenerating) and is dropped.
    const proposal = storeActionItem(
      state,
      'INC-1',
      makeActionItem(findPostmortem(state, 'INC-1')!, 'a5', {
        description: 'Page the whole company',
        source: 'ai',
        accepted: false,
      }),
    );
    // Re-render with the new proposal.
    await renderWithApis(
      <Harness initial={findPostmortem(state, 'INC-1')!.action_items} />,
      { api: createTestClient() },
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
      expect(deletes.map(d => d.params)).toEqual([
        { incidentId: 'incident-1', itemId: proposal.id },
      ]),
    );
    await waitFor(() =>
      expect(
        within(second).queryByText('Page the whole company'),
      ).not.toBeInTheDocument(),
    );
  });

  it('keeps the table and says why when a change fails', async () => {
    answerWrite(server, 'delete', ITEM, undefined, () =>
      HttpResponse.json(
        errorBody(
          'forbidden',
          'You may not change action items of this incident',
        ),
        { status: 403 },
      ),
    );
    const { table } = await setup();
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

  describe('the edit row', () => {
    const A1 = 'Automate certificate renewal with cert-manager';
    const A2 = 'Alert 30 days before any certificate expires';

    /** The backend's 400 for a body it refuses, naming the field. */
    const refusal = (field: string, message: string) =>
      HttpResponse.json(
        errorEnvelopeSchema.parse({
          error: {
            code: 'validation_error',
            message: `Invalid request: ${field}: ${message}`,
            details: { fields: [{ field, message }] },
          },
        }),
        { status: 400 },
      );

    async function edit(table: HTMLElement, text: string) {
      await userEvent.click(
        within(rowOf(table, text)).getByRole('button', {
          name: `Edit ${text}`,
        }),
      );
      return screen.getByRole('group', { name: `Edit ${text}` });
    }

    it('shows the description limit at the field and blocks a save over it', async () => {
      await setup();
      await userEvent.click(
        screen.getByRole('button', { name: 'Add action item' }),
      );
      const description = screen.getByLabelText(/^Description/);
      fireEvent.change(description, { target: { value: 'Short' } });
      // Far from the limit: no counter, nothing wrong.
      expect(description).not.toHaveAccessibleDescription();
      expect(description).toHaveAttribute('aria-invalid', 'false');

      fireEvent.change(description, { target: { value: 'x'.repeat(1_700) } });
      expect(description).toHaveAccessibleDescription('1,700 / 2,000');
      expect(description).toHaveAttribute('aria-invalid', 'false');
      expect(screen.getByRole('button', { name: 'Save' })).toBeEnabled();

      fireEvent.change(description, { target: { value: 'x'.repeat(2_001) } });
      expect(description).toHaveAttribute('aria-invalid', 'true');
      expect(description).toHaveAccessibleDescription(
        'The description is 2,001 characters long; up to 2,000 fit. Shorten it by 1. 2,001 / 2,000',
      );
      const save = screen.getByRole('button', { name: 'Save' });
      expect(save).toBeDisabled();
      expect(save).toHaveAccessibleDescription(
        'Shorten the description to save.',
      );
    });

    it("shows the backend's refusal at the field it names, in plain words, until the field changes or Cancel", async () => {
      const patches = answerWrite(
        server,
        'patch',
        ITEM,
        actionItemPatchBodySchema,
        () =>
          refusal(
            'body.description',
            'Too big: expected string to have <=40 characters',
          ),
      );
      const { table } = await setup();
      await edit(table, A2);
      const description = screen.getByLabelText(/^Description/);
      fireEvent.change(description, {
        target: { value: `${A2} and renew them` },
      });
      await userEvent.click(screen.getByRole('button', { name: 'Save' }));
      await waitFor(() => expect(patches).toHaveLength(1));

      await waitFor(() =>
        expect(description).toHaveAttribute('aria-invalid', 'true'),
      );
      expect(description).toHaveAccessibleDescription(
        'The description is too long: at most 40 characters fit.',
      );
      // Not as a banner above the table, not in the backend's words.
      expect(screen.queryByText(/Invalid request/)).not.toBeInTheDocument();
      expect(screen.queryByRole('alert')).not.toBeInTheDocument();

      // Changing the field takes the complaint away.
      fireEvent.change(description, { target: { value: `${A2}!` } });
      expect(description).toHaveAttribute('aria-invalid', 'false');
      expect(description).not.toHaveAccessibleDescription();

      await userEvent.click(screen.getByRole('button', { name: 'Save' }));
      await waitFor(() =>
        expect(description).toHaveAttribute('aria-invalid', 'true'),
      );
      await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
      await edit(table, A2);
      expect(screen.getByLabelText(/^Description/)).toHaveAttribute(
        'aria-invalid',
        'false',
      );
      expect(
        screen.queryByText(/The description is too long/),
      ).not.toBeInTheDocument();
    });

    it('says next to Save why a save failed when no field is named, and forgets it on Cancel', async () => {
      answerWrite(server, 'patch', ITEM, actionItemPatchBodySchema, () =>
        HttpResponse.json(
          errorBody('internal_error', 'The database is not reachable'),
          { status: 500 },
        ),
      );
      const { table } = await setup();
      const row = await edit(table, A2);
      await userEvent.click(screen.getByRole('button', { name: 'Save' }));
      const alert = await within(row).findByRole('alert');
      expect(alert).toHaveTextContent(
        'The action item was not saved: The database is not reachable',
      );
      await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
      expect(
        screen.queryByText(/The database is not reachable/),
      ).not.toBeInTheDocument();
    });

    it('asks before saving a due date in the past, by keyboard too', async () => {
      const created = answerWrite<ActionItemCreateBody>(
        server,
        'post',
        ITEMS,
        actionItemCreateBodySchema,
        ({ body }) =>
          HttpResponse.json(
            storeActionItem(
              state,
              'INC-1',
              makeActionItem(findPostmortem(state, 'INC-1')!, 'a9', {
                ...(body as Partial<ActionItem>),
              }),
            ),
            { status: 201 },
          ),
      );
      await setup();
      await userEvent.click(
        screen.getByRole('button', { name: 'Add action item' }),
      );
      fireEvent.change(screen.getByLabelText(/^Description/), {
        target: { value: 'Document the renewal' },
      });
      const due = screen.getByLabelText('Due date');
      fireEvent.change(due, { target: { value: '2020-01-31' } });
      expect(due).toHaveAccessibleDescription('This date is in the past.');
      const save = screen.getByRole('button', { name: 'Save' });
      expect(save).toBeDisabled();
      expect(save).toHaveAccessibleDescription(
        'Confirm the past due date to save.',
      );

      const confirm = screen.getByRole('checkbox', {
        name: 'Save with a due date in the past (2020-01-31)',
      });
      act(() => confirm.focus());
      await userEvent.keyboard(' ');
      expect(confirm).toBeChecked();
      expect(save).toBeEnabled();
      // Another date asks again.
      fireEvent.change(due, { target: { value: '2020-02-01' } });
      expect(save).toBeDisabled();
      const again = screen.getByRole('checkbox', {
        name: 'Save with a due date in the past (2020-02-01)',
      });
      expect(again).not.toBeChecked();
      await userEvent.click(again);
      await userEvent.click(save);
      await waitFor(() => expect(created).toHaveLength(1));
      expect(created[0].body).toEqual(
        expect.objectContaining({ due_date: '2020-02-01' }),
      );
    });

    it('does not ask again about the date of an item already overdue', async () => {
      const patches = answerItemPatches();
      const { table } = await setup();
      await edit(table, A1);
      expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
      await userEvent.click(screen.getByRole('button', { name: 'Save' }));
      await waitFor(() => expect(patches).toHaveLength(1));
    });

    it('clamps a long description in its row and shows all of it on hover', async () => {
      const long = `Rotate every certificate ${'and check it '.repeat(160)}`;
      storeActionItem(
        state,
        'INC-1',
        makeActionItem(findPostmortem(state, 'INC-1')!, 'a7', {
          description: long.trim(),
        }),
      );
      const { table } = await setup();
      const text = within(rowOf(table, 'Rotate every certificate')).getByText(
        long.trim(),
      );
      expect(text).toHaveAttribute('title', long.trim());
      const style = getComputedStyle(text);
      expect(style.overflow).toBe('hidden');
      expect(style.display).toBe('-webkit-box');
      // A short one needs no hover text.
      expect(within(table).getByText(A2)).not.toHaveAttribute('title');
    });
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
      const issues = answerIssues();
      const { table } = await setup();

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

      await waitFor(() => expect(issues).toHaveLength(1));
      expect(issues[0].params).toEqual({
        incidentId: 'incident-1',
        itemId: 'a1',
      });
      expect(issues[0].body).toEqual({ tracker: 'github' });
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
      await waitFor(() => expect(issues).toHaveLength(2));
      expect(issues[1].body).toEqual({ tracker: 'jira' });
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
      answerWrite(server, 'post', `${ITEM}/issue`, issueCreateBodySchema, () =>
        HttpResponse.json(
          errorBody(
            'tracker_rate_limited',
            'Jira is rate limiting tracker "jira"; try again in 30 seconds',
          ),
          { status: 502 },
        ),
      );
      const { table } = await setup();
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
      storeActionItem(state, 'INC-1', withIssue(itemOf('a1'), 'github'));
      storeActionItem(state, 'INC-1', withIssue(itemOf('a2'), 'jira'));
      // Both issues were closed in their trackers: the sync marks the items done.
      const syncs = answerWrite(
        server,
        'post',
        SYNC,
        z.strictObject({}),
        () => {
          for (const id of ['a1', 'a2']) {
            storeActionItem(state, 'INC-1', { ...itemOf(id), status: 'done' });
          }
          return HttpResponse.json(
            trackerSyncResultSchema.parse({
              checked: 2,
              done: 2,
              reopened: 0,
              pushed: 0,
              missing: 0,
              errors: [],
            }),
          );
        },
      );
      const { table } = await setup();
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

      await userEvent.click(
        screen.getByRole('button', { name: 'Sync with trackers' }),
      );
      await waitFor(() => expect(status(A1)).toHaveTextContent('Done'));
      expect(status(A2)).toHaveTextContent('Done');
      expect(syncs).toHaveLength(1);
      expect(await syncReport()).toHaveTextContent(
        'Synced with the trackers: 2 issues checked, 2 items done.',
      );
      // No longer overdue once done.
      expect(
        within(rowOf(table, A1)).queryByText('Overdue'),
      ).not.toBeInTheDocument();
    });

    it('names a tracker that could not be read while the others synced', async () => {
      const result: TrackerSyncResult = {
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
      };
      answerWrite(server, 'post', SYNC, z.strictObject({}), () =>
        HttpResponse.json(trackerSyncResultSchema.parse(result)),
      );
      await setup();
      await userEvent.click(
        screen.getByRole('button', { name: 'Sync with trackers' }),
      );
      expect(await syncReport()).toHaveTextContent(
        'Synced with the trackers: 1 issue checked.',
      );
      expect(screen.getByRole('alert')).toHaveTextContent(
        'Jira: OPS could not be read: Jira is rate limiting tracker "jira" (429)',
      );
    });

    it('says why a sync failed', async () => {
      answerWrite(server, 'post', SYNC, z.strictObject({}), () =>
        HttpResponse.json(
          errorBody(
            'tracker_unauthorized',
            'GitHub refused the token of tracker "github" (401)',
          ),
          { status: 502 },
        ),
      );
      await setup();
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
      storeActionItem(state, 'INC-1', withIssue(itemOf('a1'), 'github'));
      const { table } = await setup({ readOnly: true });
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
      state.trackers = [];
      let listed = false;
      server.events.on('response:mocked', ({ request }) => {
        if (new URL(request.url).pathname.endsWith('/v1/trackers')) {
          listed = true;
        }
      });
      await setup();
      await waitFor(() => expect(listed).toBe(true));
      server.events.removeAllListeners();
      // Lets the answer reach the table before looking for what it leaves out.
      await act(() => new Promise(resolve => setTimeout(resolve, 50)));
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
