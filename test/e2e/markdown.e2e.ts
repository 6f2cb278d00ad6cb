// Markdown on the BUILT bundle, in a real foreground page: hostile replies render or degrade
// without crashing or freezing the page (requestAnimationFrame callbacks keep arriving while
// they stream and after), a stored conversation holding one restores safely, an oversized
// reply shows as plain text and renders formatted on request; and screenshots of the corpus
// replies in light and dark for a person to look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startBookbagServer } from '../../demo/server/app.ts';
import { markdownReply } from '../../bench/reply.ts';
import { REPLIES } from '../markdown/corpus-replies.ts';
import { assert, check, finish, launch, startSite } from './harness.ts';

const api = await startBookbagServer({ port: 0, pace: 0 });
interface Agent { agentId: string; workspaceKey: string; apiBase: string }

async function newAgent(text: string): Promise<Agent> {
  const res = await fetch(`${api.origin}/__mock/agents`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ replies: [{ text }] }),
  });
  return (await res.json()) as Agent;
}

// Counts animation frames from page load: a page that stops painting stops counting.
const pageScript = `window.__frames = 0; (function tick() { window.__frames++; requestAnimationFrame(tick); })();`;
const agents = new Map<string, Agent>();
const site = await startSite(pageScript, (url, res) => {
  if (url.pathname !== '/page.html') return false;
  const agent = agents.get(url.searchParams.get('agent') ?? '')!;
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>markdown</title>
<script type="module" src="/bookbag-chat.js"></script><script src="/page.js"></script>
<style>body { margin: 0; } bookbag-chat { display: block; width: 720px; height: 2400px; }</style></head><body>
<bookbag-chat mode="inline" agent-id="${agent.agentId}" api-base="${agent.apiBase}" api-key="${agent.workspaceKey}" storage="local"></bookbag-chat>
</body></html>`);
  return true;
});
const siteOrigin = site.origin;
const browser = await launch();

type Chat = HTMLElement & { status: string; send(t: string): Promise<void>; messages: unknown[] };
const frames = (page: Page) => page.evaluate(() => (window as unknown as { __frames: number }).__frames);

/** Waits (on the page's own frames) until `count` more animation frames have been painted. */
async function paints(page: Page, count = 5): Promise<void> {
  const start = await frames(page);
  await page.waitForFunction((n) => (window as unknown as { __frames: number }).__frames >= n, start + count, { timeout: 60_000 });
}

async function openPage(text: string): Promise<{ page: Page; errors: string[]; agent: Agent }> {
  const agent = await newAgent(text);
  agents.set(agent.agentId, agent);
  const page = await browser.newPage({ viewport: { width: 760, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('crash', () => errors.push('renderer crashed'));
  await page.goto(`${siteOrigin}/page.html?agent=${agent.agentId}`);
  await page.waitForFunction(() => !!customElements.get('bookbag-chat'));
  return { page, errors, agent };
}

/** Sends a message and waits for the reply, counting the frames painted meanwhile. */
async function converse(page: Page): Promise<number> {
  const before = await frames(page);
  await page.evaluate(() => void (document.querySelector('bookbag-chat') as Chat).send('go'));
  await page.waitForFunction(() => (document.querySelector('bookbag-chat') as Chat).status === 'idle'
    && (document.querySelector('bookbag-chat') as Chat).messages.length >= 2, undefined, { timeout: 180_000 });
  return (await frames(page)) - before;
}

const assistantText = (page: Page) => page.evaluate(() => {
  const md = document.querySelector('bookbag-chat')!.shadowRoot!.querySelector('[part~="message-assistant"] .markdown');
  return md ? md.textContent ?? '' : '';
});

const HOSTILE: Array<[string, string]> = [
  ['3,000 nested quotes', `${'>'.repeat(3000)} deep\n\nafter the quotes`],
  ['3,000 nested list markers', `${'- '.repeat(3000)}deep\n\nafter the list`],
  ['10,000 emphasis markers around one letter', `${'*'.repeat(5000)}a${'*'.repeat(5000)}\n\nafter the stars`],
  ['5,000 open brackets', `${'['.repeat(5000)}x\n\nafter the brackets`],
  ['50,000 pipes in one line', `${'|'.repeat(50_000)}\n\nafter the pipes`],
  ['a 20,000-column table', `|${'a|'.repeat(20_000)}\n|${'-|'.repeat(20_000)}\n|${'b|'.repeat(20_000)}\n\nafter the wide table`],
  ['a 20,000-row table', `| a | b |\n|---|---|\n${'| 1 | 2 |\n'.repeat(20_000)}\nafter the long table`],
];

for (const [name, text] of HOSTILE) {
  await check(`hostile reply, ${name}: renders without crash, the page keeps painting, and reloads safely`, async () => {
    const { page, errors } = await openPage(text);
    const painted = await converse(page);
    assert(painted > 0, 'no frame was painted while the reply streamed');
    await paints(page);
    // A long reply renders a slice per frame after it arrived: wait for its end to show.
    await page.waitForFunction(() => /after the/.test(document.querySelector('bookbag-chat')?.shadowRoot?.querySelector('[part~="message-assistant"] .markdown')?.textContent ?? ''), undefined, { timeout: 120_000 });
    assert(/after the/.test(await assistantText(page)), 'the text after the hostile part is missing');
    // The stored conversation holding it comes back on reload, without crashing the page again.
    await page.reload();
    await page.waitForFunction(() => /after the/.test(document.querySelector('bookbag-chat')?.shadowRoot?.querySelector('[part~="message-assistant"] .markdown')?.textContent ?? ''), undefined, { timeout: 120_000 });
    await paints(page);
    assert(errors.length === 0, `page errors: ${errors.join('; ')}`);
    if (name.includes('quotes')) {
      const depth = await page.evaluate(() => {
        let n: Element | null = document.querySelector('bookbag-chat')!.shadowRoot!.querySelector('[part~="message-assistant"] .markdown');
        let d = 0;
        while (n?.firstElementChild) { n = n.firstElementChild; d++; }
        return d;
      });
      assert(depth <= 40, `nesting not capped: ${depth} levels`);
    }
    await page.close();
  });
}

await check('a 1 MB reply streams as plain text, renders formatted on request, and restores safely', async () => {
  const { page, errors } = await openPage(markdownReply(1_000_000));
  const painted = await converse(page);
  assert(painted > 0, 'no frame was painted while the reply streamed');
  const chat = page.locator('bookbag-chat');
  await chat.locator('[part="render-full-button"]').first().waitFor();
  assert(await chat.locator('[part="render-full-button"]').count() === 1, 'no "Show formatted" button');
  assert(await chat.locator('[part="code-block"]').count() === 0, 'an oversized reply was formatted without asking');
  await chat.locator('[part="render-full-button"]').click();
  await page.waitForFunction(() => (document.querySelector('bookbag-chat')!.shadowRoot!.querySelector('[part~="message-assistant"] .markdown')?.textContent ?? '').includes('BENCHEND')
    && !document.querySelector('bookbag-chat')!.shadowRoot!.querySelector('[part="render-full-button"]'), undefined, { timeout: 120_000 });
  assert(await chat.locator('[part="code-block"]').count() > 100, 'the formatted reply has no code blocks');
  await paints(page);
  await page.reload();
  await page.waitForFunction(() => !!document.querySelector('bookbag-chat')?.shadowRoot?.querySelector('[part="render-full-button"]'), undefined, { timeout: 120_000 });
  await paints(page);
  assert(errors.length === 0, `page errors: ${errors.join('; ')}`);
  await page.close();
});

const shots = process.env.MARKDOWN_SCREENSHOTS ?? '/tmp/bookbag-markdown-screenshots';
await check(`screenshots of the corpus replies in light and dark (${shots})`, async () => {
  mkdirSync(shots, { recursive: true });
  const groups = [REPLIES.slice(0, 14), REPLIES.slice(14, 28), REPLIES.slice(28)];
  for (const [g, group] of groups.entries()) {
    const text = group.map(([name, md]) => `###### ${name}\n\n${md}`).join('\n\n---\n\n');
    const { page, errors } = await openPage(text);
    await converse(page);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await paints(page, 2);
      const bubble = page.locator('bookbag-chat [part~="message-assistant"]');
      await bubble.screenshot({ path: join(shots, `corpus-${g + 1}-${scheme}.png`) });
    }
    assert(errors.length === 0, `page errors: ${errors.join('; ')}`);
    await page.close();
  }
});

await browser.close();
site.close();
await api.close();
finish();
