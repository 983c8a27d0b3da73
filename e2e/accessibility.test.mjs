// End to end: axe-core (WCAG 2.0 A/AA and 2.1 A/AA rules) over every
// post-mortem screen in headless Chromium, with its menus and dialogs open.
// A critical or serious violation inside the plugin's DOM fails the test;
// findings in Backstage's own chrome (sidebar, page header, tabs, search page)
// are listed in the output but are not the plugin's to fix.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, launch, runAxe, shot, signedInPage } from './browser.mjs';
import { guestToken } from './server.mjs';

// A service no other end-to-end test looks at, so its tab shows this test's
// post-mortem only.
const SERVICE = 'auth-service';
const FAILING = new Set(['critical', 'serious']);

let browser;
let api;
const report = []; // { screen, plugin, stock }

before(async () => {
  browser = await launch();
  const token = await guestToken(baseUrl);
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
    assert.ok(
      response.ok,
      `${method} ${path}: ${response.status} ${text.slice(0, 300)}`,
    );
    return text ? JSON.parse(text) : undefined;
  };
});

after(async () => {
  await browser?.close();
});

/** A resolved critical incident the guest commands, with a short timeline. */
async function importIncident(title) {
  const at = minute => new Date(Date.UTC(2026, 1, 2, 9, minute)).toISOString();
  const incident = await api('POST', '/incidents/import', {
    incident: {
      title,
      description: 'Sign-in tokens were rejected after a key rotation.',
      severity: 'critical',
      status: 'resolved',
      commander: 'user:default/guest',
      services: [`component:default/${SERVICE}`],
      source: 'a11y-e2e',
      triggered_at: at(0),
      acknowledged_at: at(3),
      resolved_at: at(40),
    },
    timeline: [
      {
        type: 'message',
        actor: 'user:default/guest',
        timestamp: at(5),
        content: { text: 'Rotated the signing key; old tokens now fail.' },
      },
      {
        type: 'message',
        actor: 'user:default/guest',
        timestamp: at(30),
        content: { text: 'Re-published the previous key as a verifier.' },
      },
    ],
    alerts: [
      {
        source: 'a11y-e2e',
        severity: 'critical',
        title: 'Sign-in error rate above 20%',
        fired_at: at(1),
      },
    ],
  });
  return incident.reference;
}

function describe(violations) {
  return violations
    .map(
      v =>
        `  [${v.impact}] ${v.id}: ${v.help}\n` +
        v.nodes
          .slice(0, 5)
          .map(
            n =>
              `      ${n.target}${n.contrast ? ` (${n.contrast})` : ''}  ${
                n.html
              }`,
          )
          .join('\n'),
    )
    .join('\n');
}

/**
 * Runs axe on the page as it is now, records the findings under `screen`, and
 * fails on serious or critical ones inside the plugin's DOM.
 */
async function check(page, screen, pluginRoots, t) {
  // Let transitions (menus, dialogs) finish: axe reads computed colours.
  await page.waitForTimeout(400);
  const { plugin, stock } = await runAxe(page, pluginRoots);
  report.push({ screen, plugin, stock });
  await shot(page, `a11y-${screen}`);
  if (stock.length) {
    t.diagnostic(
      `${screen}: stock Backstage/MUI findings (not failing):\n${describe(
        stock,
      )}`,
    );
  }
  if (plugin.length) {
    t.diagnostic(`${screen}: plugin findings:\n${describe(plugin)}`);
  }
  const failing = plugin.filter(v => FAILING.has(v.impact));
  assert.deepEqual(
    failing.map(v => `${v.id} (${v.impact})`),
    [],
    `${screen}: serious or critical violations in the plugin\n${describe(
      failing,
    )}`,
  );
}

// The plugin's own content: on the post-mortems page, Backstage's <Content>
// (an <article>) under the page header and tabs; on an entity page, the
// container of <main> that is not part of the entity's header.
const CONTENT = ['article'];
const ENTITY_CONTENT = [
  'main > .bui-Container:not(:has([class*="bui-Header"]))',
];

test(
  'every post-mortem screen passes axe, with its menus and dialogs open',
  { timeout: 300_000 },
  async t => {
    const ref = await importIncident('Sign-in failures after key rotation');
    const page = await signedInPage(browser, `/postmortems/incidents/${ref}`);
    const failures = [];
    // Every screen is checked even when one fails, so that one run lists
    // everything; the test fails at the end if any did.
    const screen = async (name, roots, prepare) => {
      try {
        await prepare();
        await check(page, name, roots, t);
      } catch (error) {
        failures.push(`${name}: ${error.message}`);
      }
    };

    await screen('generate', CONTENT, async () => {
      await page
        .getByRole('button', { name: 'Generate Post-Mortem' })
        .waitFor({ timeout: 30_000 });
    });
    await screen('generate-template-menu', CONTENT, async () => {
      await page.getByLabel('Template').click();
      await page.getByRole('listbox').waitFor();
    });
    await page.keyboard.press('Escape');

    // Generate, then give the draft a revision history through the API.
    await page.getByRole('button', { name: 'Generate Post-Mortem' }).click();
    await page
      .getByRole('button', { name: 'Edit Root cause' })
      .waitFor({ timeout: 60_000 });
    let postmortem = await api('GET', `/incidents/${ref}/postmortem`);
    postmortem = await api('PATCH', `/incidents/${ref}/postmortem`, {
      version: postmortem.version,
      sections: postmortem.sections.map(s =>
        s.key === 'root_cause'
          ? {
              ...s,
              markdown:
                'The new signing key was published before verifiers trusted it.\n\nTokens signed with the old key failed.',
            }
          : s,
      ),
    });
    await api('POST', `/incidents/${ref}/postmortem/action-items`, {
      description:
        'Publish a new key to verifiers a day before signing with it',
      owner: 'user:default/guest',
    });

    await screen('editor', CONTENT, async () => {
      await page.reload();
      await page
        .getByText('published before verifiers trusted it', { exact: false })
        .first()
        .waitFor({ timeout: 30_000 });
    });
    await screen('section-editor', CONTENT, async () => {
      await page.getByRole('button', { name: 'Edit Root cause' }).click();
      await page.getByLabel('Root cause (Markdown)').waitFor();
    });
    await page.getByRole('button', { name: 'Close editor' }).click();

    await screen('owner-picker-open', CONTENT, async () => {
      await page.getByRole('button', { name: 'Add action item' }).click();
      const form = page.getByRole('group', { name: 'New action item' });
      await form.getByLabel('Owner').fill('a');
      await page.getByRole('option').first().waitFor({ timeout: 30_000 });
    });
    await page.keyboard.press('Escape');
    await page
      .getByRole('group', { name: 'New action item' })
      .getByRole('button', { name: 'Cancel' })
      .click();

    // Trackers are configured when the destination fakes run (scripts/e2e.sh).
    const createIssue = page.getByRole('button', {
      name: /^Create issue for /,
    });
    if (await createIssue.count()) {
      await screen('create-issue-menu', CONTENT, async () => {
        await createIssue.first().click();
        await page.getByRole('menu').waitFor();
      });
      await page.keyboard.press('Escape');
    }

    await screen('revision-comparison', CONTENT, async () => {
      await page
        .getByRole('button', {
          name: `Compare version ${
            postmortem.version - 1
          } with the current version`,
        })
        .click();
      await page
        .getByRole('table', { name: /^Changes from version/ })
        .waitFor({ timeout: 30_000 });
    });

    await screen('publish-dialog', CONTENT, async () => {
      await page.getByRole('button', { name: 'Publish', exact: true }).click();
      await page.getByRole('dialog').waitFor();
    });
    // The dialog shows what the gate finds before anything is sent.
    await screen('publish-findings', CONTENT, async () => {
      await page
        .getByRole('dialog')
        .getByRole('button', { name: 'Publish anyway' })
        .waitFor({ timeout: 30_000 });
    });
    await page.getByRole('button', { name: 'Publish anyway' }).click();
    await page
      .getByRole('button', { name: 'Unpublish', exact: true })
      .waitFor({ timeout: 30_000 });

    await screen('postmortems-page', CONTENT, async () => {
      await page.goto(`${baseUrl}/postmortems`);
      await page
        .getByText(ref, { exact: false })
        .first()
        .waitFor({ timeout: 30_000 });
    });
    await screen('postmortems-filter-menu', CONTENT, async () => {
      await page.getByLabel('Severity').click();
      await page.getByRole('listbox').waitFor();
    });
    await page.keyboard.press('Escape');

    await screen('action-items-page', CONTENT, async () => {
      await page.goto(`${baseUrl}/postmortems/action-items`);
      await page
        .getByText('Publish a new key to verifiers', { exact: false })
        .first()
        .waitFor({ timeout: 30_000 });
    });
    await screen('figures', CONTENT, async () => {
      await page.goto(`${baseUrl}/postmortems/figures`);
      await page
        .getByRole('group', { name: 'Incidents' })
        .waitFor({ timeout: 30_000 });
    });
    await screen('settings', CONTENT, async () => {
      await page.goto(`${baseUrl}/postmortems/settings`);
      await page
        .getByRole('button', { name: /template/i })
        .first()
        .waitFor({ timeout: 30_000 });
    });

    await screen('entity-tab', ENTITY_CONTENT, async () => {
      await page.goto(
        `${baseUrl}/catalog/default/component/${SERVICE}/postmortems`,
      );
      await page
        .getByRole('row', { name: new RegExp(ref) })
        .first()
        .waitFor({ timeout: 30_000 });
    });

    // The search result: only the plugin's list item is its own; the search
    // page around it is Backstage's.
    await screen(
      'search-result',
      ['[data-a11y-result="postmortem"]'],
      async () => {
        let found = false;
        for (let attempt = 0; attempt < 20 && !found; attempt++) {
          await page.goto(`${baseUrl}/search?query=verifiers`);
          found = await page
            .getByRole('link', { name: new RegExp(ref) })
            .first()
            .waitFor({ timeout: 5_000 })
            .then(
              () => true,
              () => false,
            );
        }
        assert.ok(found, 'the published post-mortem is found by search');
        // Every post-mortem result is the plugin's (the page may list other
        // tests' too): what the search page's list item wraps.
        await page.evaluate(() => {
          for (const link of document.querySelectorAll('a')) {
            if (!/\bINC-\d+/.test(link.textContent ?? '')) continue;
            let item = link;
            while (item.parentElement && item.parentElement.tagName !== 'LI') {
              item = item.parentElement;
            }
            item.setAttribute('data-a11y-result', 'postmortem');
          }
        });
      },
    );

    const count = (side, impact) =>
      report.reduce(
        (sum, r) =>
          sum +
          r[side]
            .filter(v => v.impact === impact)
            .reduce((n, v) => n + v.nodes.length, 0),
        0,
      );
    const impacts = ['critical', 'serious', 'moderate', 'minor'];
    t.diagnostic(
      `screens checked: ${report.map(r => r.screen).join(', ')}\n` +
        `plugin nodes by impact: ${impacts
          .map(i => `${i} ${count('plugin', i)}`)
          .join(', ')}\n` +
        `stock nodes by impact: ${impacts
          .map(i => `${i} ${count('stock', i)}`)
          .join(', ')}\n` +
        `stock rules: ${[
          ...new Set(
            report.flatMap(r => r.stock.map(v => `${v.id} (${v.impact})`)),
          ),
        ].join(', ')}`,
    );
    assert.deepEqual(failures, [], failures.join('\n\n'));
    assert.deepEqual(page.serverErrors, []);
  },
);
