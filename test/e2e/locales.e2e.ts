// Built-in locales on the BUILT bundle: the page loads one script tag; an element with another
// language fetches that locale's sibling file relative to the bundle's URL (wherever the bundle
// is hosted), under a strict CSP; English fetches nothing more.
import http from 'node:http';
import { readFile, readdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { startBookbagServer } from '../../demo/server/app.ts';
import { assert, check, finish, launch } from './harness.ts';

const api = await startBookbagServer({ port: 0, pace: 0 });
const res = await fetch(`${api.origin}/__mock/agents`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
const agent = (await res.json()) as { agentId: string; workspaceKey: string; apiBase: string };
const files = new Set((await readdir('dist')).filter((f) => f.endsWith('.js')));

/** The bundle lives under a versioned path, not the site root: chunks must follow it there. */
const BASE = '/static/widget/v1/';
const page = (lang: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Locales</title>
<script type="module" src="${BASE}bookbag-chat.js"></script></head><body>
<bookbag-chat mode="inline" lang="${lang}" agent-id="${agent.agentId}" api-base="${agent.apiBase}" api-key="${agent.workspaceKey}" storage="none"></bookbag-chat>
</body></html>`;

const site = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const csp = `default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ${api.origin}`;
  const name = url.pathname.startsWith(BASE) ? url.pathname.slice(BASE.length) : '';
  if (url.pathname === '/page.html') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': csp }).end(page(url.searchParams.get('lang') ?? 'en'));
  } else if (url.pathname === '/favicon.ico') {
    res.writeHead(204).end();
  } else if (files.has(name)) {
    res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(await readFile(`dist/${name}`));
  } else {
    res.writeHead(404).end();
  }
});
await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
const siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
const browser = await launch();

async function open(lang: string) {
  const p = await browser.newPage();
  const scripts: string[] = [];
  const problems: string[] = [];
  p.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname));
  p.on('pageerror', (e) => problems.push(e.message));
  p.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await p.goto(`${siteOrigin}/page.html?lang=${lang}`);
  await p.locator('bookbag-chat [part="send-button"]').waitFor();
  return { p, scripts, problems };
}

/** The markdown renderer chunk, fetched once replies are about to show (an inline chat at once). */
const isMarkdownChunk = (path: string) => path.startsWith(`${BASE}bookbag-chat-markdown-stream-`);

await check('the bundle carries English: lang="en" loads the bundle and its markdown chunk, no locale', async () => {
  const { p, scripts, problems } = await open('en');
  assert((await p.locator('bookbag-chat [part="send-button"]').getAttribute('aria-label')) === 'Send', 'not English');
  const others = scripts.filter((s) => !isMarkdownChunk(s));
  assert(JSON.stringify(others) === JSON.stringify([`${BASE}bookbag-chat.js`]), `scripts: ${scripts.join(', ')}`);
  assert(problems.length === 0, problems.join('; '));
  await p.close();
});

for (const [lang, send] of [['ja', '送信'], ['ar', 'إرسال'], ['fr', 'Envoyer']]) {
  await check(`lang="${lang}" fetches its locale next to the bundle, under a strict CSP`, async () => {
    const { p, scripts, problems } = await open(lang);
    await p.waitForFunction((want) => document.querySelector('bookbag-chat')?.shadowRoot?.querySelector('[part="send-button"]')?.getAttribute('aria-label') === want, send);
    const chunks = scripts.filter((s) => s !== `${BASE}bookbag-chat.js` && !isMarkdownChunk(s));
    assert(chunks.length === 1 && chunks[0].startsWith(`${BASE}bookbag-chat-${lang}-`), `locale scripts: ${chunks.join(', ')}`);
    assert(problems.length === 0, problems.join('; '));
    await p.close();
  });
}

await browser.close();
site.closeAllConnections();
site.close();
await api.close();
finish();
