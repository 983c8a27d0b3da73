// End to end, where a post-mortem goes beyond Backstage, against fake
// Confluence, Notion, GitHub and Jira servers (started by scripts/e2e.sh
// through e2e/destinationFakes.mjs): from the post-mortem page, export to
// every configured page target and update the same pages; download the files;
// open a GitHub issue and a Jira issue for two action items, close both "in
// the tracker", press Sync with trackers and see the two items done.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  baseUrl,
  launch,
  screenshots,
  shot,
  signedInPage,
} from './browser.mjs';

const control = process.env.E2E_DESTINATIONS_URL;

const ITEMS = [
  'Rotate the card processor API key before it expires',
  'Page the payments on-call when processor errors exceed 5%',
];

let browser;
let api;
before(async () => {
  if (!control) return;
  browser = await launch();
  const token = await guestToken();
  api = async (method, path, body) => {
    const response = await fetch(`${baseUrl}/api/postmortems/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
});
after(async () => {
  await browser?.close();
});

/** Backstage's Link names external links "…, Opens in a new window". */
const openIn = title =>
  new RegExp(`^Open in ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

/** Waits for the answer to one export request while `click` sends it. */
async function exporting(page, click) {
  const [response] = await Promise.all([
    page.waitForResponse(
      r =>
        r.url().endsWith('/postmortem/exports') &&
        r.request().method() === 'POST',
      { timeout: 60_000 },
    ),
    click(),
  ]);
  return response;
}

/** A guest's Backstage token, for setting the incident up through the API. */
async function guestToken() {
  const response = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  assert.ok(response.ok, `guest sign-in: ${response.status}`);
  return (await response.json()).backstageIdentity.token;
}

/** A command to the fake servers: `state`, `close github acme/payments#1`. */
async function fakes(command) {
  const response = await fetch(control, { method: 'POST', body: command });
  const answer = await response.text();
  assert.ok(response.ok, `${command}: ${answer}`);
  return answer;
}

/** A resolved incident of our own, with a drafted post-mortem and two items. */
async function createIncident() {
  const at = minute => new Date(Date.UTC(2026, 1, 3, 9, minute)).toISOString();
  const incident = await api('POST', '/incidents/import', {
    incident: {
      title: 'Card processor rejected payments after a key rotation',
      severity: 'high',
      status: 'resolved',
      // The guest commands it, so it may change it like a responder would.
      commander: 'user:default/guest',
      // A service no other end-to-end test looks at.
      services: ['component:default/payments-service'],
      source: 'destinations-e2e',
      triggered_at: at(0),
      acknowledged_at: at(3),
      resolved_at: at(42),
    },
    timeline: [
      {
        type: 'message',
        actor: 'user:default/guest',
        timestamp: at(5),
        content: { text: 'Processor answers 401 to every charge' },
      },
      {
        type: 'message',
        actor: 'user:default/guest',
        timestamp: at(40),
        content: { text: 'Old key restored, charges succeed again' },
      },
    ],
  });
  const ref = incident.reference;
  await api('POST', `/incidents/${ref}/postmortem/generate`, {
    provider: 'deterministic',
  });
  for (const description of ITEMS) {
    await api('POST', `/incidents/${ref}/postmortem/action-items`, {
      description,
      owner: 'user:default/guest',
    });
  }
  return ref;
}

test(
  'export to every target, update the pages, and close issues through a tracker sync',
  {
    timeout: 240_000,
    skip: !control && 'the destination fakes are not running',
  },
  async () => {
    const ref = await createIncident();
    const { data: targets } = await api('GET', '/export-targets');
    const pages = targets.filter(t => t.kind === 'page');
    assert.deepEqual(
      pages.map(t => t.type).sort(),
      ['confluence', 'notion'],
      'the fakes configure a Confluence and a Notion target',
    );

    const page = await signedInPage(browser, `/postmortems/incidents/${ref}`);

    // First export: each page target gets a page and a link to it.
    const firstUrls = {};
    for (const target of pages) {
      const group = page.getByRole('group', {
        name: target.title,
        exact: true,
      });
      const button = group.getByRole('button', {
        name: `Export to ${target.title}`,
      });
      await button.waitFor({ timeout: 60_000 });
      const response = await exporting(page, () => button.click());
      assert.equal(response.status(), 201, `${target.title}: a new page`);
      const link = group.getByRole('link', { name: openIn(target.title) });
      await link.waitFor({ timeout: 30_000 });
      firstUrls[target.id] = await link.getAttribute('href');
      assert.ok(firstUrls[target.id], `${target.title} links to its page`);
      await group
        .getByRole('button', { name: `Update ${target.title} page` })
        .waitFor();
    }
    const exported = await api('GET', `/incidents/${ref}/postmortem/exports`);
    const firstIds = Object.fromEntries(
      exported.data.map(r => [r.target, r.external_id]),
    );

    // Second export: the same pages are updated, not new ones made.
    for (const target of pages) {
      const group = page.getByRole('group', {
        name: target.title,
        exact: true,
      });
      const response = await exporting(page, () =>
        group
          .getByRole('button', { name: `Update ${target.title} page` })
          .click(),
      );
      assert.equal(response.status(), 200, `${target.title}: page updated`);
      await group.getByRole('link', { name: openIn(target.title) }).waitFor();
    }
    const updated = await api('GET', `/incidents/${ref}/postmortem/exports`);
    for (const target of pages) {
      const record = updated.data.find(r => r.target === target.id);
      assert.equal(record.external_id, firstIds[target.id], target.title);
      assert.equal(record.url, firstUrls[target.id], target.title);
    }
    const state = JSON.parse(await fakes('state'));
    const confluencePages = state.confluence.filter(
      p => p.id === firstIds.confluence,
    );
    assert.equal(confluencePages.length, 1, 'one Confluence page');
    assert.equal(confluencePages[0].version, 2, 'updated once: version 2');
    assert.equal(
      state.notion.filter(p => p.id === firstIds.notion).length,
      1,
      'one Notion page, updated in place',
    );
    const card = page
      .getByRole('group', { name: pages[0].title, exact: true })
      .locator('xpath=ancestor::div[contains(@class, "MuiCard-root")][1]');
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({
      path: join(screenshots, 'postmortem-exports-card.png'),
    });
    await shot(page, 'postmortem-exports');

    // File targets download.
    for (const [format, looksRight] of [
      ['PDF', content => content.startsWith('%PDF')],
      ['Markdown', content => content.includes('Card processor rejected')],
    ]) {
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 30_000 }),
        page.getByRole('button', { name: `Download as ${format}` }).click(),
      ]);
      const content = await readFile(await download.path(), 'latin1');
      assert.ok(looksRight(content), `the ${format} download`);
    }

    // Issues: one in GitHub, one in Jira.
    const table = page.getByRole('table', { name: 'Action items' });
    const keys = [];
    for (const [description, tracker] of [
      [ITEMS[0], 'GitHub: acme/payments'],
      [ITEMS[1], 'Jira: OPS'],
    ]) {
      await table
        .getByRole('button', { name: `Create issue for ${description}` })
        .click();
      const choice = page.getByRole('menuitem', { name: tracker });
      await choice.waitFor();
      if (keys.length === 1) {
        await page.waitForTimeout(400); // the menu's fade-in, for the picture
        await shot(page, 'create-issue-menu');
      }
      await choice.click();
      const row = table.getByRole('row').filter({ hasText: description });
      const chip = row.getByRole('link', {
        name: tracker.startsWith('GitHub')
          ? /^acme\/payments#\d+$/
          : /^OPS-\d+$/,
      });
      await chip.waitFor({ timeout: 30_000 });
      keys.push(await chip.textContent());
    }
    await shot(page, 'action-item-issues');

    // Closed "in the tracker", then synced: both items are done.
    await fakes(`close github ${keys[0]}`);
    await fakes(`close jira ${keys[1]}`);
    await page.getByRole('button', { name: 'Sync with trackers' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Synced with the trackers' })
      .waitFor({ timeout: 30_000 });
    for (const description of ITEMS) {
      const status = table.getByRole('button', {
        name: `Status of ${description}`,
      });
      await status.filter({ hasText: 'Done' }).waitFor({ timeout: 30_000 });
    }
    await shot(page, 'action-items-synced');

    // And they stay done: the backend says so, not just the page.
    const postmortem = await api('GET', `/incidents/${ref}/postmortem`);
    for (const description of ITEMS) {
      const item = postmortem.action_items.find(
        i => i.description === description,
      );
      assert.equal(item.status, 'done', description);
    }
    assert.deepEqual(page.serverErrors, []);
  },
);
