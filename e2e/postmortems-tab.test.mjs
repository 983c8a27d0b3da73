// End to end: a person signs in as guest and opens a service's Post-Mortems tab
// in a real (headless) Chromium, against the running backend and built app.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const baseUrl = process.env.E2E_BASE_URL ?? 'http://localhost:7107';
const screenshots =
  process.env.E2E_SCREENSHOTS ?? join(tmpdir(), 'postmortems-e2e');

let browser;

before(async () => {
  mkdirSync(screenshots, { recursive: true });
  // Playwright gives each launch a fresh, empty profile of its own.
  browser = await chromium.launch({
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
});

after(async () => {
  await browser?.close();
});

test('a guest opens the Post-Mortems tab of a service', async () => {
  const page = await browser.newPage();
  const failedApiCalls = [];
  page.on('response', response => {
    if (response.url().includes('/api/') && response.status() >= 500) {
      failedApiCalls.push(`${response.status()} ${response.url()}`);
    }
  });

  await page.goto(`${baseUrl}/catalog/default/component/checkout-api`);

  // Guest sign-in: the sign-in page offers the guest provider.
  await page.getByRole('button', { name: 'Enter' }).click({ timeout: 30_000 });

  const tab = page.getByRole('tab', { name: 'Post-Mortems' });
  await tab.waitFor({ timeout: 30_000 });
  await tab.click();

  await page.waitForURL(
    /\/catalog\/default\/component\/checkout-api\/postmortems$/,
  );
  await page
    .getByText('No post-mortems for Checkout API yet')
    .waitFor({ timeout: 30_000 });
  await page.screenshot({
    path: join(screenshots, 'service-postmortems-tab.png'),
  });

  assert.deepEqual(failedApiCalls, []);
});
