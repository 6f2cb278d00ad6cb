// <bookbag-chat> inside a Svelte 5 component (Chat.svelte, compiled by svelte/compiler in the wtr
// config). Svelte sets a custom element's attribute as a property when the defined element has a
// setter of that name (`{tools}`, `{heading}`) and as an attribute otherwise (`agent-id`); an
// `on…` attribute listens to the event named by the rest, verbatim: `onbookbag-message`.
import { expect, waitUntil } from '@open-wc/testing';
import '../../src/define.js';
import { BookbagChat } from '../../src/bookbag-chat.js';
import { bubbleTexts, typeAndSend } from '../helpers/chat.js';
import { createAgent, serverMessages } from '../helpers/local-server.js';
import { ChatProps, flushSync, mount, SvelteChat, unmount } from './vendor/svelte.js';
import { captureConsole, cartTurn, expectMountedAndFirstTurn, expectSecondTurnWithNewProps, mountPoint, removeMountPoints, slotted, textOf } from './helpers.js';

type Tools = BookbagChat['tools'];

describe('frameworks: Svelte 5 (compiled component)', () => {
  let app: Record<string, unknown> | undefined;
  let console_: ReturnType<typeof captureConsole>;

  beforeEach(() => {
    console_ = captureConsole();
  });

  afterEach(async () => {
    if (app) await unmount(app);
    app = undefined;
    console_.restore();
    removeMountPoints();
  });

  async function render(props: ChatProps): Promise<{ el: BookbagChat; container: HTMLElement }> {
    const container = mountPoint();
    app = mount(SvelteChat, { target: container, props });
    flushSync();
    const el = container.querySelector('bookbag-chat') as BookbagChat;
    await el.updateComplete;
    return { el, container };
  }

  it('attributes, {tools}, a slot child and onbookbag-* handlers work through a tool turn; prop changes update the element', async () => {
    const agent = await createAgent({ replies: [cartTurn('Blue mug', 'Adding the mug.', 'The mug is in your cart.'), cartTurn('Red mug', 'Second.', 'Second done.')] });
    const first: string[] = [];
    const second: string[] = [];
    const results: any[] = [];
    const inputs: unknown[] = [];
    const v1: Tools = { add_to_cart: (input: { item: string }) => { inputs.push(input); return { added: input.item, by: 'svelte' }; } };
    const v2: Tools = { add_to_cart: () => 'handled by v2' };
    const props = new ChatProps({
      agent, heading: 'Shop help', tools: v1,
      onmessage: (e) => first.push(textOf(e.detail.message)),
      ontoolresult: (e) => results.push(e.detail),
    });
    const { el } = await render(props);

    expect(el).to.be.instanceOf(BookbagChat);
    await expectMountedAndFirstTurn(el, agent, { first, inputs, results, tools: v1, userId: 'svelte-user', by: 'svelte', header: 'Shop help (Svelte)' });

    // Assigning the reactive props re-renders the component: the same element, updated.
    props.heading = 'After';
    props.tools = v2;
    props.onmessage = (e) => second.push(textOf(e.detail.message));
    flushSync();
    await el.updateComplete;
    expect(document.querySelector('bookbag-chat')).to.equal(el);
    expect(el.heading).to.equal('After');
    expect(el.tools).to.equal(v2);
    expect(slotted(el, 'header').map((n) => n.textContent)).to.deep.equal(['After (Svelte)']);

    await expectSecondTurnWithNewProps(el, agent, { first, second, results, userId: 'svelte-user', by: 'svelte' });
    expect(console_.problems).to.deep.equal([]);
  });

  it('unmounting mid-reply removes the element and aborts its request quietly', async () => {
    const agent = await createAgent({ config: { stallAfter: 2, stallMs: 3000 }, replies: [{ text: 'kept words and the rest' }] });
    const messages: unknown[] = [];
    const errors: unknown[] = [];
    const { el, container } = await render(new ChatProps({
      agent, heading: 'Help', tools: {}, onmessage: (e) => messages.push(e.detail), ontoolresult: () => {},
    }));
    el.addEventListener('bookbag-error', (e) => errors.push((e as CustomEvent).detail));
    await typeAndSend(el, 'hello');
    await waitUntil(() => bubbleTexts(el)[1] === 'kept words', 'no partial reply', { timeout: 4000 });
    await unmount(app!);
    app = undefined;
    expect(container.childElementCount).to.equal(0);
    expect(el.isConnected).to.equal(false);
    const list = await fetch(`${agent.apiBase}/agents/${agent.agentId}/conversations`, { headers: { Authorization: `Bearer ${agent.workspaceKey}` } });
    const conversationId = (await list.json()).data[0].id;
    let stored: any[] = [];
    await waitUntil(async () => (stored = await serverMessages(agent, conversationId)).length === 2, 'the server did not record the abort', { timeout: 10000 });
    expect(stored[1].parts[0].text.trim()).to.equal('kept words');
    // The server saw the socket close after the widget aborted, so anything the widget did on
    // the abort has happened by now.
    expect(messages).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
    expect(console_.problems).to.deep.equal([]);
  });
});
