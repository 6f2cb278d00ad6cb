// <bookbag-chat> in plain HTML, as a page author writes it: markup first, then a module script
// that sets JavaScript-only properties and listens to events, then the widget's script. The
// element upgrades when its definition loads, reads its attributes and keeps a `tools` map that
// was set before the upgrade.
import { expect, waitUntil } from '@open-wc/testing';
import '../../src/define.js';
import type { BookbagChat } from '../../src/bookbag-chat.js';
import type { Message } from '../../src/model/types.js';
import { $, bubbleTexts, typeAndSend } from '../helpers/chat.js';
import { createAgent, type TestAgent } from '../helpers/local-server.js';
import { cartTurn, mountPoint, removeMountPoints, settled, slotted, textOf, traffic } from './helpers.js';

/** The page, exactly as an author would write it (with the widget's script served from source). */
const page = (agent: TestAgent) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Mug shop</title></head>
<body>
  <bookbag-chat agent-id="${agent.agentId}" api-base="${agent.apiBase}" api-key="${agent.workspaceKey}"
    user-id="html-user" mode="inline" storage="none" heading="Shop help" welcome="Hi! Ask me about mugs.">
    <span slot="footer">Answers may be wrong.</span>
  </bookbag-chat>

  <script type="module">
    window.replies = [];
    const chat = document.querySelector('bookbag-chat');
    chat.tools = { add_to_cart: ({ item }) => ({ added: item, by: 'html' }) };
    chat.addEventListener('bookbag-message', (e) => window.replies.push(e.detail.message));
  </script>
  <script type="module" src="/src/define.ts"></script>
</body>
</html>`;

type PageWindow = Window & typeof globalThis & { replies: Message[] };

describe('frameworks: plain HTML', () => {
  afterEach(removeMountPoints);

  it('markup parsed before the definition upgrades, reads its attributes, keeps tools set before the upgrade, and chats', async () => {
    const agent = await createAgent({ replies: [cartTurn('Blue mug', 'Adding the mug.', 'The mug is in your cart.')] });
    const frame = document.createElement('iframe');
    frame.srcdoc = page(agent);
    mountPoint().append(frame);
    await waitUntil(() => frame.contentWindow?.customElements?.get('bookbag-chat'), 'the widget did not load in the page', { timeout: 8000 });
    const win = frame.contentWindow as PageWindow;
    const el = win.document.querySelector('bookbag-chat') as BookbagChat;
    await el.updateComplete;

    // Upgraded in place, with the attributes the author wrote.
    expect(el).to.be.instanceOf(win.customElements.get('bookbag-chat')!);
    expect(el.shadowRoot).to.not.equal(null);
    expect(el.agentId).to.equal(agent.agentId);
    expect(el.userId).to.equal('html-user');
    expect(el.mode).to.equal('inline');
    expect($(el, '[part="heading"]')!.textContent!.trim()).to.equal('Shop help');
    expect($(el, '[part="empty"]')!.textContent).to.contain('Hi! Ask me about mugs.');
    expect(slotted(el, 'footer').map((n) => n.textContent)).to.deep.equal(['Answers may be wrong.']);
    // The property set by the page's script before the upgrade survived it.
    expect(Object.keys(el.tools)).to.deep.equal(['add_to_cart']);

    await typeAndSend(el, 'Add a blue mug');
    await waitUntil(() => win.replies.length === 2, `${win.replies.length} bookbag-message events`, { timeout: 8000 });
    await settled(el);
    expect(win.replies.map(textOf)).to.deep.equal(['Adding the mug.', 'The mug is in your cart.']);
    expect(bubbleTexts(el)).to.deep.equal(['Add a blue mug', 'Adding the mug.', 'The mug is in your cart.']);
    const t = await traffic(agent);
    expect(t.chats.map((r) => r.body)).to.have.length(1);
    expect(t.chats[0].body).to.include({ message: 'Add a blue mug', userId: 'html-user' });
    expect(t.chats[0].headers.authorization).to.equal(`Bearer ${agent.workspaceKey}`);
    expect(t.toolResults.map((r) => r.body.output)).to.deep.equal([{ added: 'Blue mug', by: 'html' }]);

    // Attributes stay live after the upgrade.
    el.setAttribute('heading', 'Mug help');
    await el.updateComplete;
    expect($(el, '[part="heading"]')!.textContent!.trim()).to.equal('Mug help');
  });

  it('markup inserted where the tag is already defined: launcher with open, placeholder and no-stream attributes', async () => {
    const agent = await createAgent({ replies: [{ text: 'A JSON reply.' }] });
    const container = mountPoint();
    container.innerHTML = `<bookbag-chat agent-id="${agent.agentId}" api-base="${agent.apiBase}" api-key="${agent.workspaceKey}"
      storage="none" open no-stream placeholder="Ask about mugs…"></bookbag-chat>`;
    const el = container.querySelector('bookbag-chat') as BookbagChat;
    await el.updateComplete;
    expect(el.mode).to.equal('launcher');
    expect(el.open).to.equal(true);
    expect(el.noStream).to.equal(true);
    expect($(el, '[part="panel"]')!.hidden).to.equal(false);
    expect($<HTMLTextAreaElement>(el, '[part="input"]')!.placeholder).to.equal('Ask about mugs…');
    await typeAndSend(el, 'hi');
    await waitUntil(() => bubbleTexts(el).length === 2, 'no reply', { timeout: 8000 });
    await settled(el);
    expect(bubbleTexts(el)).to.deep.equal(['hi', 'A JSON reply.']);
    const [chat] = (await traffic(agent)).chats;
    expect(chat.body).to.include({ message: 'hi', stream: false });
    // Removing the attribute closes the panel.
    el.removeAttribute('open');
    await el.updateComplete;
    expect(el.open).to.equal(false);
    expect($(el, '[part="panel"]')!.hidden).to.equal(true);
  });
});
