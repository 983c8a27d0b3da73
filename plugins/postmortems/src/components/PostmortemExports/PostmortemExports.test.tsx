import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { PostmortemExports } from './PostmortemExports';
import { makeExportTargets } from '../../__testUtils__/demoData';
import {
  errorBody,
  exportRecord,
  exportRecordList,
  exportTargetList,
} from '../../__testUtils__/fixtures';
import {
  backendUrl,
  createTestClient,
  setupBackend,
} from '../../__testUtils__/msw';
import { renderWithApis } from '../../__testUtils__/renderWithApis';

jest.setTimeout(20_000);

const server = setupBackend();

const EXPORTS = backendUrl('/v1/incidents/incident-1/postmortem/exports');

/** The backend's configured targets and the post-mortem's past exports. */
function answerLists(
  targets = exportTargetList(),
  records = exportRecordList([]),
) {
  server.use(
    http.get(backendUrl('/v1/export-targets'), () =>
      HttpResponse.json(targets),
    ),
    http.get(EXPORTS, () => HttpResponse.json(records)),
  );
}

function renderExports(version = 3) {
  return renderWithApis(
    <PostmortemExports incidentId="incident-1" version={version} />,
    { api: createTestClient() },
  );
}

async function target(name: string) {
  return screen.findByRole('group', { name });
}

describe('PostmortemExports', () => {
  it('exports to a page, links to it, and updates the same page next time', async () => {
    answerLists();
    const url = 'https://confluence.example.com/pages/4711';
    const sent: unknown[] = [];
    // Holds the first export open so that its progress can be seen.
    let release!: () => void;
    const gate = new Promise<void>(resolve => {
      release = resolve;
    });
    server.use(
      http.post(EXPORTS, async ({ request }) => {
        sent.push(await request.json());
        if (sent.length === 1) await gate;
        return HttpResponse.json(
          exportRecord({ target: 'confluence', url, version: 3 }),
          { status: 201 },
        );
      }),
    );
    await renderExports();

    const confluence = await target('Confluence');
    await userEvent.click(
      within(confluence).getByRole('button', { name: 'Export to Confluence' }),
    );
    expect(within(confluence).getByRole('status')).toHaveTextContent(
      'Exporting to Confluence…',
    );
    expect(
      within(confluence).getByRole('button', { name: /Confluence/ }),
    ).toBeDisabled();
    release();

    const link = await within(confluence).findByRole('link', {
      name: /^Open in Confluence/,
    });
    expect(link).toHaveAttribute('href', url);
    expect(confluence).toHaveTextContent(
      /Version 3 exported .* by user:default\/guest/,
    );

    await userEvent.click(
      within(confluence).getByRole('button', {
        name: 'Update Confluence page',
      }),
    );
    await waitFor(() => expect(sent).toHaveLength(2));
    expect(sent).toEqual([{ target: 'confluence' }, { target: 'confluence' }]);
    await waitFor(() =>
      expect(
        within(confluence).getByRole('link', { name: /^Open in Confluence/ }),
      ).toHaveAttribute('href', url),
    );
    // Notion was left alone.
    expect(
      within(await target('Notion')).getByRole('button', {
        name: 'Export to Notion',
      }),
    ).toBeInTheDocument();
  });

  it('shows the last export of each page and says when the page is behind', async () => {
    answerLists(
      exportTargetList(),
      exportRecordList([
        exportRecord({
          target: 'notion',
          external_id: 'abc123',
          url: 'https://notion.example.com/abc123',
          version: 2,
          exported_by: 'user:default/jane.doe',
        }),
      ]),
    );
    await renderExports(4);

    const notion = await target('Notion');
    expect(
      await within(notion).findByRole('button', { name: 'Update Notion page' }),
    ).toBeInTheDocument();
    expect(
      within(notion).getByRole('link', { name: /^Open in Notion/ }),
    ).toHaveAttribute('href', 'https://notion.example.com/abc123');
    expect(notion).toHaveTextContent(
      /Version 2 exported .* by user:default\/jane\.doe · the post-mortem is now at version 4/,
    );
    expect(
      within(await target('Confluence')).getByRole('button', {
        name: 'Export to Confluence',
      }),
    ).toBeInTheDocument();
  });

  it("shows the target's refusal in its own words, and the other targets still work", async () => {
    answerLists();
    server.use(
      http.post(EXPORTS, async ({ request }) => {
        const { target: id } = (await request.json()) as { target: string };
        if (id === 'confluence') {
          return HttpResponse.json(
            errorBody(
              'export_unauthorized',
              'Confluence refused the credentials of export target "confluence" (401)',
            ),
            { status: 502 },
          );
        }
        return HttpResponse.json(exportRecord({ target: id, version: 3 }), {
          status: 201,
        });
      }),
    );
    await renderExports();
    const confluence = await target('Confluence');
    await userEvent.click(
      within(confluence).getByRole('button', { name: 'Export to Confluence' }),
    );
    expect(await within(confluence).findByRole('alert')).toHaveTextContent(
      'Export to Confluence failed: Confluence refused the credentials of export target "confluence" (401)',
    );
    // Nothing was exported, so there is no page to open yet.
    expect(
      within(confluence).queryByRole('link', { name: /^Open in Confluence/ }),
    ).not.toBeInTheDocument();

    const notion = await target('Notion');
    await userEvent.click(
      within(notion).getByRole('button', { name: 'Export to Notion' }),
    );
    expect(
      await within(notion).findByRole('link', { name: /^Open in Notion/ }),
    ).toBeInTheDocument();
    expect(within(notion).queryByRole('alert')).not.toBeInTheDocument();
  });

  it('offers only the downloads when no target is configured', async () => {
    answerLists(exportTargetList([]));
    await renderExports();
    expect(
      await screen.findByRole('button', { name: 'Download as Markdown' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Download as JSON' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Download as PDF' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /^Export to/ }),
    ).not.toBeInTheDocument();
  });

  it('downloads a PDF when the PDF target is configured', async () => {
    answerLists(
      exportTargetList(makeExportTargets().filter(t => t.kind === 'file')),
    );
    const formats: (string | null)[] = [];
    server.use(
      http.get(
        backendUrl('/v1/incidents/incident-1/postmortem/export'),
        ({ request }) => {
          formats.push(new URL(request.url).searchParams.get('format'));
          return new HttpResponse('%PDF-1.4', {
            headers: {
              'Content-Type': 'application/pdf',
              'Content-Disposition': 'attachment; filename="inc-1.pdf"',
            },
          });
        },
      ),
    );
    const createObjectURL = jest.fn(() => 'blob:export');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => undefined);
    await renderExports();

    await userEvent.click(
      await screen.findByRole('button', { name: 'Download as PDF' }),
    );
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(formats).toEqual(['pdf']);
    // The Markdown target is the Markdown download, not a second button.
    expect(
      screen.getAllByRole('button', { name: 'Download as Markdown' }),
    ).toHaveLength(1);
    expect(
      screen.queryByRole('button', { name: /^Export to/ }),
    ).not.toBeInTheDocument();
    click.mockRestore();
  });

  it('still offers the downloads when the targets cannot be read', async () => {
    answerLists();
    server.use(
      http.get(
        backendUrl('/v1/export-targets'),
        () => new HttpResponse(null, { status: 404, statusText: 'Not Found' }),
      ),
    );
    await renderExports();
    expect(
      await screen.findByText(
        'Export targets could not be loaded: Request failed with 404 Not Found',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Download as Markdown' }),
    ).toBeInTheDocument();
  });
});
