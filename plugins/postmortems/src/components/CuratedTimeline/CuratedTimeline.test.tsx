import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  timelineCurationPatchBodySchema,
  type TimelineCurationPatchBody,
  type TimelineEntry,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { HttpResponse } from 'msw';
import { CuratedTimeline } from './CuratedTimeline';
import {
  answerReads,
  answerWrite,
  BackendState,
  demoState,
  findIncident,
  storeCuration,
} from '../../__testUtils__/backend';
import { errorBody } from '../../__testUtils__/fixtures';
import { createTestClient, setupBackend } from '../../__testUtils__/msw';
import { renderWithApis } from '../../__testUtils__/renderWithApis';

jest.setTimeout(20_000);

const server = setupBackend();
const ENTRY = '/v1/incidents/:incidentId/timeline/:entryId';

let state: BackendState;
let incidentId: string;

/** INC-1's timeline with a joke in it, hidden as noise. */
beforeEach(() => {
  state = demoState();
  incidentId = findIncident(state, 'INC-1')!.id;
  const joke: TimelineEntry = {
    id: 'joke',
    incident_id: incidentId,
    type: 'slack_message',
    actor: 'Chen Wu',
    timestamp: '2026-09-15T09:20:00.000Z',
    content: { text: 'lol certificates again' },
    created_at: '2026-09-15T09:20:00.000Z',
  };
  state.timelines[incidentId] = [...state.timelines[incidentId], joke];
  storeCuration(state, incidentId, 'joke', { hidden: true, noise: 'reaction' });
  answerReads(server, state);
});

/** Answers curation changes as the backend would, keeping them in `state`. */
function answerCuration() {
  return answerWrite<TimelineCurationPatchBody>(
    server,
    'patch',
    ENTRY,
    timelineCurationPatchBodySchema,
    ({ params, body }) => {
      const entryId = String(params.entryId);
      const entry = state.timelines[incidentId].find(e => e.id === entryId)!;
      const curation = storeCuration(state, incidentId, entryId, {
        ...(body.hidden !== undefined
          ? { hidden: body.hidden, hidden_by_author: true }
          : {}),
        ...(body.pinned !== undefined ? { pinned: body.pinned } : {}),
        ...(body.key_moment !== undefined
          ? { key_moment: body.key_moment }
          : {}),
      });
      return HttpResponse.json({ ...entry, curation });
    },
  );
}

function render() {
  return renderWithApis(<CuratedTimeline incidentId={incidentId} />, {
    api: createTestClient(),
  });
}

const entries = () =>
  within(screen.getByRole('list', { name: 'Timeline entries' })).getAllByRole(
    'listitem',
  );

describe('CuratedTimeline', () => {
  it('leaves chatter out by default, one click away', async () => {
    await render();
    expect(await screen.findByText(/Certificate renewed/)).toBeInTheDocument();
    expect(entries()).toHaveLength(3);
    expect(screen.queryByText(/lol certificates again/)).toBeNull();

    const toggle = screen.getByRole('button', {
      name: 'Show 1 hidden entry',
    });
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await userEvent.click(toggle);
    expect(entries()).toHaveLength(4);
    expect(screen.getByText(/lol certificates again/)).toBeInTheDocument();
    expect(screen.getByText('Hidden: short reaction')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Leave out 1 hidden entry' }),
    ).toHaveAttribute('aria-pressed', 'true');
  });

  it('shows, hides and pins entries through the backend', async () => {
    const sent = answerCuration();
    await render();
    await screen.findByText(/Certificate renewed/);

    await userEvent.click(
      screen.getByRole('button', { name: /^Hide .*Certificate renewed/ }),
    );
    await waitFor(() => expect(entries()).toHaveLength(2));
    await userEvent.click(
      screen.getByRole('button', { name: 'Show 2 hidden entries' }),
    );
    const joke = screen.getByRole('button', {
      name: /^Show .*lol certificates/,
    });
    await userEvent.click(joke);
    const pin = await screen.findByRole('button', {
      name: /^Pin .*lol certificates/,
    });
    expect(pin).toHaveAttribute('aria-pressed', 'false');
    await userEvent.click(pin);
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: /^Pin .*lol certificates/ }),
      ).toHaveAttribute('aria-pressed', 'true'),
    );
    expect(screen.getByText('Pinned')).toBeInTheDocument();

    expect(sent.map(s => [s.params.entryId, s.body])).toEqual([
      [expect.any(String), { hidden: true }],
      ['joke', { hidden: false }],
      ['joke', { pinned: true }],
    ]);
  });

  it('marks key moments from a menu used by keyboard, and shows the durations they give', async () => {
    const sent = answerCuration();
    state.durations[incidentId] = {
      triggered_at: '2026-09-15T09:12:30.000Z',
      moments: {
        detected: {
          at: '2026-09-15T09:16:30.000Z',
          source: 'key_moment',
          entry_id: 'x',
        },
        acknowledged: {
          at: '2026-09-15T09:14:30.000Z',
          source: 'incident',
          entry_id: null,
        },
        mitigated: null,
        resolved: null,
      },
      mttd_ms: 4 * 60_000,
      mtta_ms: 2 * 60_000,
      mttm_ms: null,
      mttr_ms: null,
    };
    await render();
    await screen.findByText(/Certificate renewed/);
    const durations = screen.getByLabelText('Key moment durations');
    expect(durations).toHaveTextContent('Time to detect (MTTD)4m');
    expect(durations).toHaveTextContent(
      'Time to acknowledge (MTTA)2m (from the incident)',
    );
    expect(durations).toHaveTextContent('Time to resolve (MTTR)not marked');

    const menuButton = screen.getByRole('button', {
      name: /^Key moment of .*Certificate renewed/,
    });
    menuButton.focus();
    await userEvent.keyboard('{Enter}');
    const menu = await screen.findByRole('menu');
    expect(
      within(menu).getByRole('menuitem', { name: 'Detected' }),
    ).toHaveFocus();
    await userEvent.keyboard('{ArrowDown}{ArrowDown}{ArrowDown}{Enter}');
    await waitFor(() =>
      expect(screen.queryByRole('menu')).not.toBeInTheDocument(),
    );
    const renewed = entries().find(li =>
      li.textContent?.includes('Certificate renewed'),
    )!;
    await waitFor(() =>
      expect(within(renewed).getByText('Resolved')).toBeInTheDocument(),
    );
    expect(sent.map(s => s.body)).toEqual([{ key_moment: 'resolved' }]);
  });

  it('says why a change was refused and keeps the entry as it was', async () => {
    answerWrite(server, 'patch', ENTRY, timelineCurationPatchBodySchema, () =>
      HttpResponse.json(
        errorBody('forbidden', 'You are not allowed to edit this post-mortem'),
        { status: 403 },
      ),
    );
    await render();
    await screen.findByText(/Certificate renewed/);
    await userEvent.click(
      screen.getByRole('button', { name: /^Pin .*Certificate renewed/ }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The change was not saved: You are not allowed to edit this post-mortem',
    );
    expect(
      screen.getByRole('button', { name: /^Pin .*Certificate renewed/ }),
    ).toHaveAttribute('aria-pressed', 'false');
  });
});
