// End to end: a person signs in as guest and opens a service's Post-Mortems
// tab in a real (headless) Chromium, against the running backend and built app.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, launch, shot, signedInPage } from './browser.mjs';

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

test('an incident is a catalog entity whose Post-Mortems tab is its post-mortem', async () => {
  const page = await signedInPage(browser, '/catalog');
  // The incidents provider publishes the demo incidents shortly after start-up.
  let found = false;
  for (let attempt = 0; attempt < 20 && !found; attempt++) {
    await page.goto(`${baseUrl}/catalog/default/incident/inc-2/postmortems`);
    found = await page
      .getByText('orders-db connection pool exhausted', { exact: false })
      .first()
      .waitFor({ timeout: 5_000 })
      .then(() => true, () => false);
  }
  assert.ok(found, 'the incident entity page shows the incident');
  await page.getByRole('tab', { name: 'Post-Mortems' }).waitFor();
  await page.getByRole('button', { name: 'Generate Post-Mortem' }).waitFor({ timeout: 30_000 });
  await shot(page, 'incident-entity-tab');
  assert.deepEqual(page.serverErrors, []);
});
