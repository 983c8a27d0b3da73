import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { PostmortemSearchResultListItem } from './PostmortemSearchResultListItem';

const result = {
  title: 'INC-1: Card payments failing at checkout',
  text: 'Card payments failed for 2 hours because a TLS certificate expired.',
  location: '/postmortems/incidents/INC-1',
  incident_reference: 'INC-1',
  severity: 'critical',
  services: [
    'component:default/checkout-api',
    'component:default/payments-service',
  ],
  published_at: '2025-03-12T10:00:00Z',
  root_cause: 'A manually renewed certificate.',
};

describe('PostmortemSearchResultListItem', () => {
  it('shows title, incident, severity, services, date and the highlighted snippet', async () => {
    await renderInTestApp(
      <PostmortemSearchResultListItem
        result={result}
        highlight={{
          preTag: '<mark>',
          postTag: '</mark>',
          fields: {
            text: 'failed because a <mark>TLS certificate</mark> expired',
          },
        }}
      />,
    );
    expect(
      screen.getByRole('link', {
        name: 'INC-1: Card payments failing at checkout',
      }),
    ).toHaveAttribute('href', '/postmortems/incidents/INC-1');
    expect(screen.getByText('INC-1')).toBeInTheDocument();
    expect(screen.getByText('Critical')).toBeInTheDocument();
    expect(screen.getByText('Service: checkout-api')).toBeInTheDocument();
    expect(screen.getByText('Service: payments-service')).toBeInTheDocument();
    expect(screen.getByText(/^Published /)).toHaveTextContent('2025');
    // The matching words are highlighted, the raw tags are not shown.
    const highlighted = screen.getByText('TLS certificate');
    expect(highlighted.tagName).toBe('MARK');
    expect(screen.queryByText(/<mark>/)).not.toBeInTheDocument();
  });

  it('highlights the title and falls back to the root cause without a text highlight', async () => {
    await renderInTestApp(
      <PostmortemSearchResultListItem
        result={result}
        highlight={{
          preTag: '<b>',
          postTag: '</b>',
          fields: { title: 'INC-1: <b>Card</b> payments failing at checkout' },
        }}
      />,
    );
    expect(screen.getByText('Card').tagName).toBe('MARK');
    expect(
      screen.getByText('A manually renewed certificate.'),
    ).toBeInTheDocument();
  });

  it('renders nothing without a result', async () => {
    const { container } = await renderInTestApp(
      <div data-testid="host">
        <PostmortemSearchResultListItem />
      </div>,
    );
    expect(
      container.querySelector('[data-testid="host"]'),
    ).toBeEmptyDOMElement();
  });
});
