import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { PostmortemTemplate } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { http, HttpResponse } from 'msw';
import { PostmortemSettings } from './PostmortemSettings';
import {
  builtinTemplates,
  customTemplate,
  errorBody,
  providerStatus,
  providerTestResult,
  templateList,
} from '../../__testUtils__/fixtures';
import {
  backendUrl,
  createTestClient,
  setupBackend,
} from '../../__testUtils__/msw';
import { renderWithApis } from '../../__testUtils__/renderWithApis';

jest.setTimeout(20_000);

const server = setupBackend();
const TEMPLATES = backendUrl('/v1/post-mortem-templates');
const PROVIDER = backendUrl('/v1/system/provider');

/**
 * The backend's templates: the list answers `templates` as it stands, so a
 * handler that answers a change also puts the changed template in it.
 */
let templates: PostmortemTemplate[];

function byId(id: string) {
  return templates.find(t => t.id === id)!;
}

beforeEach(() => {
  templates = builtinTemplates();
  server.use(
    http.get(TEMPLATES, () => HttpResponse.json(templateList(templates))),
    http.get(PROVIDER, () => HttpResponse.json(providerStatus())),
  );
});

async function setup() {
  await renderWithApis(<PostmortemSettings />, { api: createTestClient() });
  const table = await screen.findByRole('table', { name: 'Templates' });
  return { table };
}

function rowOf(table: HTMLElement, name: string) {
  const row = within(table)
    .getAllByRole('row')
    .find(r => r.textContent?.startsWith(name));
  if (!row) throw new Error(`No row ${name}`);
  return row;
}

describe('PostmortemSettings', () => {
  it('lists templates with the active and built-in ones marked', async () => {
    const { table } = await setup();
    const standard = rowOf(table, 'Standard');
    expect(within(standard).getByText('Active')).toBeInTheDocument();
    expect(within(standard).getByText('Built-in')).toBeInTheDocument();
    expect(
      within(standard).getByText(/Summary · Impact · Root cause/),
    ).toBeInTheDocument();
    // Built-ins can be viewed and copied, not edited or deleted.
    expect(
      within(standard).getByRole('button', { name: 'View Standard' }),
    ).toBeInTheDocument();
    expect(
      within(standard).queryByRole('button', { name: 'Edit Standard' }),
    ).not.toBeInTheDocument();
    expect(
      within(standard).queryByRole('button', { name: 'Delete Standard' }),
    ).not.toBeInTheDocument();
  });

  it('shows a built-in read-only and copies it into an editable template', async () => {
    const copied: string[] = [];
    server.use(
      http.post(`${TEMPLATES}/:id/copy`, ({ params }) => {
        copied.push(params.id as string);
        const copy = customTemplate(byId('short'), {
          id: 'short-copy',
          name: 'Short (copy)',
        });
        templates = [...templates, copy];
        return HttpResponse.json(copy, { status: 201 });
      }),
    );
    const { table } = await setup();
    await userEvent.click(
      within(rowOf(table, 'Short')).getByRole('button', { name: 'View Short' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Short' });
    expect(
      within(dialog).getByText(/Built-in templates cannot be changed/),
    ).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/^Name/)).toHaveAttribute('readonly');
    expect(
      within(dialog).queryByRole('button', { name: 'Save template' }),
    ).not.toBeInTheDocument();

    await userEvent.click(within(dialog).getByRole('button', { name: 'Copy' }));
    expect(copied).toEqual(['short']);
    // The copy opens for editing right away.
    const editor = await screen.findByRole('dialog', {
      name: 'Edit Short (copy)',
    });
    expect(within(editor).getByLabelText(/^Name/)).not.toHaveAttribute(
      'readonly',
    );
    await waitFor(() =>
      expect(within(table).getByText('Short (copy)')).toBeInTheDocument(),
    );
  });

  it('creates a template with ordered sections, questions, categories and reviewers', async () => {
    const created: unknown[] = [];
    server.use(
      http.post(TEMPLATES, async ({ request }) => {
        const body = (await request.json()) as Partial<PostmortemTemplate>;
        created.push(body);
        const template = customTemplate(byId('standard'), {
          id: 'security-incident',
          name: body.name!,
          description: body.description ?? '',
          sections: body.sections!.map((section, i) => ({
            ...section,
            key: `section_${i + 1}`,
          })),
          action_item_categories: body.action_item_categories ?? [],
        });
        templates = [...templates, template];
        return HttpResponse.json(template, { status: 201 });
      }),
    );
    const { table } = await setup();
    await userEvent.click(screen.getByRole('button', { name: 'New template' }));
    const dialog = await screen.findByRole('dialog', { name: 'New template' });

    fireEvent.change(within(dialog).getByLabelText(/^Name/), {
      target: { value: 'Security incident' },
    });
    fireEvent.change(within(dialog).getByLabelText(/^Description/), {
      target: { value: 'For breaches and leaks' },
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add section' }),
    );
    fireEvent.change(within(dialog).getByLabelText(/^Section 2 title/), {
      target: { value: 'Exposure' },
    });
    fireEvent.change(
      within(dialog).getByLabelText('Guiding questions for Exposure'),
      {
        target: { value: 'What data was exposed?\n\nTo whom?' },
      },
    );
    await userEvent.click(
      within(
        within(dialog).getByRole('listitem', { name: 'Section 2: Exposure' }),
      ).getByRole('checkbox', { name: 'Required' }),
    );
    // Exposure first.
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Move Exposure up' }),
    );
    fireEvent.change(within(dialog).getByLabelText(/^Action item categories/), {
      target: { value: 'containment, prevention ,' },
    });
    fireEvent.change(
      within(dialog).getByLabelText(/^Reviewers before publishing/),
      { target: { value: 'group:default/security, owners' } },
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Save template' }),
    );

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(created).toEqual([
      {
        name: 'Security incident',
        description: 'For breaches and leaks',
        sections: [
          {
            title: 'Exposure',
            required: true,
            guiding_questions: ['What data was exposed?', 'To whom?'],
          },
          { title: 'Summary', required: true, guiding_questions: [] },
        ],
        action_item_categories: ['containment', 'prevention'],
        reviewers: ['group:default/security', 'owners'],
      },
    ]);
    expect(
      await within(table).findByText('Security incident'),
    ).toBeInTheDocument();
  });

  it('edits a custom template keeping its section keys, sets it active and cannot delete the active one', async () => {
    const mine = customTemplate(byId('standard'), { id: 'ours', name: 'Ours' });
    templates = [...templates, mine];
    const updates: [string, Partial<PostmortemTemplate>][] = [];
    const activated: string[] = [];
    server.use(
      http.patch(`${TEMPLATES}/:id`, async ({ params, request }) => {
        const body = (await request.json()) as Partial<PostmortemTemplate>;
        updates.push([params.id as string, body]);
        const updated = customTemplate(mine, { ...mine, ...body });
        templates = templates.map(t => (t.id === updated.id ? updated : t));
        return HttpResponse.json(updated);
      }),
      http.post(`${TEMPLATES}/:id/activate`, ({ params }) => {
        activated.push(params.id as string);
        templates = templates.map(t => ({
          ...t,
          is_active: t.id === params.id,
        }));
        return HttpResponse.json(byId(params.id as string));
      }),
    );
    const { table } = await setup();

    await userEvent.click(
      within(rowOf(table, 'Ours')).getByRole('button', { name: 'Edit Ours' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Edit Ours' });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Remove Impact' }),
    );
    fireEvent.change(within(dialog).getByLabelText(/^Section 1 title/), {
      target: { value: 'Summary of events' },
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Save template' }),
    );

    await waitFor(() => expect(updates).toHaveLength(1));
    const [id, input] = updates[0];
    expect(id).toBe(mine.id);
    expect(input.sections?.map(s => [s.key, s.title])).toEqual([
      ['summary', 'Summary of events'],
      ['root_cause', 'Root cause'],
      ['lessons', 'What went well and what did not'],
    ]);
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );

    await userEvent.click(
      within(rowOf(table, 'Ours')).getByRole('button', {
        name: 'Set Ours active',
      }),
    );
    await waitFor(() => expect(activated).toEqual([mine.id]));
    await waitFor(() =>
      expect(
        within(rowOf(table, 'Ours')).getByText('Active'),
      ).toBeInTheDocument(),
    );
    expect(
      within(rowOf(table, 'Standard')).queryByText('Active'),
    ).not.toBeInTheDocument();
    expect(
      within(rowOf(table, 'Ours')).getByRole('button', { name: 'Delete Ours' }),
    ).toBeDisabled();
  });

  it('deletes a template after confirmation', async () => {
    templates = [
      ...templates,
      customTemplate(byId('short'), { id: 'old-one', name: 'Old one' }),
    ];
    const removed: string[] = [];
    server.use(
      http.delete(`${TEMPLATES}/:id`, ({ params }) => {
        removed.push(params.id as string);
        templates = templates.filter(t => t.id !== params.id);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { table } = await setup();
    await userEvent.click(
      within(rowOf(table, 'Old one')).getByRole('button', {
        name: 'Delete Old one',
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Delete Old one?',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete' }),
    );
    await waitFor(() =>
      expect(within(table).queryByText('Old one')).not.toBeInTheDocument(),
    );
    expect(removed).toEqual(['old-one']);
  });

  it('shows the model provider without its key and tests the connection', async () => {
    server.use(
      http.get(PROVIDER, () =>
        HttpResponse.json(
          providerStatus({
            provider: 'openai',
            model: 'gpt-4o-mini',
            base_url: 'api.openai.com',
          }),
        ),
      ),
      http.post(`${PROVIDER}/test`, () =>
        HttpResponse.json(
          providerTestResult(
            false,
            'The endpoint answered 401: invalid API key',
          ),
        ),
      ),
    );
    await setup();
    const provider = await screen.findByRole('table', {
      name: 'Model provider',
    });
    expect(
      within(provider).getByText('OpenAI-compatible model'),
    ).toBeInTheDocument();
    expect(within(provider).getByText('gpt-4o-mini')).toBeInTheDocument();
    expect(within(provider).getByText('api.openai.com')).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Test connection' }),
    );
    expect(
      await screen.findByText('The endpoint answered 401: invalid API key'),
    ).toBeInTheDocument();
  });

  it('says so when the provider cannot be read', async () => {
    server.use(
      http.get(PROVIDER, () =>
        HttpResponse.json(
          errorBody('not_found', 'No route GET /v1/system/provider'),
          { status: 404 },
        ),
      ),
    );
    await setup();
    expect(
      await screen.findAllByText(/No route GET \/v1\/system\/provider/),
    ).not.toHaveLength(0);
  });
});
