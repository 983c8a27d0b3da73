// End to end: a person signs in as guest and opens a service's Post-Mortems
// tab in a real (headless) Chromium, against the running backend and built app.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, shot, signedInPage } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a guest opens the Post-Mortems tab of a service', async () => {
  const page = await signedInPage(
    browser,
    '/catalog/default/component/checkout-api',
  );

  const tab = page.getByRole('tab', { name: 'Post-Mortems' });
  await tab.waitFor({ timeout: 30_000 });
  await tab.click();

  await page.waitForURL(
    /\/catalog\/default\/component\/checkout-api\/postmortems$/,
  );
  await page
    .getByText('No post-mortems for Checkout API yet')
    .waitFor({ timeout: 30_000 });
  // The demo incidents that touched the service and still need a post-mortem are offered.
  await page
    .getByText('INC-1', { exact: false })
    .first()
    .waitFor({ timeout: 30_000 });
  await shot(page, 'service-postmortems-tab');

  assert.deepEqual(page.serverErrors, []);
});

