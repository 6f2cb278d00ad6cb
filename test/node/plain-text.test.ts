// Reply announcements in plain text (src/internal/plain-text.ts): table-driven, in Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plainText } from '../../src/internal/plain-text.ts';

const cases: [string, string, string][] = [
  ['strong and emphasis', 'Try a **markdown showcase** or _this_ and *that*.', 'Try a markdown showcase or this and that.'],
  ['underscored strong and strike', '__bold__ and ~~gone~~', 'bold and gone'],
  ['inline code keeps the code', 'Run `npm test` now', 'Run npm test now'],
  ['links and images keep their text', 'See [the docs](https://x.example) and ![a mug](https://x.example/m.png)', 'See the docs and a mug'],
  ['autolinks keep the URL', 'Go to <https://x.example/a>', 'Go to https://x.example/a'],
  ['headings and quotes', '## Title\n> quoted words', 'Title\nquoted words'],
  ['lists', '- one\n* two\n1. three\n- [x] done', 'one\ntwo\nthree\ndone'],
  ['tables', '| a | b |\n|---|:-:|\n| 1 | 2 |', 'a b\n1 2'],
  ['fences', '```js\nconsole.log(1)\n```', 'console.log(1)'],
  ['snake_case and 2*3 stay', 'use my_var_name; 2 * 3 = 6', 'use my_var_name; 2 * 3 = 6'],
  ['horizontal rule', 'a\n\n---\n\nb', 'a\nb'],
];

test('plainText reads only the start of a huge reply', () => {
  const huge = `**Start** here. ${'** unclosed '.repeat(200_000)}`;
  const out = plainText(huge, 100);
  assert.ok(out.startsWith('Start here.'));
  assert.ok(out.length <= 100);
});

for (const [name, input, want] of cases) {
  test(`plainText: ${name}`, () => assert.equal(plainText(input), want));
}
