// End to end, with the keyboard only: generate a draft, edit sections (discard
// one, save one by its button and one by Ctrl+Enter), add an action item and
// publish, pressing Tab, Shift+Tab, Enter, Space, arrows, Escape, Ctrl+Enter
// and typing (page.keyboard, never a click). After each step focus must land
// on the element that changed, and the polite live region must say what
// happened; a disabled button must have its reason on screen and tied to it;
// a focused filled button must show a ring that stands out.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  announcement,
  baseUrl,
  contrastRatio,
  descriptions,
  focused,
  focusStyle,
  launch,
  shot,
  shotAround,
  signedInPage,
} from './browser.mjs';
import { guestToken } from './server.mjs';

// A service no other end-to-end test looks at.
const SERVICE = 'search-service';
const ROOT_CAUSE = 'A stale replica answered reads after the failover.';
const FACTORS = 'The replica lag alert was muted during the maintenance.';
const DISCARDED = 'A sentence nobody keeps.';
const ACTION = 'Fence the old primary before promoting a replica';

let browser;
let token;

before(async () => {
  browser = await launch();
  token = await guestToken(baseUrl);
});
after(async () => {
  await browser?.close();
});

async function importIncident() {
  const at = minute => new Date(Date.UTC(2026, 1, 9, 14, minute)).toISOString();
  const response = await fetch(
    `${baseUrl}/api/postmortems/v1/incidents/import`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        incident: {
          title: 'Search answered from a stale replica',
          severity: 'high',
          status: 'resolved',
          commander: 'user:default/guest',
          services: [`component:default/${SERVICE}`],
          source: 'keyboard-e2e',
          triggered_at: at(0),
          acknowledged_at: at(4),
          resolved_at: at(35),
        },
        timeline: [
          {
            type: 'message',
            actor: 'user:default/guest',
            timestamp: at(6),
            content: { text: 'Results are an hour old after the failover.' },
          },
        ],
      }),
    },
  );
  const text = await response.text();
  assert.ok(response.ok, `import: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text).reference;
}

/**
 * Presses Tab (or Shift+Tab) until focus is on an element whose accessible
 * name matches `name`, and returns it; fails after `max` presses. A walk that
 * needs very many presses is a finding in itself, hence the bound.
 */
async function tabTo(page, name, { backwards = false, max = 120 } = {}) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    const at = await focused(page);
    if (name.test(at.name)) return at;
    seen.push(at.name || at.tag);
  }
  throw new Error(
    `${max} presses of ${
      backwards ? 'Shift+Tab' : 'Tab'
    } did not reach ${name}; ` +
      `focus went through: ${seen.slice(-30).join(' | ')}`,
  );
}

/** Waits until focus is on an element whose accessible name matches `name`. */
async function focusLandsOn(page, name, what) {
  const deadline = Date.now() + 30_000;
  let at;
  while (Date.now() < deadline) {
    at = await focused(page);
    if (name.test(at.name)) return at;
    await page.waitForTimeout(100);
  }
  throw new Error(`${what}: focus is on ${JSON.stringify(at)}, not ${name}`);
}

async function announced(page, text, what) {
  const deadline = Date.now() + 10_000;
  let said = '';
  while (Date.now() < deadline) {
    said = await announcement(page);
    if (said.includes(text)) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`${what}: the live region says "${said}", not "${text}"`);
}

/**
 * Checks that the focused element is a button showing a visible focus ring:
 * a solid outline of at least 2px that stands out 3:1 against what it is
 * drawn on, with the label still 4.5:1 on the button while focused.
 */
async function showsFocusRing(page, what) {
  const style = await focusStyle(page);
  assert.ok(style?.focusVisible, `${what}: focus is not visible-focused`);
  assert.equal(style.outlineStyle, 'solid', `${what}: outline style`);
  assert.ok(
    style.outlineWidth >= 2,
    `${what}: outline ${style.outlineWidth}px`,
  );
  const ring = contrastRatio(style.outlineColor, style.behind);
  assert.ok(
    ring >= 3,
    `${what}: the ring ${style.outlineColor} on ${
      style.behind
    } is ${ring.toFixed(2)}:1`,
  );
  const label = contrastRatio(style.color, style.background);
  assert.ok(
    label >= 4.5,
    `${what}: the label ${style.color} on ${
      style.background
    } is ${label.toFixed(2)}:1`,
  );
  return { ring, label };
}

/** Checks that `button` is disabled and says why, on screen and to screen readers. */
async function disabledWithReason(button, reason, what) {
  assert.ok(await button.isDisabled(), `${what}: the button is not disabled`);
  const said = await descriptions(button);
  assert.ok(
    said.some(d => d.visible && d.text.includes(reason)),
    `${what}: aria-describedby gives ${JSON.stringify(said)}, not "${reason}"`,
  );
}

test(
  'generate, edit, add an action item and publish with the keyboard only',
  { timeout: 240_000 },
  async t => {
    const ref = await importIncident();
    const page = await signedInPage(browser, `/postmortems/incidents/${ref}`);
    await page
      .getByRole('button', { name: 'Generate Post-Mortem' })
      .waitFor({ timeout: 30_000 });

    // A filled button shows a strong ring when Tab reaches it.
    await tabTo(page, /^Generate Post-Mortem$/);
    const generateRing = await showsFocusRing(page, 'Generate Post-Mortem');
    t.diagnostic(
      `focus ring on Generate: ${generateRing.ring.toFixed(
        1,
      )}:1 against the card, label ${generateRing.label.toFixed(1)}:1`,
    );
    await shotAround(
      page,
      page.getByRole('button', { name: 'Generate Post-Mortem' }),
      'a11y-keyboard-focus-ring',
    );

    // Generate: focus moves to the new draft's status bar.
    await page.keyboard.press('Enter');
    await focusLandsOn(page, /^Post-mortem status$/, 'after Generate');
    await announced(page, 'Draft generated', 'after Generate');
    await shot(page, 'a11y-keyboard-generated');

    // Edit the summary, then discard: focus returns to its Edit button and
    // the saved text stays. An unchanged text cannot be saved, and says so.
    await tabTo(page, /^Edit Summary$/);
    await page.keyboard.press('Enter');
    await focusLandsOn(page, /^Summary \(Markdown\)/, 'after Edit Summary');
    const summary = page.getByRole('region', { name: 'Summary', exact: true });
    const summarySave = summary.getByRole('button', {
      name: 'Save',
      exact: true,
    });
    await disabledWithReason(
      summarySave,
      'Nothing to save yet',
      'Save of an unchanged section',
    );
    await shot(page, 'a11y-keyboard-disabled-save');
    await page.keyboard.press('Control+End');
    await page.keyboard.type(` ${DISCARDED}`);
    assert.ok(await summarySave.isEnabled(), 'Save once the text changed');
    await tabTo(page, /^Discard changes$/, { max: 10 });
    await page.keyboard.press('Enter');
    await focusLandsOn(page, /^Edit Summary$/, 'after Discard');
    await announced(page, 'Changes to Summary discarded', 'after Discard');
    assert.equal(
      await summary.getByText(DISCARDED).count(),
      0,
      'the discarded text is not shown',
    );

    // Edit the contributing factors and save with the Save button (Space).
    await tabTo(page, /^Edit Contributing factors$/);
    await page.keyboard.press('Enter');
    await focusLandsOn(
      page,
      /^Contributing factors \(Markdown\)/,
      'after Edit Contributing factors',
    );
    await page.keyboard.press('Control+A');
    await page.keyboard.type(FACTORS);
    await tabTo(page, /^Save$/, { max: 10 });
    await page.keyboard.press('Space');
    await focusLandsOn(page, /^Edit Contributing factors$/, 'after Save');
    await announced(page, 'Saved Contributing factors', 'after Save');
    await page
      .getByRole('region', { name: 'Contributing factors', exact: true })
      .getByText(FACTORS)
      .waitFor({ timeout: 10_000 });

    // Back up to the root cause; Ctrl+Enter saves and focus returns to its
    // Edit button.
    await tabTo(page, /^Edit Root cause$/, { backwards: true });
    await page.keyboard.press('Enter');
    await focusLandsOn(page, /^Root cause \(Markdown\)/, 'after Edit');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(ROOT_CAUSE);
    await page.keyboard.press('Control+Enter');
    await focusLandsOn(page, /^Edit Root cause$/, 'after Ctrl+Enter');
    await announced(page, 'Saved Root cause', 'after Ctrl+Enter');
    // The section card is a <section> named by its heading.
    await page
      .getByRole('region', { name: 'Root cause', exact: true })
      .getByText(ROOT_CAUSE)
      .waitFor({ timeout: 10_000 });

    // Add an action item: Description first (Save says it needs one), then
    // the owner picker by typing and arrowing, then Save; focus lands on the
    // new item's Edit button.
    await tabTo(page, /^Add action item$/);
    await page.keyboard.press('Space');
    await focusLandsOn(page, /^Description/, 'after Add action item');
    const form = page.getByRole('group', { name: 'New action item' });
    const itemSave = form.getByRole('button', { name: 'Save', exact: true });
    await disabledWithReason(
      itemSave,
      'Add a description to save.',
      'Save of an empty action item',
    );
    await page.keyboard.type(ACTION);
    assert.ok(await itemSave.isEnabled(), 'Save once described');
    await page.keyboard.press('Tab');
    await focusLandsOn(page, /^Owner/, 'Tab from Description');
    await page.keyboard.type('Carla');
    await page
      .getByRole('option', { name: /Carla Mendes/ })
      .waitFor({ timeout: 30_000 });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await shot(page, 'a11y-keyboard-action-item-form');
    await tabTo(page, /^Save$/, { max: 15 });
    await showsFocusRing(page, 'Save of the action item');
    await page.keyboard.press('Enter');
    await focusLandsOn(page, new RegExp(`^Edit ${ACTION}$`), 'after Save');
    await announced(page, 'Action item added', 'after Save');
    await page
      .getByRole('table', { name: 'Action items' })
      .getByText('Carla Mendes')
      .waitFor({ timeout: 10_000 });

    // Publish: back up to the Publish button; the dialog focuses its title,
    // Escape closes it and focus is back on Publish.
    await tabTo(page, /^Publish$/, { backwards: true, max: 200 });
    await showsFocusRing(page, 'Publish');
    await page.keyboard.press('Enter');
    await focusLandsOn(page, /^Publish this post-mortem\?$/, 'dialog opened');
    const titleFocus = await focusStyle(page);
    assert.ok(
      titleFocus.focusVisible && titleFocus.outlineStyle === 'solid',
      `the focused dialog title shows it: ${JSON.stringify(titleFocus)}`,
    );
    await shot(page, 'a11y-keyboard-publish-dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await focusLandsOn(page, /^Publish$/, 'after Escape');
    await page.keyboard.press('Enter');
    await focusLandsOn(page, /^Publish this post-mortem\?$/, 'dialog again');
    // Unwritten sections are findings, shown before anything is sent (an
    // alert, so screen readers say it); the override is a few Tabs on.
    await page
      .getByRole('dialog')
      .getByText(/The evidence check finds \d+ things? to fix/)
      .waitFor({ timeout: 30_000 });
    await tabTo(page, /^Publish anyway$/, { max: 40 });
    await page.keyboard.press('Enter');
    await focusLandsOn(page, /^Unpublish$/, 'after publishing');
    await announced(page, 'Published', 'after publishing');
    await shot(page, 'a11y-keyboard-published');

    assert.deepEqual(page.serverErrors, []);
  },
);
