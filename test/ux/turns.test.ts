// Waiting, streaming, stopped and failed turns, and the actions under a reply.
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { $, $$, bubbleTexts, chatFor, recordEvents, typeAndSend } from '../helpers/chat.js';
import { configureAgent, createAgent, requestsOf } from '../helpers/local-server.js';

/** A `headers` function that holds every request until `open()` is called. */
function gate() {
  let open!: () => void;
  const ready = new Promise<void>((resolve) => (open = resolve));
  return { headers: () => ready.then(() => ({})), open };
}

describe('ux: waiting and streaming', () => {
  it('shows a typing indicator from send to the first token, announced once, and is accessible', async () => {
    const agent = await createAgent({ replies: [{ text: 'Here it is.' }] });
    const el = await chatFor(agent);
    const g = gate();
    el.headers = g.headers;
    const done = el.send('hello');
    await waitUntil(() => $(el, '[part="typing-indicator"]'), 'no typing indicator while waiting');
    expect($(el, '[part="typing-indicator"]')!.textContent!.trim()).to.equal('Assistant is typing…');
    expect($(el, '[role="status"][aria-live="polite"]')!.textContent!.trim()).to.equal('Assistant is typing…');
    await expect(el).to.be.accessible();
    g.open();
    await done;
    expect($(el, '[part="typing-indicator"]')).to.equal(null);
    expect(bubbleTexts(el)).to.deep.equal(['hello', 'Here it is.']);
  });

  it('uses agent-name in the typing indicator and for screen readers', async () => {
    const agent = await createAgent({ replies: [{ text: 'Hi.' }] });
    const el = await chatFor(agent);
    el.setAttribute('agent-name', 'Mia');
    const g = gate();
    el.headers = g.headers;
    const done = el.send('hello');
    await waitUntil(() => $(el, '[part="typing-indicator"]'));
    expect($(el, '[part="typing-indicator"]')!.textContent!.trim()).to.equal('Mia is typing…');
    g.open();
    await done;
    expect($(el, '[part~="message-assistant"] .sr-only')!.textContent).to.equal('Mia:');
    expect($(el, '[part="agent-name"]')!.textContent).to.equal('Mia');
  });

  it('marks the reply being streamed (the caret), and not once it finished', async () => {
    const agent = await createAgent({ config: { stallAfter: 2, stallMs: 3000 }, replies: [{ text: 'streaming words here' }] });
    const el = await chatFor(agent);
    const done = el.send('hi');
    await waitUntil(() => bubbleTexts(el)[1] === 'streaming words', 'no partial text', { timeout: 4000 });
    const row = $(el, '[part~="message-assistant"]')!;
    expect(row.hasAttribute('data-streaming')).to.equal(true);
    const caret = getComputedStyle(row.querySelector('.markdown > :last-child')!, '::after');
    expect(caret.content).to.equal('""');
    expect(caret.display).to.equal('inline-block');
    // The caret follows the last block, and only that one has it.
    expect(row.querySelectorAll('.markdown > .streaming-caret')).to.have.length(1);
    await done;
    await el.updateComplete;
    expect($(el, '[part~="message-assistant"]')!.hasAttribute('data-streaming')).to.equal(false);
    const last = $(el, '[part~="message-assistant"] .markdown > :last-child')!;
    expect(getComputedStyle(last, '::after').content).to.equal('none');
    // Gone without a trace: the finished reply's DOM is the one a reply rendered at once has.
    expect(last.hasAttribute('class')).to.equal(false);
    expect(el.shadowRoot!.querySelector('.streaming-caret')).to.equal(null);
  });

  it('Enter during a stream keeps the draft and shows a brief hint', async () => {
    const agent = await createAgent({ config: { stallAfter: 2, stallMs: 3000 }, replies: [{ text: 'slow words arriving now' }] });
    const el = await chatFor(agent);
    const done = el.send('first');
    await waitUntil(() => bubbleTexts(el).length === 2, 'no reply started', { timeout: 4000 });
    await typeAndSend(el, 'second question');
    await el.updateComplete;
    expect($(el, '.hint')!.textContent).to.equal('A reply is still arriving. Stop it to send now.');
    expect($(el, '.hint')!.getAttribute('role')).to.equal('status');
    expect($<HTMLTextAreaElement>(el, '[part="input"]')!.value).to.equal('second question');
    el.stop();
    await done;
    const chats = (await requestsOf(agent.agentId)).filter((r) => r.path.endsWith('/chat'));
    expect(chats).to.have.length(1);
  });
});

describe('ux: stopped and failed turns', () => {
  it('a stopped reply gets a "Stopped" marker with continue and retry, and no thumbs', async () => {
    const agent = await createAgent({ config: { stallAfter: 2, stallMs: 4000 }, replies: [{ text: 'kept words then more words' }, { text: 'Continued.' }] });
    const el = await chatFor(agent);
    const done = el.send('tell me');
    await waitUntil(() => bubbleTexts(el)[1] === 'kept words', 'no partial text', { timeout: 4000 });
    el.stop();
    await done;
    await el.updateComplete;
    const marker = $(el, '[part="stopped"]')!;
    expect(marker.querySelector('span')!.textContent).to.equal('Stopped');
    expect([...marker.querySelectorAll('button')].map((b) => b.textContent!.trim())).to.deep.equal(['Continue', 'Retry']);
    expect($(el, '[part="feedback-button feedback-positive"]')).to.equal(null);
    await expect(el).to.be.accessible();
    await configureAgent(agent.agentId, { config: {} }); // the continuation streams without a stall
    marker.querySelector('button')!.click();
    await waitUntil(() => el.status === 'idle' && bubbleTexts(el).length === 4, 'no continuation');
    await el.updateComplete;
    expect(bubbleTexts(el).slice(2)).to.deep.equal(['Please continue.', 'Continued.']);
    expect($(el, '[part="stopped"]')).to.equal(null);
  });

  it('retry on a stopped reply asks the same question again', async () => {
    const agent = await createAgent({ config: { stallAfter: 2, stallMs: 4000 }, replies: [{ text: 'kept words then more words' }, { text: 'Second answer.' }] });
    const el = await chatFor(agent);
    const done = el.send('same question');
    await waitUntil(() => bubbleTexts(el)[1] === 'kept words', 'no partial text', { timeout: 4000 });
    el.stop();
    await done;
    await el.updateComplete;
    await configureAgent(agent.agentId, { config: {} });
    const message = oneEvent(el, 'bookbag-message');
    $(el, '[part="stopped"] [part="retry-button"]')!.click();
    await message;
    const chats = (await requestsOf(agent.agentId)).filter((r) => r.path.endsWith('/chat'));
    expect(chats.map((c) => c.body.message)).to.deep.equal(['same question', 'same question']);
  });

  const friendly: [string, object, string][] = [
    ['429', { status: 429, retryAfter: 1 }, 'Too many messages in a short time. Please wait a moment.'],
    ['500', { status: 500 }, 'Something went wrong on our side. Please try again.'],
    ['404', { status: 404 }, 'This conversation is no longer available. Start a new one.'],
    ['401', { status: 401 }, 'The chat is not available here right now.'],
  ];
  for (const [name, config, text] of friendly) {
    it(`a ${name} shows a friendly message; the server's text stays in the event`, async () => {
      const el = await chatFor(await createAgent({ config }));
      const events = recordEvents(el);
      await el.send('hi');
      await el.updateComplete;
      const notice = $(el, '[part="error"] span')!.textContent!;
      expect(notice).to.equal(text);
      const detail = events.find((e) => e.type === 'bookbag-error')!.detail;
      expect(detail.message).to.be.a('string').and.not.equal('');
      expect(notice).not.to.contain(detail.message);
    });
  }

  it('errors are localized (lang="fr")', async () => {
    const el = await chatFor(await createAgent({ config: { status: 500 } }));
    el.setAttribute('lang', 'fr');
    await el.updateComplete;
    await el.send('salut');
    await el.updateComplete;
    expect($(el, '[part="error"] span')!.textContent).to.equal('Un problème est survenu de notre côté. Veuillez réessayer.');
  });
});

describe('ux: actions under a reply', () => {
  it('copy-message copies the reply text and says so', async () => {
    const el = await chatFor(await createAgent({ replies: [{ text: 'Copy **this** text.' }] }));
    await el.send('hi');
    const copied: string[] = [];
    const original = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard');
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (t: string) => void copied.push(t) } });
    try {
      const button = $<HTMLButtonElement>(el, '[part="copy-message-button"]')!;
      expect(button.getAttribute('aria-label')).to.equal('Copy message');
      button.click();
      await waitUntil(() => button.getAttribute('aria-label') === 'Copied', 'no confirmation');
      expect(copied).to.deep.equal(['Copy **this** text.']);
    } finally {
      delete (navigator as { clipboard?: unknown }).clipboard;
      if (original && !('clipboard' in navigator)) Object.defineProperty(Navigator.prototype, 'clipboard', original);
    }
  });

  it('one feedback row per turn: a tool turn shows thumbs only under its last message, once settled', async () => {
    const agent = await createAgent({ replies: [{ text: 'Checking.', toolCalls: [{ toolName: 'lookup', input: { q: 'x' } }], after: 'Found it.' }] });
    const el = await chatFor(agent);
    let release!: () => void;
    el.tools = { lookup: () => new Promise((r) => (release = () => r({ ok: true }))) };
    const done = el.send('find');
    await waitUntil(() => $(el, '[part="tool-call"][data-state="running"]'), 'tool never ran');
    await el.updateComplete;
    expect($$(el, '[part="actions"]')).to.have.length(0); // not while the tool runs
    release();
    await done;
    await el.updateComplete;
    const rows = $$(el, '[part="actions"]');
    expect(rows).to.have.length(1);
    expect(rows[0].closest('[part~="message"]')!.textContent).to.contain('Found it.');
  });
});

describe('ux: announcements', () => {
  it('a finished reply is announced as plain words, not markdown', async () => {
    const el = await chatFor(await createAgent({ replies: [{ text: 'Try a **markdown showcase** with `code` and [a link](https://example.com).' }] }));
    await el.send('hi');
    await el.updateComplete;
    expect($(el, '[role="status"][aria-live="polite"]')!.textContent!.trim()).to.equal('Assistant replied: Try a markdown showcase with code and a link.');
  });
});
