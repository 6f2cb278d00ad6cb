// Security end-to-end on the BUILT bundle: a page under a strict Content-Security-Policy (with
// and without Trusted Types) works with no violation; the api-key never leaks into the shadow
// DOM, storage, events or the console; loading the bundle twice is harmless.
import type { Page } from 'playwright-core';
import { startBookbagServer } from '../../demo/server/app.ts';
import { assert, check, finish, launch, startSite } from './harness.ts';

const api = await startBookbagServer({ port: 0, pace: 0 });
interface Agent { agentId: string; workspaceKey: string; apiBase: string }
const agents = new Map<string, Agent>();

/** A fresh agent per page, so scripted replies are not shared between checks. */
async function newAgent(): Promise<Agent> {
  const res = await fetch(`${api.origin}/__mock/agents`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      replies: [
        { text: '## Title\n\n**Bold** and a [link](https://example.com) and `code`.\n\n```js\nconsole.log(1)\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n' },
        { text: 'Adding it.', toolCalls: [{ toolName: 'add_to_cart', input: { item: 'mug' } }], after: 'Added.' },
      ],
    }),
  });
  const agent = (await res.json()) as Agent;
  agents.set(agent.agentId, agent);
  return agent;
}

// The page script is a file (script-src 'self' forbids inline scripts). It records CSP
// violations, every bookbag-* event and every console call, for the checks to read.
const pageScript = `
window.__violations = [];
window.__events = [];
window.__console = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
for (const m of ['log', 'info', 'warn', 'error', 'debug']) {
  const orig = console[m].bind(console);
  console[m] = (...args) => { window.__console.push(args.map(String).join(' ')); orig(...args); };
}
for (const name of ['ready','open','close','send','stream-start','message','tool-call','tool-result','feedback','conversation','error']) {
  document.addEventListener('bookbag-' + name, (e) => window.__events.push({ type: e.type, detail: e.detail }));
}
const chat = document.querySelector('bookbag-chat');
chat.tools = { add_to_cart: (input) => ({ ok: true, item: input.item }) };
`;

function pageHtml(agent: Agent, twice: boolean): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CSP page</title>
<script type="module" src="/bookbag-chat.js"></script>
${twice ? '<script type="module" src="/bookbag-chat.js?copy=2"></script>' : ''}
<script type="module" src="/page.js"></script></head><body>
<bookbag-chat mode="inline" agent-id="${agent.agentId}" api-base="${agent.apiBase}" api-key="${agent.workspaceKey}" storage="local"></bookbag-chat>
</body></html>`;
}

const site = await startSite(pageScript, (url, res) => {
  if (url.pathname !== '/page.html') return false;
  const csp = `default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ${api.origin}` +
    (url.searchParams.has('tt') ? "; require-trusted-types-for 'script'" : '');
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': csp }).end(pageHtml(agents.get(url.searchParams.get('agent') ?? '')!, url.searchParams.has('twice')));
  return true;
});
const siteOrigin = site.origin;
const browser = await launch();

async function openPage(query: string): Promise<{ page: Page; errors: string[]; consoleText: string[]; agent: Agent }> {
  const agent = await newAgent();
  const page = await browser.newPage();
  const errors: string[] = [];
  const consoleText: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => consoleText.push(m.text()));
  await page.goto(`${siteOrigin}/page.html?agent=${agent.agentId}&${query}`);
  await page.waitForFunction(() => !!customElements.get('bookbag-chat'));
  return { page, errors, consoleText, agent };
}

async function converse(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => (document.querySelector('bookbag-chat') as unknown as { send(t: string): Promise<void> }).send(t), text);
  await page.waitForFunction(() => ['idle', 'error'].includes((document.querySelector('bookbag-chat') as unknown as { status: string }).status));
}

for (const [label, query] of [['strict CSP', ''], ['strict CSP + Trusted Types', 'tt']] as const) {
  await check(`${label}: the widget streams, renders markdown and runs a tool with no violation`, async () => {
    const { page, errors } = await openPage(query);
    await converse(page, 'markdown please');
    // The reply renders once the markdown chunk is in (fetched under the same CSP).
    await page.locator('bookbag-chat [part="code-block"]').first().waitFor();
    assert(await page.locator('bookbag-chat [part="code-block"]').count() === 1, 'no code block rendered');
    assert(await page.locator('bookbag-chat [part="table"]').count() === 1, 'no table rendered');
    await converse(page, 'add a mug');
    await page.waitForFunction(() => JSON.stringify((document.querySelector('bookbag-chat') as unknown as { messages: unknown[] }).messages).includes('Added.'));
    const violations = await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
    assert(violations.length === 0, `CSP violations: ${violations.join('; ')}`);
    assert(errors.length === 0, `page errors: ${errors.join('; ')}`);
    await page.close();
  });
}

await check('the api-key never reaches the shadow DOM, storage, events or the console', async () => {
  const { page, consoleText, agent } = await openPage('');
  await converse(page, 'hello');
  // Force an error path too: a 500 and a network failure.
  await page.evaluate(() => { (document.querySelector('bookbag-chat') as unknown as { headers: unknown }).headers = { 'x-bookbag-mock': '{"status":500}' }; });
  await converse(page, 'fail please');
  const leaks = await page.evaluate((key) => {
    const el = document.querySelector('bookbag-chat')!;
    const found: string[] = [];
    if (el.shadowRoot!.innerHTML.includes(key)) found.push('shadow DOM');
    for (const store of [localStorage, sessionStorage]) {
      for (let i = 0; i < store.length; i++) if ((store.getItem(store.key(i)!) ?? '').includes(key)) found.push('storage');
    }
    const w = window as unknown as { __events: unknown[]; __console: string[] };
    if (JSON.stringify(w.__events).includes(key)) found.push('events');
    if (w.__console.join('\n').includes(key)) found.push('console (page)');
    if (JSON.stringify((el as unknown as { messages: unknown[] }).messages).includes(key)) found.push('messages');
    return { found, events: w.__events.length };
  }, agent.workspaceKey);
  assert(leaks.events > 3, `too few events recorded (${leaks.events})`);
  assert(leaks.found.length === 0, `api-key found in: ${leaks.found.join(', ')}`);
  assert(!consoleText.join('\n').includes(agent.workspaceKey), 'api-key in the browser console');
  await page.close();
});

await check('loading the bundle twice does not throw and the widget works', async () => {
  const { page, errors } = await openPage('twice');
  await converse(page, 'third');
  assert(errors.length === 0, `page errors: ${errors.join('; ')}`);
  assert(await page.locator('bookbag-chat [part~="message-assistant"]').count() >= 1, 'no reply rendered');
  await page.close();
});

await browser.close();
site.close();
await api.close();
finish();
