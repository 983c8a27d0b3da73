// End to end: content that people (or an import from another tool) put into
// an incident and its post-mortem never runs as code in the browser.
//
// An incident is imported whose title, description, summary, timeline and
// alert carry XSS payloads; the deterministic drafter copies those into the
// draft's Markdown as they are; every section then gets a block of hostile
// Markdown and raw HTML on top, and so do an action item and a comment. Then
// every screen that renders them is opened in headless Chromium, every link in
// the rendered sections is clicked, and we check that nothing ran.
//
// The backend sends a Content-Security-Policy (script-src 'self';
// script-src-attr 'none') that would block most of these payloads on its own.
// The browser context bypasses it on purpose: what is tested here is that the
// *rendering* is safe, also where the app is served without that policy. The
// DOM checks below (no event-handler attributes, no javascript: URLs, no
// frames) do not depend on the policy either.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { baseUrl, launch, shot } from './browser.mjs';
import { guestToken } from './server.mjs';

// A host of another origin standing for a tracker: an image from it in a
// post-mortem would make every reader's browser call it. It counts the calls;
// post-mortems load images only from the portal and allowed hosts.
const trackerHits = [];
const tracker = createServer((req, res) => {
  trackerHits.push(req.url);
  res.writeHead(200, { 'Content-Type': 'image/gif' }).end();
});
await new Promise(resolve => tracker.listen(0, '127.0.0.1', resolve));
const TRACKER = `http://127.0.0.1:${tracker.address().port}`;

// Every payload sets window.__pwned (or, from a frame, parent.__pwned) or opens
// a dialog; a trap installed in every frame reports either.
const PAYLOADS = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=1">',
  '<img src=x onerror=alert(1)>',
  '<svg onload=window.__pwned=1>',
  '<svg><script>window.__pwned=1</script></svg>',
  '[click](javascript:window.__pwned=1)',
  '[click upper](JaVaScRiPt:window.__pwned=1)',
  '[click entity](&#106;avascript:window.__pwned=1)',
  '[click tab](java\tscript:window.__pwned=1)',
  '<javascript:window.__pwned=1>',
  '![image](javascript:window.__pwned=1)',
  '<a href="javascript:window.__pwned=1">x</a>',
  '<a href=" javascript:window.__pwned=1">leading space</a>',
  '<a href="jav&#x09;ascript:window.__pwned=1">entity tab</a>',
  '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
  '<iframe src="javascript:parent.__pwned=1"></iframe>',
  '[data link](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX19wd25lZD0xPC9zY3JpcHQ+)',
  '<a href="data:text/html,<script>window.__pwned=1</script>">data anchor</a>',
  '<object data="javascript:window.__pwned=1"></object>',
  '<embed src="javascript:window.__pwned=1">',
  '<form action="javascript:window.__pwned=1"><button>submit</button></form>',
  '<details open ontoggle="window.__pwned=1"><summary>details</summary></details>',
  '<input autofocus onfocus="window.__pwned=1">',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=1">',
  '<base href="javascript:window.__pwned=1//">',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=1">',
  // Links that stay: the sanitizer keeps the link and drops the handler, so
  // clicking them must do nothing but follow the (harmless) href.
  '<a href="#hostile-anchor" onclick="window.__pwned=1">anchor with onclick</a>',
  '<a href="https://example.com/runbook" onclick="window.__pwned=1">external with onclick</a>',
  '[plain runbook](https://example.com/runbook "runbook")',
  `![tracking pixel](${TRACKER}/pixel.gif)`,
  `<img src="${TRACKER}/raw.gif" alt="raw tracking pixel">`,
];

// The same payloads inside Markdown structures, and as raw HTML blocks.
const HOSTILE_MARKDOWN = [
  'hostilecanary: every line below is hostile.',
  '',
  ...PAYLOADS.map(p => `- ${p}`),
  '',
  '<div onmouseover="window.__pwned=1" style="padding:4px">raw HTML block</div>',
  '',
  '<table><tr><td onclick="window.__pwned=1">raw table cell</td></tr></table>',
  '',
  '| column | payload |',
  '| --- | --- |',
  '| a | <img src=x onerror="window.__pwned=1"> |',
  '',
  '```html',
  '<script>window.__pwned=1</script>',
  '```',
  '',
  '> <svg onload=window.__pwned=1> quoted',
].join('\n');

const ONE_LINE = PAYLOADS.slice(0, 6).join(' ');

let browser;
let api;
before(async () => {
  browser = await launch();
  const token = await guestToken(baseUrl);
  api = async (method, path, body, expected = [200, 201]) => {
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
      expected.includes(response.status),
      `${method} ${path}: ${response.status} ${text.slice(0, 500)}`,
    );
    return text ? JSON.parse(text) : undefined;
  };
});
after(async () => {
  await browser?.close();
  tracker.close();
});

/** Incident, draft, sections, action item and comment, all carrying payloads. */
async function createHostileIncident() {
  const at = minute => new Date(Date.UTC(2026, 0, 1, 10, minute)).toISOString();
  const incident = await api('POST', '/incidents/import', {
    incident: {
      title: `hostilecanary ${PAYLOADS.slice(0, 4).join(' ')}`.slice(0, 500),
      description: HOSTILE_MARKDOWN,
      summary: `hostilecanary ${ONE_LINE}`,
      severity: 'high',
      status: 'resolved',
      // The guest commands it: allowed to draft and publish whatever the
      // catalog has loaded so far (its group memberships may not be yet).
      commander: 'user:default/guest',
      // A service no other end-to-end test looks at.
      services: ['component:default/notification-service'],
      source: 'hostile-e2e',
      triggered_at: at(0),
      acknowledged_at: at(2),
      resolved_at: at(50),
    },
    timeline: [
      ...PAYLOADS.map((payload, i) => ({
        type: 'message',
        actor: i % 2 ? '<svg onload=window.__pwned=1>' : 'user:default/guest',
        timestamp: at(3 + (i % 40)),
        content: { text: payload },
      })),
      {
        type: 'slack_message',
        actor: '<img src=x onerror=alert(1)>',
        timestamp: at(45),
        content: { text: HOSTILE_MARKDOWN, user: '<b onclick=alert(1)>u</b>' },
      },
    ],
    alerts: [
      {
        source: 'hostile-e2e',
        severity: 'high',
        title: `<img src=x onerror="window.__pwned=1"> alert`,
        description: HOSTILE_MARKDOWN.slice(0, 2000),
        fired_at: at(1),
      },
    ],
  });
  const ref = incident.reference;

  // The deterministic drafter copies the timeline and alert text into the
  // sections verbatim, so imported data reaches the Markdown renderer too.
  let postmortem = await api('POST', `/incidents/${ref}/postmortem/generate`, {
    provider: 'deterministic',
  });
  assert.ok(postmortem.sections?.length, 'the draft has sections');

  // Two saves, so the revision history has a diff full of payloads.
  postmortem = await api('PATCH', `/incidents/${ref}/postmortem`, {
    version: postmortem.version,
    sections: postmortem.sections.map(s => ({
      key: s.key,
      title: s.title,
      markdown: `${s.markdown}\n\n${HOSTILE_MARKDOWN}`,
    })),
  });
  postmortem = await api('PATCH', `/incidents/${ref}/postmortem`, {
    version: postmortem.version,
    sections: postmortem.sections.map(s => ({
      key: s.key,
      title: s.title,
      markdown:
        s.key === 'root_cause'
          ? `Root cause: hostilecanary ${ONE_LINE}\n\n${HOSTILE_MARKDOWN}`
          : s.markdown,
    })),
  });

  await api('POST', `/incidents/${ref}/postmortem/action-items`, {
    description: `hostilecanary action ${ONE_LINE}`.slice(0, 2000),
    owner: 'user:default/guest',
  });
  // The link of an action item is refused unless it is http(s).
  for (const url of [
    'javascript:window.__pwned=1',
    'data:text/html,<script>window.__pwned=1</script>',
  ]) {
    await api(
      'POST',
      `/incidents/${ref}/postmortem/action-items`,
      { description: 'bad link', external_url: url },
      [400],
    );
  }
  await api('POST', `/incidents/${ref}/postmortem/comments`, {
    body: `hostilecanary comment\n${HOSTILE_MARKDOWN}`,
  });
  return { ref, postmortem };
}

/**
 * A signed-in page whose every frame traps window.__pwned and reports
 * dialogs, and which reaches no other host (links to example.com go nowhere).
 */
async function trappedPage() {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 1000 },
    bypassCSP: true,
  });
  await context.exposeBinding('__hostileReport', (source, what) => {
    source.page?.executed?.push(`${what} (in ${source.frame?.url()})`);
  });
  await context.addInitScript(() => {
    let value;
    Object.defineProperty(window, '__pwned', {
      configurable: false,
      get: () => value,
      set: v => {
        value = v;
        window.__hostileReport?.(`window.__pwned set to ${v}`);
      },
    });
  });
  await context.route(
    url => !url.href.startsWith(baseUrl),
    route => route.abort(),
  );
  const page = await context.newPage();
  page.executed = [];
  page.diagnostics = [];
  page.serverErrors = [];
  page.popups = 0;
  page.on('dialog', dialog => {
    page.executed.push(`${dialog.type()} dialog: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  page.on('pageerror', error =>
    page.diagnostics.push(`pageerror: ${error.message}`),
  );
  page.failedLoads = 0;
  page.on('console', message => {
    if (message.type() !== 'error') return;
    // Resources that fail to load (payload images, say) are only counted.
    if (message.text().startsWith('Failed to load resource')) {
      page.failedLoads++;
    } else {
      page.diagnostics.push(`console: ${message.text()}`);
    }
  });
  page.on('framenavigated', frame => {
    if (/^(javascript|data|vbscript):/i.test(frame.url())) {
      page.executed.push(`a frame navigated to ${frame.url()}`);
    }
  });
  // External links open in a new tab (which reaches nothing); close it.
  page.on('popup', popup => {
    page.popups++;
    popup.close().catch(() => {});
  });
  page.on('response', response => {
    if (response.url().includes('/api/') && response.status() >= 500) {
      page.serverErrors.push(`${response.status()} ${response.url()}`);
    }
  });
  await page.goto(`${baseUrl}/`);
  await page.getByRole('button', { name: 'Enter' }).click({ timeout: 30_000 });
  await page.waitForURL(/\/catalog/, { timeout: 30_000 });
  return page;
}

/** Everything in the DOM of every frame that could run script. */
async function dangerousMarkup(page) {
  const found = [];
  for (const frame of page.frames()) {
    const inFrame = await frame
      .evaluate(() => {
        const bad = [];
        const scheme = value =>
          // Browsers ignore ASCII whitespace and control characters in schemes.
          /^(javascript|vbscript|data):/i.test(
            value.replace(/[\u0000-\u0020]/g, ''),
          );
        const describe = el => el.outerHTML.slice(0, 160);
        for (const el of document.querySelectorAll('*')) {
          for (const attr of Array.from(el.attributes)) {
            const name = attr.name.toLowerCase();
            if (name.startsWith('on')) {
              bad.push(`event handler attribute ${name}: ${describe(el)}`);
            } else if (
              ['href', 'xlink:href', 'action', 'formaction'].includes(name) &&
              scheme(attr.value)
            ) {
              bad.push(`${name} with a script or data URL: ${describe(el)}`);
            } else if (
              ['src', 'data', 'srcdoc'].includes(name) &&
              (/__pwned/.test(attr.value) ||
                /^(javascript|vbscript):|^data:text\/html/i.test(
                  attr.value.replace(/[\u0000-\u0020]/g, ''),
                ))
            ) {
              bad.push(`${name} that runs script: ${describe(el)}`);
            }
          }
        }
        for (const el of document.querySelectorAll(
          'iframe, frame, object, embed, base, meta[http-equiv], form[action]',
        )) {
          bad.push(`element ${el.tagName.toLowerCase()}: ${describe(el)}`);
        }
        for (const el of document.querySelectorAll('script')) {
          if (/__pwned|alert\(/.test(el.textContent ?? '')) {
            bad.push(`script element: ${describe(el)}`);
          }
        }
        return bad;
      })
      .catch(error => [`could not inspect frame ${frame.url()}: ${error}`]);
    found.push(...inFrame);
  }
  return found;
}

/** Nothing ran and nothing that could run is in the DOM. */
async function assertClean(page, screen) {
  // Image errors, focus and toggles fire asynchronously; give them a moment.
  await page.waitForTimeout(300);
  page.checked?.push(screen);
  const pwned = await page.evaluate(() => window.__pwned);
  const markup = await dangerousMarkup(page);
  const trackerImages = await page.evaluate(
    origin =>
      Array.from(document.images)
        .map(img => img.getAttribute('src') ?? '')
        .filter(src => src.startsWith(origin)),
    TRACKER,
  );
  const problems = [
    ...page.executed,
    ...trackerImages.map(src => `an image loads from another host: ${src}`),
    ...trackerHits.map(url => `the tracker host was called: ${url}`),
    ...(pwned === undefined ? [] : [`window.__pwned is ${pwned}`]),
    ...markup,
  ];
  if (problems.length) {
    await shot(page, `hostile-${screen}`);
  }
  assert.deepEqual(
    problems,
    [],
    `${screen}: hostile content ran or is live in the DOM\n` +
      `diagnostics:\n${page.diagnostics.join('\n')}`,
  );
}

/**
 * Clicks every link matched by `selector`, one at a time; after a click that
 * left the page, `reopen` brings it back before the next one. A link whose
 * target another link of the same markup already led to is not clicked
 * again: the drafter links every mention of a person to the same catalog
 * page, and each such round trip costs seconds (the DOM check still reads
 * every link's attributes).
 */
async function clickEveryLink(page, selector, reopen) {
  const links = page.locator(selector);
  const count = await links.count();
  const where = page.url();
  const followed = new Set();
  for (let i = 0; i < count; i++) {
    const link = links.nth(i);
    const href = await link.getAttribute('href');
    // Another page of the portal is the same page whichever link led there.
    const key =
      href && /^\/[^#]*$/.test(href)
        ? href
        : await link.evaluate(a => a.outerHTML).catch(() => href);
    if (followed.has(key)) continue;
    followed.add(key);
    await link.scrollIntoViewIfNeeded().catch(() => {});
    await link.click({ timeout: 5_000, noWaitAfter: true }).catch(error => {
      page.diagnostics.push(`could not click ${href}: ${error.message}`);
    });
    await page.waitForTimeout(200);
    assert.deepEqual(page.executed, [], `clicking ${href} ran script`);
    if (page.url().split('#')[0] !== where.split('#')[0]) {
      await reopen();
    }
  }
  return followed.size;
}

test(
  'hostile incident and post-mortem content never executes in the browser',
  // Opens every screen and clicks the rendered links: minutes on a busy
  // two-core machine.
  { timeout: 420_000 },
  async t => {
    const started = Date.now();
    const { ref, postmortem } = await createHostileIncident();
    const page = await trappedPage();

    // Positive control: with the policy bypassed, a payload that does reach
    // the DOM runs, and both the trap and the DOM check see it.
    await page.evaluate(() => {
      const probe = document.createElement('div');
      probe.id = 'hostile-probe';
      probe.innerHTML = '<img src=x onerror="window.__pwned=1">';
      document.body.append(probe);
    });
    await page.waitForFunction(() => window.__pwned === 1);
    assert.equal(page.executed.length, 1, 'the trap reports script that ran');
    assert.ok(
      (await dangerousMarkup(page)).length > 0,
      'the DOM check sees it',
    );
    page.executed.length = 0; // the next navigation starts a clean window
    page.checked = [];
    const sectionLinks = 'section[aria-labelledby^="postmortem-section-"] a';
    const incidentPath = `/postmortems/incidents/${ref}`;
    const openIncident = async () => {
      await page.goto(`${baseUrl}${incidentPath}`);
      await page
        .getByRole('table', { name: 'Action items' })
        .getByText('hostilecanary action', { exact: false })
        .waitFor({ timeout: 30_000 });
    };

    // The draft, as read: every section rendered from Markdown.
    await openIncident();
    await page
      .getByRole('list', { name: 'Comments' })
      .getByText('hostilecanary comment', { exact: false })
      .waitFor({ timeout: 30_000 });
    await assertClean(page, 'postmortem-view');
    const clicked = await clickEveryLink(page, sectionLinks, openIncident);
    t.diagnostic(`clicked ${clicked} distinct links in the rendered sections`);
    assert.ok(clicked > 0, 'the harmless links survive and can be clicked');
    await assertClean(page, 'postmortem-view-after-clicks');

    // Edit mode: every section's editor with its live preview, plus typing.
    const openEditors = async () => {
      await openIncident();
      for (const section of postmortem.sections) {
        await page
          .getByRole('button', { name: `Edit ${section.title}`, exact: true })
          .click();
      }
      await page
        .locator('[role="region"][aria-label^="Preview of "]')
        .nth(postmortem.sections.length - 1)
        .waitFor();
    };
    await openEditors();
    await page
      .getByLabel(`${postmortem.sections[0].title} (Markdown)`)
      .fill(`${HOSTILE_MARKDOWN}\n\ntyped ${ONE_LINE}`);
    await page
      .getByRole('region', {
        name: `Preview of ${postmortem.sections[0].title}`,
      })
      .getByText(/^typed /)
      .waitFor();
    await assertClean(page, 'postmortem-edit');
    await clickEveryLink(
      page,
      '[role="region"][aria-label^="Preview of "] a',
      openEditors,
    );
    await assertClean(page, 'postmortem-edit-after-clicks');

    // The revision diff: the first version (the plain draft) against now.
    await openIncident();
    await page
      .getByRole('button', {
        name: 'Compare version 1 with the current version',
      })
      .click();
    await page
      .getByRole('table', { name: /^Changes from version/ })
      .waitFor({ timeout: 30_000 });
    await assertClean(page, 'revision-diff');

    // The affected service's tab: the table, then the post-mortem inside it.
    const tab = '/catalog/default/component/notification-service/postmortems';
    await page.goto(`${baseUrl}${tab}`);
    await page
      .getByRole('row', { name: new RegExp(ref) })
      .first()
      .waitFor({ timeout: 30_000 });
    await assertClean(page, 'service-tab');
    await page.goto(`${baseUrl}${tab}?incident=${ref}`);
    await page.locator(sectionLinks).first().waitFor({ timeout: 30_000 });
    await assertClean(page, 'service-tab-postmortem');

    // Publish, then the organization's list, the action items and Search.
    await api('PATCH', `/incidents/${ref}/postmortem`, {
      version: (await api('GET', `/incidents/${ref}/postmortem`)).version,
      status: 'published',
      override_findings: true,
    });
    await page.goto(`${baseUrl}/postmortems`);
    await page
      .getByRole('row', { name: new RegExp(ref) })
      .first()
      .waitFor({ timeout: 30_000 });
    await assertClean(page, 'postmortems-page');
    await page.goto(`${baseUrl}/postmortems/action-items`);
    await page
      .getByText('hostilecanary action', { exact: false })
      .first()
      .waitFor({ timeout: 30_000 });
    await assertClean(page, 'action-items-page');

    await openIncident();
    await assertClean(page, 'published-postmortem');
    await clickEveryLink(page, sectionLinks, openIncident);
    await assertClean(page, 'published-postmortem-after-clicks');

    // The collator indexes published post-mortems every few seconds here.
    let found = false;
    for (let attempt = 0; attempt < 12 && !found; attempt++) {
      await page.goto(`${baseUrl}/search?query=hostilecanary`);
      found = await page
        .getByText(ref, { exact: false })
        .first()
        .waitFor({ timeout: 3_000 })
        .then(
          () => true,
          () => false,
        );
    }
    assert.ok(found, 'the published post-mortem is found in Search');
    await assertClean(page, 'search-results');

    // The incident's catalog entity renders its summary as Markdown.
    const entityPath = `/catalog/default/incident/${ref.toLowerCase()}`;
    let entityShown = false;
    for (let attempt = 0; attempt < 6 && !entityShown; attempt++) {
      await page.goto(`${baseUrl}${entityPath}`);
      entityShown = await page
        .getByText('hostilecanary', { exact: false })
        .first()
        .waitFor({ timeout: 3_000 })
        .then(
          () => true,
          () => false,
        );
    }
    if (entityShown) {
      await assertClean(page, 'incident-entity');
    } else {
      t.diagnostic(`the catalog had no ${entityPath} yet; page not checked`);
    }

    t.diagnostic(
      `checked ${page.checked.length} screens in ${Math.round(
        (Date.now() - started) / 1000,
      )} s: ${page.checked.join(', ')}; ${
        page.popups
      } external links opened a tab (to nowhere); ${
        page.failedLoads
      } resources failed to load`,
    );
    if (page.diagnostics.length) {
      t.diagnostic(`browser diagnostics:\n${page.diagnostics.join('\n')}`);
    }
    assert.deepEqual(page.serverErrors, []);
    await page.context().close();
  },
);
