// Shared set-up of the end-to-end tests: Debian's Chromium driven by
// playwright-core, and a folder for the screenshots each step keeps.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const baseUrl = process.env.E2E_BASE_URL ?? 'http://localhost:7107';
export const screenshots =
  process.env.E2E_SCREENSHOTS ?? join(tmpdir(), 'postmortems-e2e');
mkdirSync(screenshots, { recursive: true });

export function launch() {
  // Playwright gives each launch a fresh, empty profile of its own.
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A page that records every 5xx answer of the backend, signed in as guest. */
export async function signedInPage(browser, path) {
  const page = await browser.newPage({
    viewport: { width: 1400, height: 1000 },
  });
  page.serverErrors = [];
  page.on('response', response => {
    if (response.url().includes('/api/') && response.status() >= 500) {
      page.serverErrors.push(`${response.status()} ${response.url()}`);
    }
  });
  await page.goto(`${baseUrl}${path}`);
  await page.getByRole('button', { name: 'Enter' }).click({ timeout: 30_000 });
  return page;
}

export async function shot(page, name) {
  await page.screenshot({
    path: join(screenshots, `${name}.png`),
    fullPage: false,
  });
}

// axe-core, injected into pages by runAxe. Resolved from the root package's
// devDependencies. It is evaluated through the DevTools protocol rather than
// added as a <script>: the app's Content-Security-Policy refuses inline scripts.
const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/** The WCAG 2.0 A/AA and 2.1 A/AA rules: what an AA conformance review runs. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe over the whole page and sorts each violating node into the
 * plugin's DOM or the rest (Backstage's sidebar, header, tabs, search page).
 * `pluginRoots` are CSS selectors of the plugin's elements on this screen;
 * MUI's portals (menus, popovers, dialogs, autocomplete lists) opened from
 * them count as the plugin's too, as does its live region.
 * Returns { plugin, stock }: lists of { id, impact, help, nodes: [{target, html}] }.
 */
export async function runAxe(page, pluginRoots) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) {
    await page.evaluate(axeSource);
  }
  return page.evaluate(
    async ({ roots, tags }) => {
      // MUI's class names carry a counter suffix in some apps
      // (MuiPopover-root-123), hence the substring match.
      const portals = [
        '[class*="MuiPopover-root"]',
        '[class*="MuiDialog-root"]',
        '[class*="MuiAutocomplete-popper"]',
        '#postmortems-announcements',
      ];
      const pluginElements = [...roots, ...portals].flatMap(selector =>
        Array.from(document.querySelectorAll(selector)),
      );
      const inPlugin = element =>
        pluginElements.some(root => root === element || root.contains(element));
      const result = await window.axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      });
      const plugin = [];
      const stock = [];
      for (const violation of result.violations) {
        const sorted = { plugin: [], stock: [] };
        for (const node of violation.nodes) {
          // A target is a selector list, one per nested frame or shadow root.
          const target = node.target[node.target.length - 1];
          const element =
            typeof target === 'string' ? document.querySelector(target) : null;
          const entry = {
            target: node.target.join(' >> '),
            html: node.html.slice(0, 200),
            summary: node.failureSummary?.split('\n').slice(0, 3).join(' '),
          };
          // Colour contrast says which colours it measured.
          const data = node.any?.[0]?.data;
          if (data?.contrastRatio) {
            entry.contrast = `${data.fgColor} on ${data.bgColor}: ${data.contrastRatio}:1`;
          }
          (element && inPlugin(element) ? sorted.plugin : sorted.stock).push(
            entry,
          );
        }
        const base = {
          id: violation.id,
          impact: violation.impact,
          help: violation.help,
        };
        if (sorted.plugin.length)
          plugin.push({ ...base, nodes: sorted.plugin });
        if (sorted.stock.length) stock.push({ ...base, nodes: sorted.stock });
      }
      return { plugin, stock };
    },
    { roots: pluginRoots, tags: WCAG_TAGS },
  );
}

/** What has keyboard focus: enough to say which control it is. */
export function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body', name: '' };
    const labelledBy = el.getAttribute('aria-labelledby');
    const byIds = labelledBy
      ? labelledBy
          .split(' ')
          .map(id => document.getElementById(id)?.textContent ?? '')
          .join(' ')
      : '';
    const name =
      el.getAttribute('aria-label') ||
      byIds ||
      el.labels?.[0]?.textContent ||
      el.textContent ||
      '';
    return {
      tag: el.tagName.toLowerCase(),
      role: el.getAttribute('role') ?? undefined,
      id: el.id || undefined,
      name: name.replace(/\s+/g, ' ').trim().slice(0, 120),
    };
  });
}

/** The plugin's polite live region's current text. */
export function announcement(page) {
  return page.evaluate(
    () =>
      document.getElementById('postmortems-announcements')?.textContent ?? '',
  );
}

/**
 * How the focused element shows its focus: its outline, the colours of its
 * label and its own background, and the first opaque background behind it
 * (what an outline drawn outside the element is seen against). Colours are
 * computed CSS colours, `rgb(…)` or `rgba(…)`.
 */
export function focusStyle(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return undefined;
    const style = getComputedStyle(el);
    const opaque = color =>
      color !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(color);
    let behind = 'rgb(255, 255, 255)';
    for (let node = el.parentElement; node; node = node.parentElement) {
      const background = getComputedStyle(node).backgroundColor;
      if (opaque(background)) {
        behind = background;
        break;
      }
    }
    return {
      focusVisible: el.matches(':focus-visible'),
      outlineStyle: style.outlineStyle,
      outlineWidth: parseFloat(style.outlineWidth),
      outlineColor: style.outlineColor,
      color: style.color,
      background: opaque(style.backgroundColor)
        ? style.backgroundColor
        : behind,
      behind,
    };
  });
}

/**
 * The WCAG contrast ratio of two computed CSS colours; a translucent
 * foreground is first blended over the (opaque) background.
 */
export function contrastRatio(foreground, background) {
  const parse = color => {
    const [r, g, b, a = 1] = color.match(/[\d.]+/g).map(Number);
    return { r, g, b, a };
  };
  const bg = parse(background);
  const fg = parse(foreground);
  const blend = channel => fg[channel] * fg.a + bg[channel] * (1 - fg.a);
  const luminance = ({ r, g, b }) => {
    const linear = v => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const l1 = luminance({ r: blend('r'), g: blend('g'), b: blend('b') });
  const l2 = luminance(bg);
  return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
}

/**
 * What the element's aria-describedby points to: the texts, and whether each
 * is shown on screen (a reason only a screen reader hears is not enough).
 */
export function descriptions(locator) {
  return locator.evaluate(el =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map(id => {
        const target = document.getElementById(id);
        const box = target?.getBoundingClientRect();
        return {
          text: target?.textContent?.trim() ?? '',
          visible: Boolean(box && box.width > 0 && box.height > 0),
        };
      }),
  );
}

/** A screenshot of the element and `margin` pixels around it. */
export async function shotAround(page, locator, name, margin = 24) {
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  await page.screenshot({
    path: join(screenshots, `${name}.png`),
    clip: {
      x: Math.max(0, box.x - margin),
      y: Math.max(0, box.y - margin),
      width: box.width + 2 * margin,
      height: box.height + 2 * margin,
    },
  });
}
