import { PostmortemMarkdown } from './PostmortemMarkdown';
import { createTestClient, setupBackend } from '../../__testUtils__/msw';
import { renderWithApis } from '../../__testUtils__/renderWithApis';

setupBackend();

const CONTENT = [
  '![pixel](https://tracker.example.net/p.gif)',
  '',
  '<img src="https://tracker.example.net/raw.gif" alt="raw">',
  '',
  '![diagram](https://wiki.example.com/diagram.png)',
  '',
  '![local](/static/local.png)',
].join('\n');

function sources(container: HTMLElement) {
  return Array.from(container.querySelectorAll('img')).map(img => ({
    alt: img.getAttribute('alt'),
    src: img.getAttribute('src') ?? '',
  }));
}

describe('PostmortemMarkdown', () => {
  it('loads images only from the portal and the allowed hosts', async () => {
    const { container } = await renderWithApis(
      <PostmortemMarkdown content={CONTENT} />,
      {
        api: createTestClient(),
        config: {
          postmortems: { images: { allowedHosts: ['*.example.com'] } },
        },
      },
    );
    const shown = sources(container);
    expect(shown.map(i => i.alt)).toEqual(['pixel', 'raw', 'diagram', 'local']);
    // Markdown images and raw <img> tags alike become placeholders.
    expect(shown[0].src).toMatch(/^data:image\/svg\+xml/);
    expect(shown[1].src).toMatch(/^data:image\/svg\+xml/);
    expect(shown[2].src).toBe('https://wiki.example.com/diagram.png');
    expect(shown[3].src).toBe('/static/local.png');
    expect(container.innerHTML).not.toContain('tracker.example.net/');
  });

  it('loads no remote image when no host is allowed', async () => {
    const { container } = await renderWithApis(
      <PostmortemMarkdown content={CONTENT} />,
      { api: createTestClient() },
    );
    const remote = sources(container).filter(i => /^https?:/.test(i.src));
    expect(remote).toEqual([]);
  });
});
