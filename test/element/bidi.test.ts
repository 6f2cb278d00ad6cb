import { expect } from '@open-wc/testing';
import { $$, chatFor } from '../helpers/chat.js';
import type { BookbagChat } from '../../src/bookbag-chat.js';
import { createAgent } from '../helpers/local-server.js';

const directions = (el: BookbagChat) => $$(el, '[part~="bubble"]').map((b) => getComputedStyle(b).direction);

describe('<bookbag-chat> bidi: each bubble takes the direction of its own text', () => {
  it('an Arabic reply is right-to-left and an English one left-to-right, whatever the markup before the first letter', async () => {
    const agent = await createAgent({ replies: [{ text: '**مرحبا**، كيف يمكنني المساعدة؟ Order 42.' }, { text: '1. *Hello* مرحبا' }] });
    const el = await chatFor(agent);
    await el.send('שלום');
    await el.send('hi');
    await el.updateComplete;
    expect(directions(el)).to.deep.equal(['rtl', 'rtl', 'ltr', 'ltr']);
  });

  it('a reply without letters keeps the automatic direction of the page', async () => {
    const agent = await createAgent({ replies: [{ text: '42 + 7 = 49' }] });
    const el = await chatFor(agent);
    await el.send('12');
    await el.updateComplete;
    expect(directions(el)).to.deep.equal(['ltr', 'ltr']);
  });
});
