// The first paint is already in the element's language: no English labels flash while the
// locale file is fetched. This file must be the first in its page to need Italian (each wtr
// test file runs in its own page, and locales are cached per page).
import { expect, html } from '@open-wc/testing';
import { render } from 'lit';
import type { BookbagChat } from '../../src/bookbag-chat.js';
import '../../src/define.js';

describe('ux: first paint in the element\'s language', () => {
  it('lang="it" paints its launcher in Italian from the first frame', async () => {
    const host = document.createElement('div');
    document.body.append(host);
    render(html`<bookbag-chat lang="it" agent-id="a_first_paint" api-base="http://127.0.0.1:9/api/v2" storage="none"></bookbag-chat>`, host);
    const el = host.querySelector('bookbag-chat') as BookbagChat;
    // Every label the launcher ever had: the old value of each change, then the last one.
    const labels: string[] = [];
    const observer = new MutationObserver((records) => {
      for (const r of records) if (r.attributeName === 'aria-label' && (r.target as Element).matches('[part="launcher"]') && r.oldValue) labels.push(r.oldValue);
    });
    observer.observe(el.shadowRoot!, { subtree: true, attributes: true, attributeOldValue: true, attributeFilter: ['aria-label'] });
    await el.updateComplete;
    for (const r of observer.takeRecords()) if (r.attributeName === 'aria-label' && (r.target as Element).matches('[part="launcher"]') && r.oldValue) labels.push(r.oldValue);
    observer.disconnect();
    labels.push(el.shadowRoot!.querySelector('[part="launcher"]')!.getAttribute('aria-label')!);
    expect(labels).to.deep.equal(['Apri la chat']);
    host.remove();
  });
});
