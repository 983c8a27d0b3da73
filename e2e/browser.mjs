// Shared set-up of the end-to-end tests: Debian's Chromium driven by
// playwright-core, and a folder for the screenshots each step keeps.
import { mkdirSync } from 'node:fs';
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
