// Tables and lists grow without lone-cell artefacts: while a reply streams one character at a
// time, every table row on screen is whole (the cells of the finished row), and list items only
// ever gain text.
import { expect } from '@open-wc/testing';
import { renderStreamed, renderWhole } from './helpers.js';

const cells = (root: Element) => Array.from(root.querySelectorAll('tr')).map((tr) => Array.from(tr.children).map((c) => c.textContent));

describe('markdown: tables and lists while they stream', () => {
  it('a table grows row by row, each row whole', async () => {
    const md = 'Prices:\n\n| item | price | stock |\n|:--|--:|:-:|\n| mug | 12.00 | yes |\n| plate | 8.50 | no |\n| bowl | 9.00 | yes |\n\nDone.';
    const final = cells(await renderWhole(md));
    expect(final).to.have.length(4);
    const shown: string[][][] = [];
    await renderStreamed([...md], {}, (el) => shown.push(cells(el) as string[][]));
    for (const [i, rows] of shown.entries()) {
      // Whatever rows are shown are exactly the finished rows, in order.
      expect(rows, `after ${i + 1} characters`).to.deep.equal(final.slice(0, rows.length));
    }
    // And the table did appear before the reply ended, a row at a time.
    const counts = [...new Set(shown.map((rows) => rows.length))];
    expect(counts).to.deep.equal([0, 1, 2, 3, 4]);
  });

  it('a list item only gains text: no item shows text it later loses', async () => {
    const md = '1. first step\n2. second step\n   - a detail\n3. third step\n\nAfter.';
    const texts = (root: Element) => Array.from(root.querySelectorAll('li')).map((li) => li.firstChild?.textContent?.trim() ?? '');
    const final = texts(await renderWhole(md));
    await renderStreamed([...md], {}, (el) => {
      texts(el).forEach((t, i) => expect(final[i]!.startsWith(t), `"${t}" is not a start of "${final[i]}"`).to.equal(true));
    });
  });
});
