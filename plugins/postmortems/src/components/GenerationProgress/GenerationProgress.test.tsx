import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { GenerationProgress } from './GenerationProgress';

describe('GenerationProgress', () => {
  it('shows a section being written without ticking it off', async () => {
    await renderInTestApp(
      <GenerationProgress
        job={
          {
            id: 'job-1',
            status: 'running',
            sections_done: ['summary'],
          } as any
        }
        expected={[
          { key: 'summary', title: 'Summary' },
          { key: 'root_cause', title: 'Root cause' },
          { key: 'resolution', title: 'Resolution' },
        ]}
        sections={[
          { key: 'summary', title: 'Summary', markdown: 'Checkout failed.' },
          {
            key: 'root_cause',
            title: 'Root cause',
            markdown: 'The certificate bundle',
            done: false,
          },
        ]}
      />,
    );
    expect(
      screen.getByText('Writing the draft: 1 of 3 sections done…'),
    ).toBeInTheDocument();
    const rows = within(
      screen.getByRole('list', { name: 'Sections' }),
    ).getAllByRole('listitem');
    expect(within(rows[0]).getByTitle('Done')).toBeInTheDocument();
    expect(within(rows[1]).getByTitle('Pending')).toBeInTheDocument();
    expect(
      within(rows[1]).getByText('The certificate bundle'),
    ).toBeInTheDocument();
    expect(within(rows[2]).getByTitle('Pending')).toBeInTheDocument();
  });
});
