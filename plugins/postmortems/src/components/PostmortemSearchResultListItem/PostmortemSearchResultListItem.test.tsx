import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  MockSearchApi,
  SearchContextProvider,
  searchApiRef,
} from '@backstage/plugin-search-react';
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

  describe('the snippet around the match', () => {
    const long = {
      ...result,
      text: `Summary ${'Card payments failed for two hours. '.repeat(
        12,
      )}Root cause The card processor rejected an expired TLS certificate <img src=x onerror=alert(1)> at 09:12. ${'Nothing else changed that day. '.repeat(
        12,
      )}`,
    };

    /** Renders the item on a search page whose term is `term`. */
    const inSearch = (
      term: string,
      highlight?: Parameters<
        typeof PostmortemSearchResultListItem
      >[0]['highlight'],
    ) =>
      renderInTestApp(
        <TestApiProvider apis={[[searchApiRef, new MockSearchApi()]]}>
          <SearchContextProvider
            initialState={{ term, types: [], filters: {} }}
          >
            <PostmortemSearchResultListItem
              result={long}
              highlight={highlight}
            />
          </SearchContextProvider>
        </TestApiProvider>,
      );

    /** The snippet, with the marked words in brackets. */
    function snippetText() {
      const snippet = screen.getByText(
        (_content, element) =>
          Boolean(element?.textContent?.includes('Root cause')) &&
          element?.tagName === 'SPAN',
      );
      return [...snippet.childNodes]
        .map(node =>
          node.nodeName === 'MARK' ? `[${node.textContent}]` : node.textContent,
        )
        .join('');
    }

    it('starts at the searched words and marks them when the engine gives no highlight', async () => {
      await inSearch('expired certificates');
      const snippet = snippetText();
      expect(snippet).toMatch(/^…/);
      expect(snippet).toContain(
        'rejected an [expired] TLS [certificate] <img src=x onerror=alert(1)> at 09:12.',
      );
      expect(snippet).not.toContain('Summary');
      // The document's markup is text, never HTML.
      expect(document.querySelector('img[src="x"]')).toBeNull();
      // The title has none of the words: unmarked.
      expect(
        screen.getByRole('link', { name: result.title }).querySelector('mark'),
      ).toBeNull();
    });

    it('keeps the part of a long engine highlight around its first match', async () => {
      await inSearch('tls', {
        preTag: '<<m>>',
        postTag: '<</m>>',
        fields: { text: long.text.replace('TLS', '<<m>>TLS<</m>>') },
      });
      const snippet = snippetText();
      expect(snippet).toMatch(/^…/);
      expect(snippet).toContain('expired [TLS] certificate');
      expect(snippet).not.toContain('<<m>>');
      expect(snippet.length).toBeLessThan(260);
    });

    it('shows the root cause when the term is not in the text', async () => {
      await inSearch('database');
      expect(
        screen.getByText('A manually renewed certificate.'),
      ).toBeInTheDocument();
    });
  });
});
