import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PostmortemSettings } from './PostmortemSettings';
import { InMemoryPostmortemsApi } from '../../__testUtils__/InMemoryPostmortemsApi';
import { createDemoData } from '../../__testUtils__/demoData';
import { renderWithApis } from '../../__testUtils__/renderWithApis';

jest.setTimeout(20_000);

async function setup(api = new InMemoryPostmortemsApi(createDemoData())) {
  await renderWithApis(<PostmortemSettings />, { api });
  const table = await screen.findByRole('table', { name: 'Templates' });
  return { api, table };
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
    const { api, table } = await setup();
    const copy = jest.spyOn(api, 'copyTemplate');
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
    expect(copy).toHaveBeenCalledWith('short');
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

  it('creates a template with ordered sections, questions and categories', async () => {
    const { api, table } = await setup();
    const create = jest.spyOn(api, 'createTemplate');
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
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Save template' }),
    );

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(create).toHaveBeenCalledWith({
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
    });
    expect(
      await within(table).findByText('Security incident'),
    ).toBeInTheDocument();
  });

  it('edits a custom template keeping its section keys, sets it active and cannot delete the active one', async () => {
    const api = new InMemoryPostmortemsApi(createDemoData());
    const mine = await api.copyTemplate('standard', 'Ours');
    const update = jest.spyOn(api, 'updateTemplate');
    const activate = jest.spyOn(api, 'activateTemplate');
    const { table } = await setup(api);

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

    await waitFor(() => expect(update).toHaveBeenCalled());
    const [id, input] = update.mock.calls[0];
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
    await waitFor(() => expect(activate).toHaveBeenCalledWith(mine.id));
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
    const api = new InMemoryPostmortemsApi(createDemoData());
    await api.copyTemplate('short', 'Old one');
    const remove = jest.spyOn(api, 'deleteTemplate');
    const { table } = await setup(api);
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
    expect(remove).toHaveBeenCalled();
  });

  it('shows the model provider without its key and tests the connection', async () => {
    const api = new InMemoryPostmortemsApi({
      ...createDemoData(),
      provider: {
        provider: 'openai',
        model: 'gpt-4o-mini',
        base_url: 'api.openai.com',
        configured: true,
      },
    });
    jest.spyOn(api, 'testProvider').mockResolvedValue({
      ok: false,
      message: 'The endpoint answered 401: invalid API key',
    });
    await setup(api);
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
    const api = new InMemoryPostmortemsApi(createDemoData());
    jest
      .spyOn(api, 'getProviderStatus')
      .mockRejectedValue(new Error('No route GET /v1/system/provider'));
    await setup(api);
    expect(
      await screen.findAllByText(/No route GET \/v1\/system\/provider/),
    ).not.toHaveLength(0);
  });
});
