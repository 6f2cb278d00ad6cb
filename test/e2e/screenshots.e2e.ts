// The visitor-experience screenshot set, on the BUILT bundle: every state the widget can be in
// (closed, open, waiting, streaming, tool running, approval, done, error, stopped, history), on
// desktop, phone portrait and landscape, dark and right-to-left. PNGs go to
// test-results/ux/<viewport>-<scheme>-<lang>-<state>.png for a person to look at; each check
// also asserts that the state's part is on screen and inside the viewport.
import http from 'node:http';
import { mkdir, readFile, readdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { startBookbagServer } from '../../demo/server/app.ts';
import { assert, check, finish, launch } from './harness.ts';

const OUT = 'test-results/ux';
await mkdir(OUT, { recursive: true });
const api = await startBookbagServer({ port: 0, pace: 0 });
const files = new Set((await readdir('dist')).filter((f) => f.endsWith('.js')));

async function newAgent(init: object): Promise<{ agentId: string; workspaceKey: string; apiBase: string }> {
  const res = await fetch(`${api.origin}/__mock/agents`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(init) });
  return res.json() as never;
}

const REPLY = 'Here is what I found:\n\n- **Blue mug**, 350 ml — $12.00\n- **Green mug**, 300 ml — $11.00\n\nWould you like one?';
const pageHtml = (q: URLSearchParams) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Shop</title>
<link rel="stylesheet" href="/page.css"><script type="module" src="/bookbag-chat.js"></script></head><body>
<main><h1>Mugs &amp; more</h1><p>Handmade mugs, shipped worldwide.</p></main>
<bookbag-chat agent-id="${q.get('agent')}" api-base="${api.origin}/api/v2" api-key="${q.get('key')}" storage="none" lang="${q.get('lang')}"
  theme="${q.get('theme')}" agent-name="Mia" welcome="Hi! I can help you find a mug." timestamps></bookbag-chat></body></html>`;
const css = 'body{font:16px system-ui;margin:0;padding:24px;min-height:100vh;box-sizing:border-box}@media (prefers-color-scheme:dark){body{background:#111;color:#eee}}';

const site = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const name = url.pathname.slice(1);
  if (url.pathname === '/page.html') res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(pageHtml(url.searchParams));
  else if (url.pathname === '/page.css') res.writeHead(200, { 'Content-Type': 'text/css' }).end(css);
  else if (files.has(name)) res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(await readFile(`dist/${name}`));
  else res.writeHead(404).end();
});
await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
const browser = await launch();

type Setup = (page: Page) => Promise<string>; // returns the selector of the state's part
const chat = 'bookbag-chat';
const part = (name: string) => `${chat} [part~="${name}"]`;
// Page scripts are strings: tsx compiles closures with a `__name` helper the page does not have.
const inPage = (page: Page, body: string) => page.evaluate(`(() => { const chat = document.querySelector('bookbag-chat'); ${body} })()`);
const send = (page: Page, text: string) => inPage(page, `void chat.send(${JSON.stringify(text)});`);

const states: [string, object, Setup][] = [
  ['closed', {}, async () => part('launcher')],
  ['open', {}, async (p) => (await p.click(part('launcher')), part('empty'))],
  ['waiting', {}, async (p) => {
    await p.click(part('launcher'));
    await inPage(p, 'chat.headers = () => new Promise(() => {});');
    await send(p, 'Do you have blue mugs?');
    return part('typing-indicator');
  }],
  ['streaming', { config: { stallAfter: 8, stallMs: 60000 }, replies: [{ text: REPLY }] }, async (p) => (await p.click(part('launcher')), await send(p, 'Do you have mugs?'), part('message-assistant'))],
  ['tool-running', { replies: [{ text: 'Adding it to your cart.', toolCalls: [{ toolName: 'add_to_cart', input: { item: 'Blue mug', quantity: 1 } }], after: 'Done.' }] }, async (p) => {
    await p.click(part('launcher'));
    await inPage(p, "chat.tools = { add_to_cart: { label: 'Add to cart', describe: (i) => i.quantity + ' × ' + i.item, handler: () => new Promise(() => {}) } };");
    await send(p, 'Add a blue mug');
    return `${part('tool-call')}[data-state="running"]`;
  }],
  ['approval', { replies: [{ text: 'Ready to order.', toolCalls: [{ toolName: 'place_order', input: { item: 'Blue mug', quantity: 500, price: '$12.00', shipTo: 'Mallory Example, 1 Long Street Name That Goes On, Somewhere Far Away, 99999', note: 'gift\u202Efdp.exe' } }], after: 'Ordered.' }] }, async (p) => {
    await p.click(part('launcher'));
    await inPage(p, "chat.tools = { place_order: { label: 'Place order', confirm: true, handler: () => ({ ok: true }) } };");
    await send(p, 'Order it');
    return part('tool-confirm');
  }],
  ['done', { replies: [{ text: 'Adding it.', toolCalls: [{ toolName: 'add_to_cart', input: { item: 'Blue mug' } }], after: REPLY }] }, async (p) => {
    await p.click(part('launcher'));
    await inPage(p, "chat.tools = { add_to_cart: { label: 'Add to cart', handler: () => ({ ok: true }) } };");
    await send(p, 'Add a blue mug');
    return part('actions');
  }],
  ['error', { config: { status: 500 } }, async (p) => (await p.click(part('launcher')), await send(p, 'Hello?'), part('error'))],
  ['stopped', { config: { stallAfter: 6, stallMs: 60000 }, replies: [{ text: REPLY }] }, async (p) => {
    await p.click(part('launcher'));
    await send(p, 'Do you have mugs?');
    await p.locator(part('bubble')).nth(1).waitFor();
    await inPage(p, 'chat.stop();');
    return part('stopped');
  }],
  ['history', {}, async (p) => {
    await p.click(part('launcher'));
    await p.click(part('history-button'));
    return part('history');
  }],
];

const views: [string, { width: number; height: number }, boolean][] = [
  ['desktop', { width: 1280, height: 800 }, false],
  ['phone', { width: 390, height: 844 }, true],
  ['landscape', { width: 844, height: 390 }, true],
];
const looks: [string, 'light' | 'dark', string][] = [['light', 'light', 'en'], ['dark', 'dark', 'en'], ['rtl', 'light', 'ar']];

for (const [view, viewport, mobile] of views) {
  for (const [look, scheme, lang] of looks) {
    // Every state on desktop light; the other combinations take the states that change most.
    const subset = view === 'desktop' && look === 'light' ? states : states.filter(([s]) => ['open', 'approval', 'done', 'history'].includes(s));
    for (const [state, init, setup] of subset) {
      await check(`${view} ${look}: ${state}`, async () => {
        const agent = await newAgent(init);
        const context = await browser.newContext({ viewport, isMobile: mobile, hasTouch: mobile, colorScheme: scheme, deviceScaleFactor: 1 });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        const q = new URLSearchParams({ agent: agent.agentId, key: agent.workspaceKey, lang, theme: look === 'dark' ? 'dark' : 'auto' });
        await page.goto(`${origin}/page.html?${q}`);
        await page.locator(part('launcher')).waitFor();
        const selector = await setup(page);
        const target = page.locator(selector).first();
        await target.waitFor({ state: 'visible' });
        const box = (await target.boundingBox())!;
        assert(box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width + 1 && box.y + box.height <= viewport.height + 1,
          `${selector} is off screen: ${JSON.stringify(box)}`);
        await page.screenshot({ path: `${OUT}/${view}-${look}-${state}.png` });
        assert(errors.length === 0, errors.join('; '));
        await context.close();
      });
    }
  }
}

await browser.close();
site.closeAllConnections();
site.close();
await api.close();
finish();
