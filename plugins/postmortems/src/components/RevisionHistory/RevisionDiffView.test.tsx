import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import { RevisionDiffView } from './RevisionDiffView';

const lines = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix} ${i + 1}\n`).join('');

describe('RevisionDiffView', () => {
  it('folds long unchanged runs around a change and unfolds them on request', async () => {
    await renderInTestApp(
      <RevisionDiffView
        diff={{
          from: 2,
          to: 3,
          changes: [
            { kind: 'unchanged', text: lines('before', 20) },
            { kind: 'removed', text: 'old line\n' },
            { kind: 'added', text: 'new line\n' },
            { kind: 'unchanged', text: lines('after', 20) },
          ],
        }}
      />,
    );
    const table = screen.getByRole('table', {
      name: 'Changes from version 2 to version 3',
    });
    expect(within(table).getByText('old line')).toHaveAttribute(
      'data-change',
      'removed',
    );
    expect(within(table).getByText('new line')).toHaveAttribute(
      'data-change',
      'added',
    );
    // Three lines of context on each side of the change stay visible.
    expect(within(table).getAllByText('before 18')).toHaveLength(2);
    expect(within(table).queryByText('before 17')).not.toBeInTheDocument();
    expect(within(table).getAllByText('after 3')).toHaveLength(2);
    expect(within(table).queryByText('after 4')).not.toBeInTheDocument();

    const folds = within(table).getAllByRole('button', {
      name: 'Show 17 unchanged lines',
    });
    expect(folds).toHaveLength(2);
    await userEvent.click(folds[0]);
    expect(within(table).getAllByText('before 1')).toHaveLength(2);
    expect(within(table).queryByText('after 20')).not.toBeInTheDocument();
  });

  it('says so when only the status changed', async () => {
    await renderInTestApp(
      <RevisionDiffView
        diff={{
          from: 4,
          to: 5,
          changes: [{ kind: 'unchanged', text: lines('x', 50) }],
        }}
      />,
    );
    expect(screen.getByRole('status')).toHaveTextContent(
      'The content of version 4 and version 5 is the same',
    );
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });
});
