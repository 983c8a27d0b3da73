import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { GenerationJob } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { IncidentPostmortem } from './IncidentPostmortem';
import { InMemoryPostmortemsApi } from '../../__testUtils__/InMemoryPostmortemsApi';
import { createDemoData } from '../../__testUtils__/demoData';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { DRAFTS_BUCKET, readSectionDraft } from '../../domain/localDrafts';
import { PostmortemsApiError } from '../../api';
import { MockStorageApi } from '@backstage/test-utils';

// One storage per test, shared by its renders so that a draft outlives a
// remount the way it outlives a reload.
let storage: MockStorageApi;

function drafts() {
  return storage.forBucket(DRAFTS_BUCKET);
}

function renderView(api: InMemoryPostmortemsApi, incidentId: string) {
  return renderWithApis(<IncidentPostmortem incidentId={incidentId} />, {
    api,
    storage,
  });
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

jest.setTimeout(20_000);

beforeEach(() => {
  storage = MockStorageApi.create();
});

describe('IncidentPostmortem', () => {
  it('shows the incident header with severity, duration, commander and services', async () => {
    const api = new InMemoryPostmortemsApi(createDemoData());
    await renderView(api, 'INC-1');

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
      const api = new InMemoryPostmortemsApi(createDemoData());
      const generate = jest.spyOn(api, 'generatePostmortem');
      const realWatch = api.watchGenerationJob.bind(api);
      let release: () => void = () => {};
      const gate = new Promise<void>(resolve => {
        release = resolve;
      });
      jest
        .spyOn(api, 'watchGenerationJob')
        .mockImplementation(async (jobId, options) => {
          // The first section arrives, then the job waits until the test says so.
          options?.onStatus?.({
            ...(await api.getGenerationJob(jobId)),
            status: 'running',
            sections_done: ['summary'],
          } as GenerationJob);
          options?.onSection?.({
            key: 'summary',
            title: 'Summary',
            markdown: 'Search got **slow** after the rebuild.',
          });
          await gate;
          return realWatch(jobId, options);
        });

      await renderView(api, 'INC-3');
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
      expect(generate).toHaveBeenCalledWith('incident-3', {
        templateId: 'standard',
      });

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
    });

    it('explains a failed generation in words and offers to try again', async () => {
      const api = new InMemoryPostmortemsApi(createDemoData());
      jest.spyOn(api, 'watchGenerationJob').mockImplementation(async jobId => ({
        ...(await api.getGenerationJob(jobId)),
        status: 'failed',
        error: 'The model provider answered 429: rate limited',
      }));
      await renderView(api, 'INC-3');
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
      const api = new InMemoryPostmortemsApi(createDemoData());
      await renderView(api, 'INC-4');
      expect(
        await screen.findByText(/INC-4 is still triggered/),
      ).toBeInTheDocument();
      expect(
        screen.getByRole('button', { name: 'Generate Post-Mortem' }),
      ).toBeDisabled();
      expect(screen.getByRole('button', { name: 'Start blank' })).toBeEnabled();
    });

    it('starts a blank draft from the selected template', async () => {
      const api = new InMemoryPostmortemsApi(createDemoData());
      const create = jest.spyOn(api, 'createPostmortem');
      await renderView(api, 'INC-3');

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
      expect(create).toHaveBeenCalledWith('incident-3', {
        templateId: 'short',
      });
      expect(screen.getAllByText('This section is empty.')).toHaveLength(2);
    });
  });

  describe('editing', () => {
    it('saves a section with the version it was based on and clears the local copy', async () => {
      const api = new InMemoryPostmortemsApi(createDemoData());
      const update = jest.spyOn(api, 'updatePostmortem');
      await renderView(api, 'INC-1');

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
      expect(update).toHaveBeenCalledWith('incident-1', {
        version: 3,
        sections: expect.arrayContaining([
          {
            key: 'summary',
            title: 'Summary',
            markdown: 'The certificate **expired**.',
          },
          expect.objectContaining({ key: 'root_cause' }),
        ]),
      });
      expect(
        within(section('Summary')).getByText('expired'),
      ).toBeInTheDocument();
      expect(screen.getByText(/^Version 4/)).toBeInTheDocument();
      expect(
        readSectionDraft(drafts(), 'incident-1', 'summary'),
      ).toBeUndefined();
    });

    it('on a conflicting save shows both versions and keeps the local text until merged', async () => {
      const api = new InMemoryPostmortemsApi(createDemoData());
      await renderView(api, 'INC-1');
      const editor = await openEditor('Summary');
      setText(editor, 'My careful summary.');

      // Someone else saves the same section meanwhile.
      const theirs = await api.getPostmortem('INC-1');
      api.user = 'user:default/bob';
      await api.updatePostmortem('INC-1', {
        version: theirs.version,
        sections: theirs.sections.map(s =>
          s.key === 'summary' ? { ...s, markdown: 'Bob’s summary.' } : s,
        ),
      });
      const update = jest.spyOn(api, 'updatePostmortem');

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
      expect(update).toHaveBeenLastCalledWith(
        'incident-1',
        expect.objectContaining({ version: 4 }),
      );
      const saved = await api.getPostmortem('INC-1');
      expect(saved.sections[0].markdown).toBe(
        'My careful summary. Also: Bob’s summary.',
      );
      expect(saved.version).toBe(5);
      expect(
        readSectionDraft(drafts(), 'incident-1', 'summary'),
      ).toBeUndefined();
    });

    it('keeps editing the local text when the merge dialog is left open-ended', async () => {
      const api = new InMemoryPostmortemsApi(createDemoData());
      await renderView(api, 'INC-1');
      const editor = await openEditor('Root cause');
      appendText(editor, ' Mine.');
      const mine = (editor as HTMLTextAreaElement).value;
      expect(mine).toMatch(/ Mine\.$/);
      const current = await api.getPostmortem('INC-1');
      await api.updatePostmortem('INC-1', {
        version: current.version,
        sections: current.sections.map(s =>
          s.key === 'root_cause' ? { ...s, markdown: 'Theirs.' } : s,
        ),
      });

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
      await waitFor(async () =>
        expect(
          (
            await api.getPostmortem('INC-1')
          ).sections.find(s => s.key === 'root_cause')?.markdown,
        ).toBe(mine),
      );
    });

    it('re-applies a section on top of changes to other sections without asking', async () => {
      const api = new InMemoryPostmortemsApi(createDemoData());
      await renderView(api, 'INC-1');
      const editor = await openEditor('Summary');
      appendText(editor, ' More.');
      const current = await api.getPostmortem('INC-1');
      await api.updatePostmortem('INC-1', {
        version: current.version,
        sections: current.sections.map(s =>
          s.key === 'impact'
            ? { ...s, markdown: 'Impact by someone else.' }
            : s,
        ),
      });

      await userEvent.click(screen.getByRole('button', { name: 'Save' }));

      expect(
        await screen.findByText(/Saved on top of version 4/),
      ).toBeInTheDocument();
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
      const saved = await api.getPostmortem('INC-1');
      expect(saved.sections.map(s => s.markdown)).toEqual([
        expect.stringMatching(/More\.$/),
        'Impact by someone else.',
        expect.any(String),
      ]);
    });

    it('keeps the text after a failed save and restores it after a reload', async () => {
      const api = new InMemoryPostmortemsApi(createDemoData());
      const first = await renderView(api, 'INC-1');
      const editor = await openEditor('Summary');
      setText(editor, 'Typed before the network broke.');
      jest.spyOn(api, 'updatePostmortem').mockRejectedValueOnce(
        new PostmortemsApiError('The database is read-only', {
          status: 503,
          code: 'service_unavailable',
        }),
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
      await renderView(api, 'INC-1');
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
      expect((await api.getPostmortem('INC-1')).sections[0].markdown).toBe(
        'Typed before the network broke.',
      );
    });

    it('regenerates one section and shows the new text', async () => {
      const api = new InMemoryPostmortemsApi(createDemoData());
      const regenerate = jest.spyOn(api, 'regenerateSection');
      await renderView(api, 'INC-1');
      await userEvent.click(
        await screen.findByRole('button', { name: 'Regenerate Root cause' }),
      );
      expect(
        await within(section('Root cause')).findByText(/\(rewritten\)/),
      ).toBeInTheDocument();
      expect(regenerate).toHaveBeenCalledWith('incident-1', 'root_cause');
    });
  });

  describe('publishing', () => {
    it('asks for confirmation, shows the findings the backend refuses on, and publishes anyway', async () => {
      const api = new InMemoryPostmortemsApi(createDemoData());
      const update = jest.spyOn(api, 'updatePostmortem');
      await renderView(api, 'INC-2');

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
      expect(update).toHaveBeenLastCalledWith('incident-2', {
        status: 'published',
        version: 3,
      });

      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Publish anyway' }),
      );
      await waitFor(() =>
        expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
      );
      expect(update).toHaveBeenLastCalledWith('incident-2', {
        status: 'published',
        version: 3,
        override_findings: true,
      });
      expect(screen.getByText('Published')).toBeInTheDocument();
      expect(
        screen.getByRole('button', { name: 'Unpublish' }),
      ).toBeInTheDocument();
    });

    it('does nothing when the confirmation is cancelled', async () => {
      const api = new InMemoryPostmortemsApi(createDemoData());
      const update = jest.spyOn(api, 'updatePostmortem');
      await renderView(api, 'INC-1');
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
      expect(update).not.toHaveBeenCalled();
      expect(screen.getByText('Published')).toBeInTheDocument();
    });
  });

  it('compares a revision with the current version and restores it', async () => {
    const api = new InMemoryPostmortemsApi(createDemoData());
    await renderView(api, 'INC-1');
    const editor = await openEditor('Summary');
    setText(editor, 'Rewritten summary.');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Rewritten summary.');

    const revisions = await screen.findByRole('table', { name: 'Revisions' });
    await waitFor(() =>
      expect(within(revisions).getByText('4 (current)')).toBeInTheDocument(),
    );
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
  });

  it('adds a comment and deletes only ones own', async () => {
    const api = new InMemoryPostmortemsApi(createDemoData());
    await renderView(api, 'INC-1');
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
  });

  it('downloads the Markdown export through the API', async () => {
    const api = new InMemoryPostmortemsApi(createDemoData());
    const exportSpy = jest.spyOn(api, 'exportPostmortem');
    const createObjectURL = jest.fn(() => 'blob:export');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function mockClick(this: HTMLAnchorElement) {
        expect(this.download).toBe('postmortem-inc-1.md');
      });
    await renderView(api, 'INC-1');
    await userEvent.click(
      await screen.findByRole('button', { name: 'Download as Markdown' }),
    );
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(exportSpy).toHaveBeenCalledWith('incident-1', 'markdown');
    click.mockRestore();
  });

  it('exports to the configured pages from the post-mortem view', async () => {
    const api = new InMemoryPostmortemsApi(createDemoData());
    await renderView(api, 'INC-1');
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
  });

  it('shows evidence cited by a section', async () => {
    const api = new InMemoryPostmortemsApi(createDemoData());
    await renderView(api, 'INC-1');
    const evidence = await within(
      await screen.findByRole('region', { name: 'Summary' }),
    ).findByRole('button', { name: 'Evidence (2)' });
    await userEvent.click(evidence);
    expect(
      screen.getByRole('list', { name: 'Evidence for Summary' }),
    ).toHaveTextContent('Payments failing with TLS handshake errors');
  });

  it('names the incident that could not be loaded', async () => {
    const api = new InMemoryPostmortemsApi(createDemoData());
    await renderView(api, 'INC-99');
    expect(
      await screen.findByText(/Incident INC-99 could not be loaded/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/No incident INC-99/).length).toBeGreaterThan(0);
  });
});
