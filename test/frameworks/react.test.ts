// <bookbag-chat> inside React 19, written the way a React app would without JSX: createElement
// and react-dom/client's createRoot. React 19 sets a prop on a custom element as a property when
// the element has that property (`name in element`) and as an attribute otherwise, and a prop
// named `on` + <event name> (exactly, so `onbookbag-message`) adds a listener for that event.
import { expect, waitUntil } from '@open-wc/testing';
import '../../src/define.js';
import { BookbagChat } from '../../src/bookbag-chat.js';
import type { Message } from '../../src/model/types.js';
import { bubbleTexts, typeAndSend } from '../helpers/chat.js';
import { createAgent, serverMessages, type TestAgent } from '../helpers/local-server.js';
import { createElement, createRoot, flushSync, type Root } from './vendor/react.js';
import { captureConsole, cartTurn, mountPoint, removeMountPoints, requestsBeforeMarker, settled, slotted, textOf, traffic } from './helpers.js';

type Tools = BookbagChat['tools'];
type Listener = (event: CustomEvent) => void;

interface ChatProps {
  agent: TestAgent;
  heading: string;
  tools: Tools;
  onMessage: Listener;
  onToolResult?: Listener;
}

/** The component under test: what an app would write to embed the widget. */
function Chat({ agent, heading, tools, onMessage, onToolResult }: ChatProps) {
  return createElement(
    'bookbag-chat',
    {
      'agent-id': agent.agentId,
      'api-base': agent.apiBase,
      'api-key': agent.workspaceKey,
      'user-id': 'react-user',
      mode: 'inline',
      storage: 'none',
      heading,
      tools,
      'onbookbag-message': onMessage,
      'onbookbag-tool-result': onToolResult,
    },
    createElement('span', { slot: 'header' }, `${heading} (React)`),
    createElement('p', { slot: 'empty' }, 'Ask about mugs.'),
  );
}

describe('frameworks: React 19 (createElement + createRoot)', () => {
  let root: Root | undefined;
  let console_: ReturnType<typeof captureConsole>;

  beforeEach(() => {
    console_ = captureConsole();
  });

  afterEach(() => {
    root?.unmount();
    root = undefined;
    console_.restore();
    removeMountPoints();
  });

  /** Renders synchronously (flushSync) and waits for the element's own update. */
  async function render(container: HTMLElement, props: ChatProps): Promise<BookbagChat> {
    root ??= createRoot(container);
    flushSync(() => root!.render(createElement(Chat, props)));
    const el = container.querySelector('bookbag-chat') as BookbagChat;
    await el.updateComplete;
    return el;
  }

  it('sets attributes and properties, fills slots, and its onbookbag-* props receive the events of a tool turn', async () => {
    const agent = await createAgent({ replies: [cartTurn('Blue mug', 'Adding the mug.', 'The mug is in your cart.')] });
    const messages: Message[] = [];
    const results: unknown[] = [];
    const inputs: unknown[] = [];
    const tools: Tools = { add_to_cart: (input: { item: string }) => { inputs.push(input); return { added: input.item, by: 'react' }; } };
    const el = await render(mountPoint(), {
      agent, heading: 'Shop help', tools,
      onMessage: (e) => messages.push(e.detail.message),
      onToolResult: (e) => results.push(e.detail),
    });

    // The element React created is the one definition from source.
    expect(el).to.be.instanceOf(BookbagChat);
    expect(customElements.get('bookbag-chat')).to.equal(BookbagChat);
    // Dashed names are not properties: React set them as attributes, and the element read them.
    expect(el.getAttribute('agent-id')).to.equal(agent.agentId);
    expect(el.agentId).to.equal(agent.agentId);
    expect(el.apiBase).to.equal(agent.apiBase);
    expect(el.userId).to.equal('react-user');
    // Names the element has are set as properties: the tools map itself, not "[object Object]".
    expect(el.tools).to.equal(tools);
    expect(el.hasAttribute('tools')).to.equal(false);
    expect(el.heading).to.equal('Shop help');
    expect(el.mode).to.equal('inline');
    expect(el.getAttribute('mode')).to.equal('inline'); // reflected by the element
    expect(slotted(el, 'header').map((n) => n.textContent)).to.deep.equal(['Shop help (React)']);
    expect(slotted(el, 'empty').map((n) => n.textContent)).to.deep.equal(['Ask about mugs.']);

    await typeAndSend(el, 'Add a blue mug');
    await waitUntil(() => messages.length === 2, `${messages.length} bookbag-message events`, { timeout: 8000 });
    await settled(el);

    expect(inputs).to.deep.equal([{ item: 'Blue mug' }]);
    expect(messages.map(textOf)).to.deep.equal(['Adding the mug.', 'The mug is in your cart.']);
    expect(results).to.have.length(1);
    expect(results[0]).to.deep.include({ toolName: 'add_to_cart', output: { added: 'Blue mug', by: 'react' }, isError: false });
    expect(bubbleTexts(el)).to.deep.equal(['Add a blue mug', 'Adding the mug.', 'The mug is in your cart.']);
    const t = await traffic(agent);
    expect(t.chats).to.have.length(1);
    expect(t.chats[0].body).to.include({ message: 'Add a blue mug', userId: 'react-user' });
    expect(t.chats[0].headers.authorization).to.equal(`Bearer ${agent.workspaceKey}`);
    expect(t.toolResults.map((r) => r.body)).to.deep.equal([
      { toolCallId: (results[0] as { toolCallId: string }).toolCallId, output: { added: 'Blue mug', by: 'react' } },
    ]);
    expect(console_.problems).to.deep.equal([]);
  });

  it('re-rendering with new props updates the same element and swaps its listener and tool handler', async () => {
    const agent = await createAgent({ replies: [cartTurn('Blue mug', 'First.', 'First done.'), cartTurn('Red mug', 'Second.', 'Second done.')] });
    const container = mountPoint();
    const first: string[] = [];
    const second: string[] = [];
    const el = await render(container, {
      agent, heading: 'Before', tools: { add_to_cart: () => 'handled by v1' },
      onMessage: (e) => first.push(textOf(e.detail.message)),
    });
    await typeAndSend(el, 'one');
    await waitUntil(() => first.length === 2, 'first turn', { timeout: 8000 });
    await settled(el);

    const v2: Tools = { add_to_cart: () => 'handled by v2' };
    const again = await render(container, { agent, heading: 'After', tools: v2, onMessage: (e) => second.push(textOf(e.detail.message)) });
    await el.updateComplete;
    expect(again).to.equal(el);
    expect(el.heading).to.equal('After');
    expect(el.tools).to.equal(v2);
    expect(slotted(el, 'header').map((n) => n.textContent)).to.deep.equal(['After (React)']);

    await typeAndSend(el, 'two');
    await waitUntil(() => second.length === 2, 'second turn', { timeout: 8000 });
    await settled(el);
    expect(first).to.deep.equal(['First.', 'First done.']);
    expect(second).to.deep.equal(['Second.', 'Second done.']);
    expect((await traffic(agent)).toolResults.map((r) => r.body.output)).to.deep.equal(['handled by v1', 'handled by v2']);
    expect(console_.problems).to.deep.equal([]);
  });

  it('the listener prop is `on` + the exact event name: onbookbag-send fires (and can cancel), onBookbagSend does not', async () => {
    const agent = await createAgent({ replies: [{ text: 'never sent' }] });
    const seen: string[] = [];
    const container = mountPoint();
    root = createRoot(container);
    flushSync(() => root!.render(createElement('bookbag-chat', {
      'agent-id': agent.agentId, 'api-base': agent.apiBase, 'api-key': agent.workspaceKey, mode: 'inline', storage: 'none',
      'onbookbag-send': (e: CustomEvent<{ text: string }>) => { seen.push(`onbookbag-send ${e.detail.text}`); e.preventDefault(); },
      onBookbagSend: () => seen.push('onBookbagSend'),
    })));
    const el = container.querySelector('bookbag-chat') as BookbagChat;
    await el.updateComplete;
    await typeAndSend(el, 'hello');
    await el.updateComplete;
    expect(seen).to.deep.equal(['onbookbag-send hello']);
    expect(el.status).to.equal('idle');
    // Nothing reached the server before a later request of the test's own.
    expect(await requestsBeforeMarker(agent)).to.deep.equal([]);
  });

  it('unmounting mid-reply removes the element and aborts its request quietly', async () => {
    const agent = await createAgent({ config: { stallAfter: 2, stallMs: 3000 }, replies: [{ text: 'kept words and the rest' }] });
    const container = mountPoint();
    const messages: unknown[] = [];
    const errors: unknown[] = [];
    const el = await render(container, { agent, heading: 'Help', tools: {}, onMessage: (e) => messages.push(e.detail) });
    el.addEventListener('bookbag-error', (e) => errors.push((e as CustomEvent).detail));
    const pageErrors: unknown[] = [];
    const onError = (e: ErrorEvent | PromiseRejectionEvent) => pageErrors.push('error' in e ? e.error : e.reason);
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onError);
    try {
      await typeAndSend(el, 'hello');
      await waitUntil(() => bubbleTexts(el)[1] === 'kept words', 'no partial reply', { timeout: 4000 });
      root!.unmount();
      root = undefined;
      expect(container.childElementCount).to.equal(0);
      expect(el.isConnected).to.equal(false);
      // The server saw the client go away long before the stall ended: it kept only the partial reply.
      const [request] = (await traffic(agent)).chats;
      const conversationId = (await (await fetch(`${agent.apiBase}/agents/${agent.agentId}/conversations`, {
        headers: { Authorization: `Bearer ${agent.workspaceKey}` },
      })).json()).data[0].id;
      let stored: any[] = [];
      await waitUntil(async () => {
        stored = await serverMessages(agent, conversationId);
        return stored.length === 2;
      }, 'the server did not record the abort', { timeout: 10000 });
      expect(request.body.message).to.equal('hello');
      expect(stored[1].parts[0].text.trim()).to.equal('kept words');
      // The server saw the socket close after the widget aborted, so anything the widget did on
      // the abort has happened by now.
      expect(messages).to.deep.equal([]);
      expect(errors).to.deep.equal([]);
      expect(pageErrors).to.deep.equal([]);
      expect(console_.problems).to.deep.equal([]);
    } finally {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onError);
    }
  });
});
