// End-to-end: the playground (demo/playground.html) served with the BUILT bundle and the local
// Bookbag server, driven by Playwright in Debian's Chromium. Each check works a panel the way a
// person would (labelled controls, buttons) and looks at the element, the event log and the
// server's request log. Prints `e2e: N passed, N failed`.
import type { Page } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import { startDemo } from '../../demo/serve.ts';
import { assert, check, finish, launch } from './harness.ts';

/** The element's public surface, as the page sees it (the e2e does not import the source). */
interface ChatElement extends HTMLElement {
  status: string;
  messages: Array<{ id: string; role: string; parts: Array<{ type: string; text?: string; toolName?: string; state?: string }> }>;
  tools: Record<string, unknown>;
  agentId: string;
}

interface RecordedRequest { method: string; path: string; headers: Record<string, string>; body: unknown }

const demo = await startDemo({ built: true, port: 0, pace: 15 });
const browser = await launch();
await mkdir('test-results', { recursive: true });
const url = `${demo.origin}/demo/playground.html`;

const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
const pageErrors: string[] = [];
page.on('pageerror', (e) => pageErrors.push(String(e)));

const chat = 'bookbag-chat';
const idle = (p: Page) => p.waitForFunction(() => (document.querySelector('bookbag-chat') as ChatElement).status === 'idle', undefined, { timeout: 15000 });
const lastAssistantText = (p: Page) => p.evaluate(() => {
  const el = document.querySelector('bookbag-chat') as ChatElement;
  const m = [...el.messages].reverse().find((x) => x.role === 'assistant');
  return (m?.parts ?? []).filter((x) => x.type === 'text').map((x) => x.text).join('');
});

/** The `detail` text of every log entry with this title, newest first. */
const logDetails = (p: Page, title: string) => p.locator('#log .entry').filter({ has: p.locator('.entry-title', { hasText: new RegExp(`^${title.replace(/[()[\]]/g, '\\$&')}$`) }) })
  .locator('.entry-detail').allTextContents();

async function waitForLog(p: Page, title: string, contains: string, timeout = 15000): Promise<string> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const hit = (await logDetails(p, title)).find((t) => t.includes(contains));
    if (hit) return hit;
    await p.waitForTimeout(50);
  }
  throw new Error(`no "${title}" log entry containing ${contains}; log titles: ${(await p.locator('#log .entry-title').allTextContents()).slice(0, 15).join(', ')}`);
}

/** Sends through the Methods panel's send() form. */
async function sendViaMethod(p: Page, text: string): Promise<void> {
  await p.getByLabel('text', { exact: true }).fill(text);
  await p.locator('form[data-method="send"] button[type="submit"]').click();
}

async function serverRequests(p: Page): Promise<RecordedRequest[]> {
  const agentId = await p.evaluate(() => (document.querySelector('bookbag-chat') as ChatElement).agentId);
  const res = await fetch(`${demo.origin}/__mock/agents/${agentId}/requests`);
  return ((await res.json()) as { data: RecordedRequest[] }).data;
}

await check('the playground loads the built bundle and talks to its own test agent', async () => {
  await page.goto(url);
  await page.waitForSelector('body[data-ready]');
  const src = await page.evaluate(() => [...document.scripts].map((s) => s.src).join(' '));
  assert(src.includes('/dist/bookbag-chat.js'), `page did not load the built bundle: ${src}`);
  const agentId = await page.locator(chat).getAttribute('agent-id');
  assert(agentId && /^\d+$/.test(agentId) && agentId !== '123', `expected a fresh /__mock agent, got ${agentId}`);
  await page.locator(`${chat} [part="input"]`).waitFor();
  assert((await page.locator('#markup').textContent())?.includes(`agent-id="${agentId}"`), 'markup does not show the agent id');
  assert(await page.getByRole('link', { name: 'Demo shop' }).isVisible(), 'no link back to the demo');
});

await check('the heading control changes the header text and the copyable markup', async () => {
  const tricky = 'Tea & "cups" <b>now</b>';
  await page.getByLabel('heading', { exact: true }).fill(tricky);
  const shown = await page.locator(`${chat} [part="heading"]`).textContent();
  assert(shown === tricky, `header shows ${JSON.stringify(shown)}`);
  const markup = (await page.locator('#markup').textContent()) ?? '';
  assert(markup.includes('heading="Tea &amp; &quot;cups&quot; <b>now</b>"'), `markup: ${markup}`);
  assert((await page.locator('#markup b').count()) === 0, 'markup was parsed as HTML');
  await page.getByLabel('heading', { exact: true }).fill('Support desk');
  assert((await page.locator(`${chat} [part="heading"]`).textContent()) === 'Support desk', 'header did not follow the second change');
});

await check('a token control changes a computed style inside the element, and reset undoes it', async () => {
  const sendBg = () => page.locator(`${chat} [part="send-button"]`).evaluate((b) => getComputedStyle(b).backgroundColor);
  const before = await sendBg();
  await page.getByLabel('--bookbag-accent-color', { exact: true }).fill('#c2185b');
  assert((await sendBg()) === 'rgb(194, 24, 91)', `send button background ${await sendBg()} (was ${before})`);
  const css = (await page.locator('#token-css').textContent()) ?? '';
  assert(css.includes('--bookbag-accent-color: #c2185b;'), `css block: ${css}`);
  await page.getByLabel('--bookbag-radius', { exact: true }).fill('3');
  const radius = await page.locator(`${chat} [part="panel"]`).evaluate((el) => getComputedStyle(el).borderTopLeftRadius);
  assert(radius === '3px', `panel radius ${radius}`);
  await page.getByRole('button', { name: 'Reset all tokens' }).click();
  assert((await sendBg()) === before, `after reset ${await sendBg()} vs ${before}`);
  assert(!(await page.locator('#token-css').textContent())?.includes('--bookbag'), 'css block still lists tokens');
});

await check('send() from the Methods panel fills the event log with bookbag-* events and their detail', async () => {
  await page.locator('#log-clear').click();
  await sendViaMethod(page, 'Hello playground');
  await waitForLog(page, 'bookbag-send', '"text": "Hello playground"');
  await waitForLog(page, 'bookbag-stream-start', '"conversationId"');
  const message = await waitForLog(page, 'bookbag-message', '"role": "assistant"');
  assert(message.includes("Bookbag demo agent"), `bookbag-message detail: ${message.slice(0, 200)}`);
  await waitForLog(page, 'bookbag-conversation', '"conversationId"');
  await page.locator('#log .entry-title', { hasText: 'send("Hello playground") resolved' }).waitFor({ timeout: 10000 });
  // Newest first: the last event of the turn sits above the send.
  const titles = await page.locator('#log .entry-title').allTextContents();
  assert(titles.indexOf('bookbag-message') < titles.indexOf('bookbag-send'), `order: ${titles.join(', ')}`);
  await idle(page);
  assert((await page.locator('#state-messages').textContent()) === '2', 'the messages count did not update');
});

await check('the 429 switch makes the next send show the rate-limit error in the element and the log', async () => {
  await page.getByLabel(/429 rate limit/).check();
  assert(((await page.locator('.header-out').textContent()) ?? '').includes('"status":429'), 'header preview does not show the switch');
  await sendViaMethod(page, 'Am I rate limited?');
  const error = page.locator(`${chat} [part="error"]`);
  await error.waitFor({ timeout: 10000 });
  assert((await error.getAttribute('data-code')) === 'RATE_LIMIT_TOO_MANY_REQUESTS', `error code ${await error.getAttribute('data-code')}`);
  const logged = await waitForLog(page, 'bookbag-error', 'RATE_LIMIT_TOO_MANY_REQUESTS');
  assert(logged.includes('"status": 429') && logged.includes('"retryable": true'), `bookbag-error detail: ${logged}`);
  const chats = (await serverRequests(page)).filter((r) => r.method === 'POST' && r.path.endsWith('/chat'));
  assert(JSON.parse(chats.at(-1)!.headers['x-bookbag-mock']).status === 429, 'the chat request did not carry the switch header');
  // Nothing reached the agent: the message goes back into the composer, and Send waits out
  // Retry-After. The one-shot switch turned itself off, so sending again then works.
  assert((await page.locator(`${chat} [part="input"]`).inputValue()) === 'Am I rate limited?', 'the message was not returned to the composer');
  assert(((await error.textContent()) ?? '').match(/\d/), `no countdown in ${await error.textContent()}`);
  assert(await page.locator(`${chat} [part="send-button"]`).isDisabled(), 'Send is enabled during the countdown');
  assert(!(await page.getByLabel(/429 rate limit/).isChecked()), 'the one-shot switch is still on');
  await page.waitForFunction(() => !(document.querySelector('bookbag-chat') as ChatElement).shadowRoot!.querySelector<HTMLButtonElement>('[part="send-button"]')!.disabled, undefined, { timeout: 10000 });
  await page.locator(`${chat} [part="send-button"]`).click();
  await page.waitForFunction(() => {
    const el = document.querySelector('bookbag-chat') as ChatElement;
    return el.status === 'idle' && !el.shadowRoot!.querySelector('[part="error"]') && el.messages.at(-1)?.role === 'assistant';
  }, undefined, { timeout: 15000 });
  assert((await lastAssistantText(page)).includes('Am I rate limited?'), `reply after the countdown: ${await lastAssistantText(page)}`);
});

await check('the drop switch leaves a partial reply with a Retry control', async () => {
  await page.getByLabel(/Drop mid-stream/).check();
  await sendViaMethod(page, 'Tell me about the mug');
  const retry = page.locator(`${chat} [part="error"] [part="retry-button"]`);
  await retry.waitFor({ timeout: 10000 });
  // What arrived after the question: at most the three words sent before the drop (a reset
  // may discard bytes the browser received but had not read, so under load fewer, even none).
  const partial = await page.evaluate(() => {
    const { messages } = document.querySelector('bookbag-chat') as ChatElement;
    const asked = messages.map((m) => m.role).lastIndexOf('user');
    return messages.slice(asked + 1).flatMap((m) => m.parts).filter((x) => x.type === 'text').map((x) => x.text).join('');
  });
  const words = partial.trim() ? partial.trim().split(/\s+/).length : 0;
  assert(words <= 3, `partial text: ${JSON.stringify(partial)}`);
  const logged = await waitForLog(page, 'bookbag-error', '"code"');
  assert(/STREAM_INTERRUPTED|NETWORK_ERROR/.test(logged), `bookbag-error detail: ${logged}`);
  await retry.click();
  await page.waitForFunction(() => {
    const el = document.querySelector('bookbag-chat') as ChatElement;
    return el.status === 'idle' && !el.shadowRoot!.querySelector('[part="error"]');
  }, undefined, { timeout: 15000 });
  assert((await lastAssistantText(page)).startsWith('You asked: "Tell me about the mug"'), `after retry: ${await lastAssistantText(page)}`);
});

await check('a registered tool, called through its quick prompt, runs and its result goes back to the agent', async () => {
  await page.getByRole('button', { name: 'Unregister all', exact: true }).click();
  assert((await page.evaluate(() => Object.keys((document.querySelector('bookbag-chat') as ChatElement).tools))).length === 0, 'tools not cleared');
  await page.getByLabel('Register get_time').check();
  const names = await page.evaluate(() => Object.keys((document.querySelector('bookbag-chat') as ChatElement).tools));
  assert(JSON.stringify(names) === '["get_time"]', `element.tools: ${names}`);
  await page.locator('button[data-prompt="get_time"]').click();
  await page.locator(`${chat} [part="tool-call"]`, { hasText: 'get_time' }).waitFor({ timeout: 10000 });
  await waitForLog(page, 'bookbag-tool-call', '"toolName": "get_time"');
  const result = await waitForLog(page, 'bookbag-tool-result', '"toolName": "get_time"');
  assert(result.includes('"isError": false') && result.includes('"timeZone"'), `bookbag-tool-result: ${result}`);
  await page.waitForFunction(() => /get_time finished/.test(JSON.stringify((document.querySelector('bookbag-chat') as ChatElement).messages.at(-1))), undefined, { timeout: 15000 });
  const posted = (await serverRequests(page)).filter((r) => r.method === 'POST' && r.path.endsWith('/tool-result')).at(-1);
  const output = (posted?.body as { output?: { iso?: string } } | undefined)?.output;
  assert(typeof output?.iso === 'string' && !Number.isNaN(Date.parse(output.iso)), `tool-result body: ${JSON.stringify(posted?.body)}`);
});

await check('the approval tool waits for Allow, then changes the tokens', async () => {
  await page.getByRole('button', { name: 'Register all', exact: true }).click();
  await page.locator('button[data-prompt="set_theme"]').click();
  const allow = page.locator(`${chat} [part="tool-allow-button"]`);
  await allow.waitFor({ timeout: 10000 });
  assert((await page.locator(`${chat}`).evaluate((el) => el.style.getPropertyValue('--bookbag-surface-color'))) === '', 'tokens changed before approval');
  await allow.click();
  await page.waitForFunction(() => (document.querySelector('bookbag-chat') as HTMLElement).style.getPropertyValue('--bookbag-surface-color') === '#1b1d22', undefined, { timeout: 10000 });
  await waitForLog(page, 'bookbag-tool-result', '"theme": "dark"');
  await idle(page);
  await page.screenshot({ path: 'test-results/playground-desktop.png' });
  await page.getByRole('button', { name: 'Reset all tokens' }).click();
});

await check('mode and open controls follow the element both ways', async () => {
  await page.getByLabel('mode', { exact: true }).selectOption('launcher');
  await page.locator(`${chat} [part="launcher"]`).waitFor();
  assert(await page.locator('#launcher-note').isVisible(), 'no launcher note');
  await page.locator(`${chat} [part="launcher"]`).click();
  await page.waitForFunction(() => (document.querySelector('input[data-attribute="open"]') as HTMLInputElement).checked);
  assert((await page.locator('#markup').textContent())?.includes('\n  open\n'), 'markup does not show open');
  await page.getByLabel('open', { exact: true }).uncheck();
  assert(!(await page.locator(chat).evaluate((el) => el.hasAttribute('open'))), 'element still open');
  await page.getByLabel('mode', { exact: true }).selectOption('inline');
});

await check('the event log keeps the newest 200 entries and clears', async () => {
  await page.locator('#log-clear').click();
  assert((await page.locator('#log .entry').count()) === 0, 'log not cleared');
  // Each toggle() call adds at least one entry (the call; in launcher mode also an event).
  await page.evaluate(() => { for (let i = 0; i < 250; i++) (document.querySelector('form[data-method="toggle"] button') as HTMLButtonElement).click(); });
  await page.waitForFunction(() => document.querySelectorAll('#log .entry').length === 200);
  // One more, marked: once it is the newest entry, every earlier one has been logged too.
  await page.evaluate(() => { document.querySelector('#log .entry')!.setAttribute('data-before-last', ''); (document.querySelector('form[data-method="toggle"] button') as HTMLButtonElement).click(); });
  await page.waitForFunction(() => !document.querySelector('#log .entry')!.hasAttribute('data-before-last'));
  assert((await page.locator('#log .entry').count()) === 200, 'log grew past its cap');
  assert(((await page.locator('#log-count').textContent()) ?? '').startsWith('200 entries'), `count label: ${await page.locator('#log-count').textContent()}`);
  await page.locator('#log-clear').click();
  assert((await page.locator('#log .entry').count()) === 0, 'log not cleared');
});

await check('the layout fits a 1280×800 window and a 375 px phone without sideways scrolling', async () => {
  const wide = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, stage: document.querySelector('.stage-box')!.getBoundingClientRect().width }));
  assert(wide.doc <= 1280 && wide.stage >= 320, `desktop: ${JSON.stringify(wide)}`);
  const phone = await browser.newPage({ viewport: { width: 375, height: 667 } });
  phone.on('pageerror', (e) => pageErrors.push(String(e)));
  await phone.goto(url);
  await phone.waitForSelector('body[data-ready]');
  const narrow = await phone.evaluate(() => ({ doc: document.documentElement.scrollWidth, input: document.querySelector('bookbag-chat')!.shadowRoot!.querySelector('[part="input"]')!.getBoundingClientRect().bottom }));
  assert(narrow.doc <= 375, `phone page is ${narrow.doc}px wide`);
  assert(narrow.input <= 667, `the composer is below the first screen (${narrow.input}px)`);
  await phone.screenshot({ path: 'test-results/playground-phone.png' });
  await phone.close();
});

await check('no uncaught page errors', async () => {
  assert(pageErrors.length === 0, pageErrors.join('\n'));
});

await browser.close();
await demo.close();
finish();
