import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { PostmortemExportRecord } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { PostmortemExports } from './PostmortemExports';
import { PostmortemsApiError } from '../../api';
import {
  InMemoryData,
  InMemoryPostmortemsApi,
} from '../../__testUtils__/InMemoryPostmortemsApi';
import {
  createDemoData,
  makeExportTargets,
} from '../../__testUtils__/demoData';
import { renderWithApis } from '../../__testUtils__/renderWithApis';

jest.setTimeout(20_000);

function makeApi(change: Partial<InMemoryData> = {}) {
  return new InMemoryPostmortemsApi({ ...createDemoData(), ...change });
}

function renderExports(api: InMemoryPostmortemsApi, version = 3) {
  return renderWithApis(
    <PostmortemExports incidentId="incident-1" version={version} />,
    { api },
  );
}

async function target(name: string) {
  return screen.findByRole('group', { name });
}

describe('PostmortemExports', () => {
  it('exports to a page, links to it, and updates the same page next time', async () => {
    const api = makeApi();
    const original = api.exportToTarget.bind(api);
    const exportSpy = jest.spyOn(api, 'exportToTarget');
    // Holds the first export open so that its progress can be seen.
    let release!: () => void;
    const gate = new Promise<void>(resolve => {
      release = resolve;
    });
    exportSpy.mockImplementationOnce(async (incidentId, id) => {
      await gate;
      return original(incidentId, id);
    });
    await renderExports(api);

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
    const url = link.getAttribute('href');
    expect(url).toMatch(/^https:\/\/confluence\.example\.com\/pages\//);
    expect(confluence).toHaveTextContent(
      /Version 3 exported .* by user:default\/guest/,
    );

    await userEvent.click(
      within(confluence).getByRole('button', {
        name: 'Update Confluence page',
      }),
    );
    await waitFor(() => expect(exportSpy).toHaveBeenCalledTimes(2));
    expect(exportSpy).toHaveBeenLastCalledWith('incident-1', 'confluence');
    // The fake keeps one page per target: the update went to the same page.
    expect(Object.keys(api.exports['pm-1'])).toEqual(['confluence']);
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
    const record: PostmortemExportRecord = {
      target: 'notion',
      type: 'notion',
      external_id: 'abc123',
      url: 'https://notion.example.com/abc123',
      version: 2,
      exported_at: '2025-03-01T10:00:00Z',
      exported_by: 'user:default/jane.doe',
    };
    const api = makeApi();
    api.exports['pm-1'] = { notion: record };
    await renderExports(api, 4);

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
    const api = makeApi();
    jest
      .spyOn(api, 'exportToTarget')
      .mockRejectedValueOnce(
        new PostmortemsApiError(
          'Confluence refused the credentials of export target "confluence" (401)',
          { status: 502, code: 'export_unauthorized' },
        ),
      );
    await renderExports(api);
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
    await renderExports(makeApi({ exportTargets: [] }));
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
    const api = makeApi({
      exportTargets: makeExportTargets().filter(t => t.kind === 'file'),
    });
    const download = jest.spyOn(api, 'exportPostmortem');
    const createObjectURL = jest.fn(() => 'blob:export');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => undefined);
    await renderExports(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Download as PDF' }),
    );
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(download).toHaveBeenCalledWith('incident-1', 'pdf');
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
    const api = makeApi();
    jest
      .spyOn(api, 'listExportTargets')
      .mockRejectedValue(new Error('Request failed with 404 Not Found'));
    await renderExports(api);
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
