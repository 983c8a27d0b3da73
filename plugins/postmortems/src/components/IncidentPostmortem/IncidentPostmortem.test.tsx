import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  commentBodySchema,
  exportCreateBodySchema,
  generateBodySchema,
  generationJobSchema,
  postmortemCommentSchema,
  postmortemCreateBodySchema,
  postmortemPatchBodySchema,
  postmortemSchema,
  postmortemSignalChannel,
  regenerateBodySchema,
  revisionDiffSchema,
  revisionRestoreBodySchema,
  type GenerationJob,
  type Postmortem,
  type PostmortemPatchBody,
  type PostmortemSection,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { MockStorageApi } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { IncidentPostmortem } from './IncidentPostmortem';
import {
  answerReads,
  answerWrite,
  BackendState,
  demoState,
  findIncident,
  findPostmortem,
  revisionOf,
  storePostmortem,
} from '../../__testUtils__/backend';
import { makePostmortem } from '../../__testUtils__/demoData';
import {
  errorBody,
  exportRecord,
  providerStatus,
} from '../../__testUtils__/fixtures';
import {
  backendUrl,
  createTestClient,
  setupBackend,
} from '../../__testUtils__/msw';
import {
  fakeSignals,
  renderWithApis,
} from '../../__testUtils__/renderWithApis';
import { DRAFTS_BUCKET, readSectionDraft } from '../../domain/localDrafts';

const server = setupBackend();

const PM = '/v1/incidents/:incidentId/postmortem';

let state: BackendState;
// One storage per test, shared by its renders so that a draft outlives a
// remount the way it outlives a reload.
let storage: MockStorageApi;

function drafts() {
  return storage.forBucket(DRAFTS_BUCKET);
}

function renderView(
  incidentId: string,
  signals?: ReturnType<typeof fakeSignals>,
) {
  return renderWithApis(<IncidentPostmortem incidentId={incidentId} />, {
    api: createTestClient(),
    storage,
    signals: signals?.api,
  });
}

/**
 * The element showing `text` on the page, leaving out the plugin's live
 * region for screen readers, which may say the same words ("Published").
 */
function shown(text: string) {
  const found = screen
    .getAllByText(text)
    .filter(e => !e.closest('#postmortems-announcements'));
  expect(found).toHaveLength(1);
  return found[0];
}

function section(name: string) {
  return screen.getByRole('region', { name });
}

async function openEditor(name: string) {
  await userEvent.click(
    await screen.findByRole('button', { name: `Edit ${name}` }),
  );
  return screen.getByLabelText(`${name} (Markdown)`);
}

/** Replaces a field's text at once (typing long texts key by key is slow). */
function setText(element: HTMLElement, value: string) {
  fireEvent.change(element, { target: { value } });
}

function appendText(element: HTMLElement, value: string) {
  setText(element, `${(element as HTMLTextAreaElement).value}${value}`);
}

/** The post-mortem with new sections, as the backend stores a new version. */
function nextVersion(
  current: Postmortem,
  change: Partial<Postmortem>,
  by = 'user:default/guest',
): Postmortem {
  const sections = change.sections ?? current.sections;
  return postmortemSchema.parse({
    ...current,
    ...change,
    sections,
    content: sections.map(s => `## ${s.title}\n\n${s.markdown}`).join('\n\n'),
    version: current.version + 1,
    updated_by: by,
    updated_at: new Date().toISOString(),
  });
}

/** Someone else saves INC-1's post-mortem with this section changed. */
function savedByOther(key: string, markdown: string, by = 'user:default/bob') {
  const current = findPostmortem(state, 'INC-1')!;
  const saved = storePostmortem(
    state,
    nextVersion(
      current,
      {
        sections: current.sections.map(s =>
          s.key === key ? { ...s, markdown } : s,
        ),
      },
      by,
    ),
  );
  state.revisions[saved.id].push(revisionOf(saved));
  return saved;
}

/**
 * Answers `PATCH …/postmortem` the way the route does for the cases these
 * tests are about: a save based on an older version gets 409 with the current
 * post-mortem, publishing a draft with findings gets 409 with the findings,
 * anything else becomes the next version.
 */
function answerSaves() {
  return answerWrite<PostmortemPatchBody>(
    server,
    'patch',
    PM,
    postmortemPatchBodySchema,
    ({ params, body }) => {
      const current = findPostmortem(state, String(params.incidentId))!;
      if (body.version !== current.version) {
        return HttpResponse.json(
          {
            error: {
              code: 'conflict',
              message: `The post-mortem was changed by ${current.updated_by} (now version ${current.version}); merge your edit into the current version and save again`,
              details: { current_version: current.version, current },
            },
          },
          { status: 409 },
        );
      }
      const publishing =
        body.status === 'published' && current.status !== 'published';
      if (publishing && current.findings.length && !body.override_findings) {
        return HttpResponse.json(
          {
            error: {
              code: 'conflict',
              message:
                'The evidence check has unresolved findings; fix them or publish with override_findings',
              details: { findings: current.findings },
            },
          },
          { status: 409 },
        );
      }
      const saved = storePostmortem(
        state,
        nextVersion(current, {
          ...(body.sections && {
            sections: body.sections as PostmortemSection[],
          }),
          ...(body.status && { status: body.status }),
          ...(publishing && {
            published_at: new Date().toISOString(),
            published_by: 'user:default/guest',
          }),
        }),
      );
      state.revisions[saved.id].push(revisionOf(saved));
      return HttpResponse.json(saved);
    },
  );
}

/** A generation job of an incident, as the backend answers it. */
function jobOf(incidentId: string, change: Partial<GenerationJob> = {}) {
  const at = new Date().toISOString();
  return generationJobSchema.parse({
    id: 'job-1',
    incident_id: incidentId,
    kind: 'document',
    section_key: null,
    status: 'queued',
    provider: 'deterministic',
    template_id: 'standard',
    sections_done: [],
    error: null,
    attempts: 0,
    requested_by: 'user:default/guest',
    created_at: at,
    updated_at: at,
    finished_at: null,
    ...change,
  });
}

type StreamStep = { event: string; data: unknown } | (() => unknown);

/**
 * A job's server-sent events; a function between them runs (and is awaited)
 * before the next event is sent, e.g. to hold the stream open.
 */
function eventStream(steps: StreamStep[]) {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      for (const step of steps) {
        if (typeof step === 'function') {
          await step();
        } else {
          controller.enqueue(
            encoder.encode(
              `event: ${step.event}\ndata: ${JSON.stringify(step.data)}\n\n`,
            ),
          );
        }
      }
      controller.close();
    },
  });
  return new HttpResponse(body, {
    headers: { 'Content-Type': 'text/event-stream' },
  });
}

/** Answers the events of job-1 with these steps, recording the Accept header. */
function answerJobEvents(steps: StreamStep[]) {
  const accepts: Array<string | null> = [];
  server.use(
    http.get(backendUrl('/v1/generation-jobs/job-1/events'), ({ request }) => {
      accepts.push(request.headers.get('Accept'));
      return eventStream(steps);
    }),
  );
  return accepts;
}

jest.setTimeout(20_000);

beforeEach(() => {
  storage = MockStorageApi.create();
  state = demoState();
  answerReads(server, state);
});

describe('IncidentPostmortem', () => {
  it('shows the incident header with severity, duration, commander and services', async () => {
    await renderView('INC-1');

    expect(
      await screen.findByText('INC-1: Card payments failing at checkout'),
    ).toBeInTheDocument();
    expect(screen.getByText('Critical')).toBeInTheDocument();
    expect(screen.getByText('Duration 2h')).toBeInTheDocument();
    expect(
      screen
        .getAllByRole('link', { name: /jane\.doe/ })
        .map(link => link.getAttribute('href')),
    ).toContain('/catalog/default/user/jane.doe');
    expect(
      screen.getByRole('link', { name: /payments-service/ }),
    ).toHaveAttribute('href', '/catalog/default/component/payments-service');
  });

  describe('without a post-mortem', () => {
    it('generates one with the chosen template and shows sections as they complete', async () => {
      let release: () => void = () => {};
      const gate = new Promise<void>(resolve => {
        release = resolve;
      });
      const started = answerWrite(
        server,
        'post',
        `${PM}/generate`,
        generateBodySchema,
        () => HttpResponse.json(jobOf('incident-3'), { status: 202 }),
      );
      const prefer: Array<string | null> = [];
      server.events.on('request:start', ({ request }) => {
        if (request.url.endsWith('/postmortem/generate')) {
          prefer.push(request.headers.get('Prefer'));
        }
      });
      const incident = findIncident(state, 'INC-3')!;
      // The first section arrives, then the job waits until the test says so.
      const accepts = answerJobEvents([
        {
          event: 'status',
          data: jobOf('incident-3', {
            status: 'running',
            sections_done: ['summary'],
          }),
        },
        {
          event: 'section',
          data: {
            key: 'summary',
            title: 'Summary',
            markdown: 'Search got **slow** after the rebuild.',
          },
        },
        () => gate,
        () => {
          // The job has saved its draft, findings included, when it is done.
          const drafted = makePostmortem(incident, {
            id: 'pm-3',
            version: 1,
            sections: [
              {
                key: 'summary',
                title: 'Summary',
                markdown: 'Search got **slow** after the rebuild.',
              },
              { key: 'impact', title: 'Impact', markdown: 'At 14:32 …' },
              {
                key: 'root_cause',
                title: 'Root cause',
                markdown: 'A rebuild.',
              },
              {
                key: 'lessons',
                title: 'What went well and what did not',
                markdown: 'Alerts fired.',
              },
            ],
            findings: [
              {
                id: 'g1',
                kind: 'unsupported_timestamp',
                section_key: 'impact',
                excerpt: '14:32',
                message: 'No timeline entry has this time.',
                hint: 'Check the time against the timeline.',
              },
            ],
          });
          state.postmortems.push(postmortemSchema.parse(drafted));
          state.revisions[drafted.id] = [revisionOf(drafted)];
        },
        {
          event: 'done',
          data: jobOf('incident-3', {
            status: 'succeeded',
            sections_done: ['summary', 'impact', 'root_cause', 'lessons'],
          }),
        },
      ]);

      await renderView('INC-3');
      expect(await screen.findByText('No post-mortem yet')).toBeInTheDocument();
      // The active template is preselected.
      expect(screen.getByLabelText('Template')).toHaveTextContent(
        'Standard (active)',
      );

      await userEvent.click(
        screen.getByRole('button', { name: 'Generate Post-Mortem' }),
      );

      expect(
        await screen.findByText('Writing the draft: 1 of 4 sections done…'),
      ).toBeInTheDocument();
      expect(screen.getByText('slow')).toBeInTheDocument();
      expect(started.map(r => [r.params.incidentId, r.body])).toEqual([
        ['incident-3', { template_id: 'standard' }],
      ]);
      expect(prefer).toEqual(['respond-async']);
      expect(accepts).toEqual(['text/event-stream']);

      await act(async () => release());

      expect(
        await screen.findByRole('region', { name: 'Root cause' }),
      ).toBeInTheDocument();
      expect(screen.queryByText('No post-mortem yet')).not.toBeInTheDocument();
      expect(screen.getByText('Draft')).toBeInTheDocument();
      // Findings of the generated draft sit beside their section.
      expect(
        screen.getByRole('list', { name: 'Findings in Impact' }),
      ).toHaveTextContent('No timeline entry has this time.');
      server.events.removeAllListeners();
    });

    it('explains a failed generation in words and offers to try again', async () => {
      answerWrite(server, 'post', `${PM}/generate`, generateBodySchema, () =>
        HttpResponse.json(jobOf('incident-3'), { status: 202 }),
      );
      // The stream says the job failed; the job itself says how.
      answerJobEvents([
        { event: 'error', data: { message: 'Generation failed' } },
      ]);
      server.use(
        http.get(backendUrl('/v1/generation-jobs/job-1'), () =>
          HttpResponse.json(
            jobOf('incident-3', {
              status: 'failed',
              error: 'The model provider answered 429: rate limited',
              finished_at: new Date().toISOString(),
            }),
          ),
        ),
      );
      await renderView('INC-3');
      await userEvent.click(
        await screen.findByRole('button', { name: 'Generate Post-Mortem' }),
      );
      expect(
        await screen.findByText(
          /The draft could not be generated: The model provider answered 429: rate limited/,
        ),
      ).toBeInTheDocument();
      expect(screen.getByRole('button', { name: 'Try again' })).toBeEnabled();
    });

    it('offers only a blank draft while the incident is still open', async () => {
      await renderView('INC-4');
      expect(
        await screen.findByText(/INC-4 is still triggered/),
      ).toBeInTheDocument();
      expect(
        screen.getByRole('button', { name: 'Generate Post-Mortem' }),
      ).toBeDisabled();
      expect(screen.getByRole('button', { name: 'Start blank' })).toBeEnabled();
    });

    it('shows a draft made elsewhere as soon as it is saved (signals)', async () => {
      const signals = fakeSignals();
      const incident = findIncident(state, 'INC-3')!;
      await renderView('INC-3', signals);
      expect(
        await screen.findByRole('button', { name: 'Start blank' }),
      ).toBeInTheDocument();

      // Drafted on resolution, or by a colleague on another screen.
      const drafted = postmortemSchema.parse(
        makePostmortem(incident, {
          version: 1,
          sections: [
            { key: 'summary', title: 'Summary', markdown: 'Drafted.' },
          ],
        }),
      );
      state.postmortems.push(drafted);
      state.revisions[drafted.id] = [revisionOf(drafted)];
      signals.send(postmortemSignalChannel(incident.id), {
        incident_id: incident.id,
        change: 'saved',
        version: 1,
        by: 'user:default/frank.li',
      });

      expect(
        await screen.findByRole('region', { name: 'Summary' }),
      ).toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: 'Start blank' }),
      ).not.toBeInTheDocument();
    });

    it("leaves one's own draft to the page that generates it (its signal changes nothing)", async () => {
      const signals = fakeSignals();
      const incident = findIncident(state, 'INC-3')!;
      await renderView('INC-3', signals);
      await screen.findByRole('button', { name: 'Start blank' });
      const drafted = postmortemSchema.parse(
        makePostmortem(incident, { version: 1 }),
      );
      state.postmortems.push(drafted);
      signals.send(postmortemSignalChannel(incident.id), {
        incident_id: incident.id,
        change: 'saved',
        version: 1,
        by: 'user:default/guest',
      });
      await new Promise(resolve => setTimeout(resolve, 200));
      expect(
        screen.getByRole('button', { name: 'Start blank' }),
      ).toBeInTheDocument();
    });

    it('starts a blank draft from the selected template', async () => {
      const incident = findIncident(state, 'INC-3')!;
      const created = answerWrite(
        server,
        'post',
        PM,
        postmortemCreateBodySchema,
        () => {
          const blank = postmortemSchema.parse(
            makePostmortem(incident, {
              version: 1,
              template_id: 'short',
              template_name: 'Short',
              generated_by: 'manual',
              sections: [
                { key: 'summary', title: 'Summary', markdown: '' },
                { key: 'follow_up', title: 'Follow-up', markdown: '' },
              ],
            }),
          );
          state.postmortems.push(blank);
          state.revisions[blank.id] = [revisionOf(blank)];
          return HttpResponse.json(blank, { status: 201 });
        },
      );
      await renderView('INC-3');

      await userEvent.click(await screen.findByLabelText('Template'));
      await userEvent.click(
        await screen.findByRole('option', { name: 'Short' }),
      );
      await userEvent.click(
        screen.getByRole('button', { name: 'Start blank' }),
      );

      expect(
        await screen.findByRole('region', { name: 'Follow-up' }),
      ).toBeInTheDocument();
      expect(created.map(r => [r.params.incidentId, r.body])).toEqual([
        ['incident-3', { template_id: 'short' }],
      ]);
      expect(screen.getAllByText('This section is empty.')).toHaveLength(2);
    });
  });

  describe('editing', () => {
    it('saves a section with the version it was based on and clears the local copy', async () => {
      const saves = answerSaves();
      await renderView('INC-1');

      const editor = await openEditor('Summary');
      await userEvent.clear(editor);
      await userEvent.type(editor, 'The certificate **expired**.');
      // Live preview.
      expect(
        within(
          screen.getByRole('region', { name: 'Preview of Summary' }),
        ).getByText('expired').tagName,
      ).toBe('STRONG');
      expect(
        readSectionDraft(drafts(), 'incident-1', 'summary')?.markdown,
      ).toBe('The certificate **expired**.');

      await userEvent.click(screen.getByRole('button', { name: 'Save' }));

      await waitFor(() =>
        expect(
          screen.queryByLabelText('Summary (Markdown)'),
        ).not.toBeInTheDocument(),
      );
      expect(saves.map(r => [r.params.incidentId, r.body])).toEqual([
        [
          'incident-1',
          {
            version: 3,
            sections: expect.arrayContaining([
              {
                key: 'summary',
                title: 'Summary',
                markdown: 'The certificate **expired**.',
              },
              expect.objectContaining({ key: 'root_cause' }),
            ]),
          },
        ],
      ]);
      expect(
        within(section('Summary')).getByText('expired'),
      ).toBeInTheDocument();
      expect(screen.getByText(/^Version 4/)).toBeInTheDocument();
      expect(
        readSectionDraft(drafts(), 'incident-1', 'summary'),
      ).toBeUndefined();
    });

    it('on a conflicting save shows both versions and keeps the local text until merged', async () => {
      const saves = answerSaves();
      await renderView('INC-1');
      const editor = await openEditor('Summary');
      setText(editor, 'My careful summary.');

      // Someone else saves the same section meanwhile.
      savedByOther('summary', 'Bob’s summary.');

      await userEvent.click(screen.getByRole('button', { name: 'Save' }));

      const dialog = await screen.findByRole('dialog');
      expect(
        within(dialog).getByLabelText(
          'Current version (version 4 by user:default/bob)',
        ),
      ).toHaveValue('Bob’s summary.');
      expect(
        within(dialog).getByLabelText('Your version (not saved)'),
      ).toHaveValue('My careful summary.');
      expect(
        readSectionDraft(drafts(), 'incident-1', 'summary')?.markdown,
      ).toBe('My careful summary.');

      // Merge both texts and save on top of Bob's version.
      const merged = within(dialog).getByLabelText('Merged text');
      appendText(merged, ' Also: Bob’s summary.');
      await userEvent.click(
        within(dialog).getByRole('button', {
          name: 'Save on top of current version',
        }),
      );

      await waitFor(() =>
        expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
      );
      expect(saves.map(r => r.body.version)).toEqual([3, 4]);
      const saved = findPostmortem(state, 'INC-1')!;
      expect(saved.sections[0].markdown).toBe(
        'My careful summary. Also: Bob’s summary.',
      );
      expect(saved.version).toBe(5);
      expect(
        readSectionDraft(drafts(), 'incident-1', 'summary'),
      ).toBeUndefined();
    });

    it('keeps editing the local text when the merge dialog is left open-ended', async () => {
      const saves = answerSaves();
      await renderView('INC-1');
      const editor = await openEditor('Root cause');
      appendText(editor, ' Mine.');
      const mine = (editor as HTMLTextAreaElement).value;
      expect(mine).toMatch(/ Mine\.$/);
      savedByOther('root_cause', 'Theirs.');

      await userEvent.click(screen.getByRole('button', { name: 'Save' }));
      const dialog = await screen.findByRole('dialog');
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Keep editing' }),
      );

      await waitFor(() =>
        expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
      );
      expect(screen.getByLabelText('Root cause (Markdown)')).toHaveValue(mine);
      // The next save goes on top of their version without asking again.
      await userEvent.click(screen.getByRole('button', { name: 'Save' }));
      await waitFor(() =>
        expect(
          findPostmortem(state, 'INC-1')!.sections.find(
            s => s.key === 'root_cause',
          )?.markdown,
        ).toBe(mine),
      );
      expect(saves.map(r => r.body.version)).toEqual([3, 4]);
    });

    it('re-applies a section on top of changes to other sections without asking', async () => {
      const saves = answerSaves();
      await renderView('INC-1');
      const editor = await openEditor('Summary');
      appendText(editor, ' More.');
      savedByOther('impact', 'Impact by someone else.');

      await userEvent.click(screen.getByRole('button', { name: 'Save' }));

      expect(
        await screen.findByText(/Saved on top of version 4/),
      ).toBeInTheDocument();
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
      expect(saves.map(r => r.body.version)).toEqual([3, 4]);
      const saved = findPostmortem(state, 'INC-1')!;
      expect(saved.sections.map(s => s.markdown)).toEqual([
        expect.stringMatching(/More\.$/),
        'Impact by someone else.',
        expect.any(String),
      ]);
    });

    it('keeps the text after a failed save and restores it after a reload', async () => {
      const first = await renderView('INC-1');
      const editor = await openEditor('Summary');
      setText(editor, 'Typed before the network broke.');
      server.use(
        http.patch(
          backendUrl(PM),
          () =>
            HttpResponse.json(
              errorBody('service_unavailable', 'The database is read-only'),
              { status: 503 },
            ),
          { once: true },
        ),
      );

      await userEvent.click(screen.getByRole('button', { name: 'Save' }));
      expect(
        await screen.findByText(/Not saved: The database is read-only/),
      ).toBeInTheDocument();
      expect(screen.getByLabelText('Summary (Markdown)')).toHaveValue(
        'Typed before the network broke.',
      );

      // A reload: the view mounts again from scratch.
      first.unmount();
      const saves = answerSaves();
      await renderView('INC-1');
      expect(await screen.findByLabelText('Summary (Markdown)')).toHaveValue(
        'Typed before the network broke.',
      );
      expect(
        screen.getByText(/Restored your unsaved edit from/),
      ).toBeInTheDocument();

      await userEvent.click(screen.getByRole('button', { name: 'Save' }));
      await waitFor(() =>
        expect(
          readSectionDraft(drafts(), 'incident-1', 'summary'),
        ).toBeUndefined(),
      );
      expect(saves).toHaveLength(1);
      expect(findPostmortem(state, 'INC-1')!.sections[0].markdown).toBe(
        'Typed before the network broke.',
      );
    });

    it('regenerates one section and shows the new text', async () => {
      const regenerated = answerWrite(
        server,
        'post',
        `${PM}/sections/:key/regenerate`,
        regenerateBodySchema,
        () =>
          HttpResponse.json(
            jobOf('incident-1', { kind: 'section', section_key: 'root_cause' }),
            { status: 202 },
          ),
      );
      answerJobEvents([
        () => {
          const current = findPostmortem(state, 'INC-1')!;
          storePostmortem(
            state,
            nextVersion(
              current,
              {
                sections: current.sections.map(s =>
                  s.key === 'root_cause'
                    ? { ...s, markdown: `${s.markdown} (rewritten)` }
                    : s,
                ),
              },
              'postmortems-generator',
            ),
          );
        },
        {
          event: 'done',
          data: jobOf('incident-1', {
            kind: 'section',
            section_key: 'root_cause',
            status: 'succeeded',
            sections_done: ['root_cause'],
          }),
        },
      ]);
      await renderView('INC-1');
      await userEvent.click(
        await screen.findByRole('button', { name: 'Regenerate Root cause' }),
      );
      expect(
        await within(section('Root cause')).findByText(/\(rewritten\)/),
      ).toBeInTheDocument();
      expect(regenerated.map(r => r.params)).toEqual([
        { incidentId: 'incident-1', key: 'root_cause' },
      ]);
    });
  });

  describe('publishing', () => {
    it('shows what the gate finds before the author presses Publish', async () => {
      const saves = answerSaves();
      await renderView('INC-2');
      await userEvent.click(
        await screen.findByRole('button', { name: 'Publish' }),
      );
      const dialog = await screen.findByRole('dialog', {
        name: 'Publish this post-mortem?',
      });
      expect(
        await within(dialog).findByText(
          /The evidence check finds 1 thing to fix in this version/,
        ),
      ).toBeInTheDocument();
      expect(
        within(dialog).getByRole('list', { name: 'Findings' }),
      ).toHaveTextContent('This sentence blames a person.');
      // Nothing was sent: the author decides with the findings in view.
      expect(saves).toHaveLength(0);
      expect(
        within(dialog).queryByRole('button', { name: 'Publish' }),
      ).not.toBeInTheDocument();

      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Publish anyway' }),
      );
      await waitFor(() =>
        expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
      );
      expect(saves.map(r => r.body)).toEqual([
        { status: 'published', version: 3, override_findings: true },
      ]);
    });

    it('says when the gate finds nothing to fix', async () => {
      const saves = answerSaves();
      storePostmortem(state, {
        ...findPostmortem(state, 'INC-2')!,
        findings: [],
      });
      await renderView('INC-2');
      await userEvent.click(
        await screen.findByRole('button', { name: 'Publish' }),
      );
      const dialog = await screen.findByRole('dialog', {
        name: 'Publish this post-mortem?',
      });
      expect(
        await within(dialog).findByText(
          'The evidence check finds nothing to fix.',
        ),
      ).toBeInTheDocument();
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Publish' }),
      );
      await waitFor(() => expect(saves).toHaveLength(1));
      expect(saves[0].body).not.toHaveProperty('override_findings');
    });

    it('asks for confirmation, shows the findings the backend refuses on, and publishes anyway', async () => {
      const saves = answerSaves();
      // The draft looked clean when the dialog opened; the publish itself is
      // checked again and refused.
      server.use(
        http.get(backendUrl(`${PM}/checks`), () =>
          HttpResponse.json({ data: [] }),
        ),
      );
      await renderView('INC-2');

      // The finding is shown beside the section it concerns.
      expect(
        await screen.findByRole('list', { name: 'Findings in Root cause' }),
      ).toHaveTextContent('This sentence blames a person.');

      await userEvent.click(screen.getByRole('button', { name: 'Publish' }));
      const dialog = await screen.findByRole('dialog', {
        name: 'Publish this post-mortem?',
      });
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Publish' }),
      );

      expect(
        await within(dialog).findByText(
          /The evidence check still has 1 finding/,
        ),
      ).toBeInTheDocument();
      expect(within(dialog).getByText('Blaming language')).toBeInTheDocument();
      expect(saves.map(r => [r.params.incidentId, r.body])).toEqual([
        ['incident-2', { status: 'published', version: 3 }],
      ]);

      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Publish anyway' }),
      );
      await waitFor(() =>
        expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
      );
      expect(saves[1].body).toEqual({
        status: 'published',
        version: 3,
        override_findings: true,
      });
      expect(shown('Published')).toBeInTheDocument();
      expect(
        screen.getByRole('button', { name: 'Unpublish' }),
      ).toBeInTheDocument();
    });

    it('does nothing when the confirmation is cancelled', async () => {
      const saves = answerSaves();
      await renderView('INC-1');
      await userEvent.click(
        await screen.findByRole('button', { name: 'Unpublish' }),
      );
      const dialog = await screen.findByRole('dialog');
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Cancel' }),
      );
      await waitFor(() =>
        expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
      );
      expect(saves).toHaveLength(0);
      expect(shown('Published')).toBeInTheDocument();
    });
  });

  it('compares a revision with the current version and restores it', async () => {
    const saves = answerSaves();
    const original = findPostmortem(state, 'INC-1')!;
    const diffs: Array<{ version: string; against: string | null }> = [];
    server.use(
      http.get(
        backendUrl(`${PM}/revisions/:version/diff`),
        ({ request, params }) => {
          const against = new URL(request.url).searchParams.get('against');
          diffs.push({ version: String(params.version), against });
          return HttpResponse.json(
            revisionDiffSchema.parse({
              from: Number(against),
              to: Number(params.version),
              changes: [
                { kind: 'unchanged', text: '## Summary\n\n' },
                { kind: 'removed', text: `${original.sections[0].markdown}\n` },
                { kind: 'added', text: 'Rewritten summary.\n' },
              ],
            }),
          );
        },
      ),
    );
    const restores = answerWrite<{ version?: number }>(
      server,
      'post',
      `${PM}/revisions/:version/restore`,
      revisionRestoreBodySchema,
      ({ params }) => {
        const revision = state.revisions[original.id].find(
          r => r.version === Number(params.version),
        )!;
        const restored = storePostmortem(
          state,
          nextVersion(findPostmortem(state, 'INC-1')!, {
            sections: revision.sections,
          }),
        );
        state.revisions[original.id].push(
          revisionOf(restored, { reason: 'restore' }),
        );
        return HttpResponse.json(restored);
      },
    );
    await renderView('INC-1');
    const editor = await openEditor('Summary');
    setText(editor, 'Rewritten summary.');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Rewritten summary.');

    const revisions = await screen.findByRole('table', { name: 'Revisions' });
    await waitFor(() =>
      expect(within(revisions).getByText('4 (current)')).toBeInTheDocument(),
    );
    // The first version was drafted without a model and says so.
    expect(
      within(revisions)
        .getAllByRole('cell')
        .map(cell => cell.textContent),
    ).toContain('generate · Drafted from evidence · published');
    await userEvent.click(
      within(revisions).getByRole('button', {
        name: 'Compare version 3 with the current version',
      }),
    );
    const diff = await screen.findByRole('table', {
      name: 'Changes from version 3 to version 4',
    });
    expect(within(diff).getByText('Rewritten summary.')).toHaveAttribute(
      'data-change',
      'added',
    );
    expect(
      within(diff).getByText(/^Card payments failed for \*\*2 hours\*\*/),
    ).toHaveAttribute('data-change', 'removed');
    expect(diffs).toEqual([{ version: '4', against: '3' }]);

    await userEvent.click(
      within(revisions).getByRole('button', { name: 'Restore version 3' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Restore version 3?',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Restore' }),
    );
    await waitFor(() =>
      expect(
        within(section('Summary')).getByText('2 hours'),
      ).toBeInTheDocument(),
    );
    expect(screen.getByText(/^Version 5/)).toBeInTheDocument();
    expect(saves).toHaveLength(1);
    expect(restores.map(r => [r.params.version, r.body])).toEqual([
      ['3', { version: 4 }],
    ]);
  });

  it('adds a comment and deletes only ones own', async () => {
    const postmortemId = findPostmortem(state, 'INC-1')!.id;
    const added = answerWrite<{ body: string }>(
      server,
      'post',
      `${PM}/comments`,
      commentBodySchema,
      ({ body }) => {
        const comment = postmortemCommentSchema.parse({
          id: 'c2',
          postmortem_id: postmortemId,
          author: 'user:default/guest',
          body: body.body,
          created_at: new Date().toISOString(),
        });
        state.comments[postmortemId] = [
          ...state.comments[postmortemId],
          comment,
        ];
        return HttpResponse.json(comment, { status: 201 });
      },
    );
    const deleted = answerWrite(
      server,
      'delete',
      `${PM}/comments/:commentId`,
      undefined,
      ({ params }) => {
        state.comments[postmortemId] = state.comments[postmortemId].filter(
          c => c.id !== params.commentId,
        );
        return new HttpResponse(null, { status: 204 });
      },
    );
    await renderView('INC-1');
    const comments = await screen.findByRole('list', { name: 'Comments' });
    expect(
      within(comments).getByText('Reviewed with the payments team.'),
    ).toBeInTheDocument();
    expect(
      within(comments).queryByRole('button', { name: 'Delete comment' }),
    ).not.toBeInTheDocument();

    setText(screen.getByLabelText('Add a comment'), 'Looks good to me.');
    await userEvent.click(screen.getByRole('button', { name: 'Comment' }));
    expect(await screen.findByText('Looks good to me.')).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Delete comment' }),
    );
    await waitFor(() =>
      expect(screen.queryByText('Looks good to me.')).not.toBeInTheDocument(),
    );
    expect(
      screen.getByText('Reviewed with the payments team.'),
    ).toBeInTheDocument();
    expect(added.map(r => r.body)).toEqual([{ body: 'Looks good to me.' }]);
    expect(deleted.map(r => r.params)).toEqual([
      { incidentId: 'incident-1', commentId: 'c2' },
    ]);
  });

  it('offers to improve the draft only when a model is configured', async () => {
    let asked = 0;
    server.use(
      http.get(backendUrl('/v1/system/provider'), () => {
        asked += 1;
        // Without a model improving would write the same text again.
        return HttpResponse.json(providerStatus());
      }),
    );
    await renderView('INC-2');
    expect(
      await screen.findByRole('button', { name: 'Publish' }),
    ).toBeInTheDocument();
    await waitFor(() => expect(asked).toBeGreaterThan(0));
    await act(async () => {});
    expect(
      screen.queryByRole('button', { name: 'Improve draft' }),
    ).not.toBeInTheDocument();
  });

  it('offers to improve a draft when a model answers', async () => {
    server.use(
      http.get(backendUrl('/v1/system/provider'), () =>
        HttpResponse.json(
          providerStatus({ provider: 'openai', model: 'gpt-4o-mini' }),
        ),
      ),
    );
    await renderView('INC-2');
    expect(
      await screen.findByRole('button', { name: 'Improve draft' }),
    ).toBeEnabled();
  });

  it('downloads the Markdown export through the API', async () => {
    const exports: Array<{ incidentId: string; format: string | null }> = [];
    server.use(
      http.get(backendUrl(`${PM}/export`), ({ request, params }) => {
        exports.push({
          incidentId: String(params.incidentId),
          format: new URL(request.url).searchParams.get('format'),
        });
        return new HttpResponse(
          '# INC-1: Card payments failing at checkout\n',
          {
            headers: {
              'Content-Type': 'text/markdown; charset=utf-8',
              'Content-Disposition':
                'attachment; filename="postmortem-inc-1.md"',
            },
          },
        );
      }),
    );
    const createObjectURL = jest.fn(() => 'blob:export');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function mockClick(this: HTMLAnchorElement) {
        expect(this.download).toBe('postmortem-inc-1.md');
      });
    await renderView('INC-1');
    await userEvent.click(
      await screen.findByRole('button', { name: 'Download as Markdown' }),
    );
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(exports).toEqual([{ incidentId: 'incident-1', format: 'markdown' }]);
    click.mockRestore();
  });

  it('exports to the configured pages from the post-mortem view', async () => {
    const sent = answerWrite<{ target: string }>(
      server,
      'post',
      `${PM}/exports`,
      exportCreateBodySchema,
      ({ body }) => {
        const record = exportRecord({ target: body.target, version: 3 });
        state.exports['pm-1'] = [record];
        return HttpResponse.json(record, { status: 201 });
      },
    );
    await renderView('INC-1');
    const confluence = await screen.findByRole('group', {
      name: 'Confluence',
    });
    await userEvent.click(
      within(confluence).getByRole('button', { name: 'Export to Confluence' }),
    );
    expect(
      await within(confluence).findByRole('link', {
        name: /^Open in Confluence/,
      }),
    ).toBeInTheDocument();
    expect(
      within(confluence).getByRole('button', {
        name: 'Update Confluence page',
      }),
    ).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Notion' })).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Download as PDF' }),
    ).toBeInTheDocument();
    expect(sent.map(r => r.body)).toEqual([{ target: 'confluence' }]);
  });

  it('shows evidence cited by a section', async () => {
    await renderView('INC-1');
    const evidence = await within(
      await screen.findByRole('region', { name: 'Summary' }),
    ).findByRole('button', { name: 'Evidence (2)' });
    await userEvent.click(evidence);
    expect(
      screen.getByRole('list', { name: 'Evidence for Summary' }),
    ).toHaveTextContent('Payments failing with TLS handshake errors');
  });

  it('names the incident that could not be loaded', async () => {
    await renderView('INC-99');
    expect(
      await screen.findByText(/Incident INC-99 could not be loaded/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/No incident INC-99/).length).toBeGreaterThan(0);
  });
});
