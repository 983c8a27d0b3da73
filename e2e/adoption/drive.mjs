// Drives a freshly adopted portal the way a first user would: through the
// post-mortems HTTP API as the guest user (create an incident, resolve it,
// draft its post-mortem without a model, publish it), then Backstage Search,
// then the post-mortem page in headless Chromium. Exits non-zero on the first
// thing that does not work, saying what.
// Usage: node drive.mjs <base-url> <screenshot-dir>
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [baseUrl, shots] = process.argv.slice(2);
if (!baseUrl || !shots) throw new Error('usage: drive.mjs <base-url> <screenshot-dir>');
mkdirSync(shots, { recursive: true });

const started = Date.now();
const log = msg => console.log(`[drive ${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);

async function call(method, path, token, body) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

// The guest provider's refresh endpoint hands out a user token, as the
// repository README documents for scripts.
const refresh = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
  headers: { 'X-Requested-With': 'XMLHttpRequest' },
});
if (!refresh.ok) throw new Error(`guest sign-in answered ${refresh.status}: ${await refresh.text()}`);
const token = (await refresh.json()).backstageIdentity.token;
log('signed in as guest');

// A word that exists nowhere else, so that the search hit can only be ours.
const marker = `adoptcheck${Date.now().toString(36)}`;
const title = `Checkout latency after ${marker} rollout`;
const api = '/api/postmortems/v1';

const incident = await call('POST', `${api}/incidents`, token, {
  title,
  severity: 'high',
  services: ['component:default/example-website'],
});
const ref = incident.reference ?? `INC-${incident.number}`;
log(`created ${ref} (${incident.id})`);

await call('POST', `${api}/incidents/${ref}/timeline`, token, {
  type: 'message',
  content: `Rolled back the ${marker} release; p99 back under 300 ms`,
});
await call('PATCH', `${api}/incidents/${ref}`, token, { status: 'resolved' });
log(`resolved ${ref}`);

const draft = await call('POST', `${api}/incidents/${ref}/postmortem/generate`, token, {
  provider: 'deterministic',
});
if (draft.generated_by !== 'deterministic' || draft.sections.length === 0) {
  throw new Error(`unexpected draft: generated_by=${draft.generated_by}, ${draft.sections.length} sections`);
}
log(`drafted: ${draft.sections.length} sections, ${draft.findings.length} evidence findings`);

// A deterministic skeleton leaves the judgement sections to people; the
// evidence check lists them, and publishing such a draft is an explicit choice.
const published = await call('PATCH', `${api}/incidents/${ref}/postmortem`, token, {
  status: 'published',
  override_findings: true,
});
if (published.status !== 'published') throw new Error(`post-mortem status is ${published.status}`);
log(`published ${ref}`);

// The collator runs on its schedule; wait for a run after the publication.
const query = `/api/search/query?term=${encodeURIComponent(marker)}&types%5B0%5D=postmortem`;
let hit;
for (const deadline = Date.now() + 120_000; !hit && Date.now() < deadline; ) {
  const res = await fetch(`${baseUrl}${query}`, { headers: { Authorization: `Bearer ${token}` } });
  if (res.ok) {
    const { results } = await res.json();
    hit = results.find(r => r.type === 'postmortem' && r.document.title.includes(marker));
  }
  if (!hit) await new Promise(r => setTimeout(r, 2_000));
}
if (!hit) throw new Error(`search found no postmortem document for "${marker}" within 120 s`);
log(`search found "${hit.document.title}" at ${hit.document.location}`);

const browser = await chromium.launch({
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
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const serverErrors = [];
  page.on('response', r => {
    if (r.url().includes('/api/') && r.status() >= 500) serverErrors.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(`${baseUrl}/postmortems/incidents/${ref}`);
  // The portal's default sign-in page offers the guest provider only.
  await page.getByRole('button', { name: 'Enter' }).click({ timeout: 60_000 });
  await page.getByText(title).first().waitFor({ state: 'visible', timeout: 60_000 });
  const screenshot = join(shots, 'adopted-postmortem.png');
  await page.screenshot({ path: screenshot });
  if (serverErrors.length) throw new Error(`the page got server errors: ${serverErrors.join(', ')}`);
  log(`the post-mortem page shows "${title}"`);
  console.log(`SCREENSHOT ${screenshot}`);
} finally {
  await browser.close();
}
