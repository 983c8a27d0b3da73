// End to end: the figures page groups the demo incidents by service, team and
// month, as the backend counts them, in a real (headless) Chromium.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, runAxe, shot, signedInPage } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The cells of a table's row whose header is `name`, as texts. */
async function rowOf(table, name) {
  const row = table.getByRole('row').filter({
    has: table.page().getByRole('rowheader', { name, exact: true }),
  });
  await row.waitFor({ timeout: 30_000 });
  return row.getByRole('cell').allTextContents();
}

test('the figures page shows the period by service, team and month', async () => {
  const page = await signedInPage(browser, '/postmortems/figures');

  const tabs = page.getByRole('tablist', { name: 'Group the figures' });
  await tabs.waitFor({ timeout: 30_000 });
  await tabs.getByRole('tab', { name: 'By service' }).click();

  // Checkout API (the catalog's title) was hit by INC-1 and INC-2.
  const byService = page.getByRole('table', { name: 'Figures by service' });
  const checkout = await rowOf(byService, 'Checkout API');
  assert.equal(checkout[0], '2');
  await page
    .getByRole('img', { name: /^Incidents per service\. / })
    .waitFor({ timeout: 30_000 });
  // The card's title at the top of the screenshot, the chart and table below.
  await page
    .getByText('By service, team and month', { exact: true })
    .evaluate(element => element.scrollIntoView({ block: 'start' }));
  await shot(page, 'figures-by-service');

  // Both of the payments team's services were hit by INC-1: it counts once.
  await tabs.getByRole('tab', { name: 'By team' }).click();
  const byTeam = page.getByRole('table', { name: 'Figures by team' });
  await byTeam.waitFor({ timeout: 30_000 });
  const teams = await byTeam.getByRole('rowheader').allTextContents();
  assert.ok(teams.length > 0, 'a row per team');

  await tabs.getByRole('tab', { name: 'By month' }).click();
  await page
    .getByRole('img', { name: /^Mean time to resolve per month\. / })
    .waitFor({ timeout: 30_000 });

  // The plugin's part of the page: the article the figures are in.
  const { plugin } = await runAxe(page, ['article']);
  assert.deepEqual(
    plugin.filter(v => ['critical', 'serious'].includes(v.impact)),
    [],
  );
  assert.deepEqual(page.serverErrors, []);
});
