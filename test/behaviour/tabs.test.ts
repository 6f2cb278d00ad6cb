// Two tabs of one shop: two same-origin pages (iframes) share localStorage and a
// BroadcastChannel, as two tabs do. A conversation started in one reaches the other, new
// messages follow, and neither sets off a request loop while idle.
import { expect } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import type { BookbagChat } from '../../src/bookbag-chat.js';
import { createAgent, requestsOf, type RecordedRequest, type TestAgent } from '../helpers/local-server.js';

const define = new URL('../../src/define.ts', import.meta.url).href;
const frames: HTMLIFrameElement[] = [];

/** A page of its own with one <bookbag-chat> (storage: local), ready. */
async function tab(agent: TestAgent): Promise<BookbagChat> {
  const frame = document.createElement('iframe');
  frame.srcdoc = `<!doctype html><meta charset="utf-8"><script type="module" src="${define}"></script>
    <bookbag-chat mode="inline" storage="local" agent-id="${agent.agentId}" api-base="${agent.apiBase}" api-key="${agent.workspaceKey}"></bookbag-chat>`;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  frames.push(frame);
  await loaded;
  await frame.contentWindow!.customElements.whenDefined('bookbag-chat');
  const el = frame.contentDocument!.querySelector('bookbag-chat') as BookbagChat;
  await el.updateComplete;
  return el;
}

const bubbles = (el: BookbagChat) => [...el.shadowRoot!.querySelectorAll('[part~="bubble"]')].map((b) => b.textContent!.trim());
const apiRequests = async (agent: TestAgent): Promise<RecordedRequest[]> => requestsOf(agent.agentId);

describe('two tabs', () => {
  afterEach(() => {
    for (const f of frames.splice(0)) f.remove();
    localStorage.clear();
  });

  it('a new conversation and new messages reach the other tab; idle, there is no request loop', async function () {
    this.timeout(40000);
    const agent = await createAgent({ replies: [{ text: 'First answer.' }, { text: 'Second answer.' }] });
    const a = await tab(agent);
    const b = await tab(agent);
    await a.send('first question');
    await waitUntil(() => b.conversationId === a.conversationId && bubbles(b).join('|') === 'first question|First answer.', 'tab B did not follow');
    await a.send('second question');
    await waitUntil(() => bubbles(b).includes('Second answer.'), 'tab B did not get the new messages');
    expect(bubbles(b)).to.deep.equal(bubbles(a));

    // Idle now. Measure the requests both tabs make over a 10 s window of the server's request
    // log; a loop (the old bug: hundreds every 3 s) fails as soon as it passes the limit.
    const settled = (await apiRequests(agent)).length;
    const from = performance.now();
    let extra: RecordedRequest[] = [];
    await waitUntil(async () => {
      extra = (await apiRequests(agent)).slice(settled);
      return extra.length > 3 || performance.now() - from >= 10_000;
    }, '', { interval: 250, timeout: 30_000 });
    expect(extra.map((r) => `${r.method} ${r.path}`), 'requests while idle').to.have.length.at.most(3);
  });

  it('a new conversation in one tab is followed by the other', async () => {
    const agent = await createAgent({ replies: [{ text: 'Hello.' }] });
    const a = await tab(agent);
    const b = await tab(agent);
    await a.send('hi');
    await waitUntil(() => b.conversationId === a.conversationId, 'tab B did not follow');
    a.reset();
    await waitUntil(() => b.conversationId === null && bubbles(b).length === 0, 'tab B did not start anew');
  });
});
