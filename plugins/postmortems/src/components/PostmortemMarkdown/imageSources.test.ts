import { imageSource, isAllowedHost } from './imageSources';

const origin = 'http://localhost:3000';
const allowedHosts = ['wiki.example.com', '*.cdn.example.org'];
const source = (src: string) => imageSource(src, { origin, allowedHosts });

describe('imageSource', () => {
  it('keeps images of the portal itself', () => {
    expect(source('/static/diagram.png')).toBe('/static/diagram.png');
    expect(source('diagram.png')).toBe('diagram.png');
    expect(source('http://localhost:3000/a.png')).toBe(
      'http://localhost:3000/a.png',
    );
  });

  it('keeps images of allowed hosts, wildcards covering subdomains', () => {
    expect(source('https://wiki.example.com/a.png')).toBe(
      'https://wiki.example.com/a.png',
    );
    expect(source('https://img.cdn.example.org/a.png')).toBe(
      'https://img.cdn.example.org/a.png',
    );
    expect(isAllowedHost('cdn.example.org', allowedHosts)).toBe(false);
    expect(isAllowedHost('evilwiki.example.com', allowedHosts)).toBe(false);
  });

  it('replaces other hosts by a placeholder naming the host, which loads nothing', () => {
    const shown = source('https://tracker.example.net/pixel.gif?u=jane');
    expect(shown.startsWith('data:image/svg+xml')).toBe(true);
    expect(decodeURIComponent(shown)).toContain(
      'Image from tracker.example.net not loaded',
    );
    // Another port of the portal's host is another origin.
    expect(source('http://localhost:7007/x.gif')).toMatch(/^data:/);
  });

  it('escapes the host in the placeholder', () => {
    const shown = decodeURIComponent(source('https://a&b.example.net/x.gif'));
    expect(shown).not.toContain('a&b');
  });

  it('shows nothing for sources that are not web addresses', () => {
    // eslint-disable-next-line no-script-url
    expect(source('javascript:alert(1)')).toBe('');
    expect(source('data:image/svg+xml,<svg onload=alert(1)>')).toBe('');
    expect(source('file:///etc/passwd')).toBe('');
    expect(source('http://[::1')).toBe('');
  });
});
