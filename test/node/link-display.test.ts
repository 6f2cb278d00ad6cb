// How links from model output are shown (src/markdown/link-display.ts): table-driven, in Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linkDisplay } from '../../src/markdown/link-display.ts';

const RLO = '\u202e';

const cases: { name: string; href: string; text: string; refuse?: boolean; shown?: string; host?: string; showHost?: boolean }[] = [
  { name: 'plain words to a plain host: no host beside it', href: 'https://example.com/a', text: 'our docs', host: 'example.com', showHost: false },
  { name: 'text that is a URL for another host', href: 'https://evil.example/x', text: 'https://bank.example/login', host: 'evil.example', showHost: true },
  { name: 'text that is a URL for the same host still shows the host', href: 'https://bank.example/login', text: 'https://bank.example/login', host: 'bank.example', showHost: true },
  { name: 'text naming a bare host', href: 'https://evil.example/', text: 'Log in at paypal.com now', host: 'evil.example', showHost: true },
  { name: 'www name without a scheme', href: 'https://evil.example/', text: 'www.bank.example', showHost: true },
  { name: 'fullwidth dots still read as a host', href: 'https://evil.example/', text: 'bank\uff0eexample', showHost: true },
  { name: 'a decimal number is not a host', href: 'https://example.com/', text: 'version 2.5', showHost: false },
  { name: 'a file name with a 2+ letter extension reads as a host (cautious)', href: 'https://example.com/', text: 'report.pdf', showHost: true },
  { name: 'RLO in link text is stripped', href: 'https://files.example/invoice', text: `invoice${RLO}fdp.exe`, shown: 'invoicefdp.exe', showHost: true },
  { name: 'every bidi control is stripped', href: 'https://example.com/', text: '\u202aa\u202bb\u202cc\u202dd\u2066e\u2067f\u2068g\u2069h\u200ei\u200fj\u061ck', shown: 'abcdefghijk' },
  { name: 'userinfo is refused', href: 'https://paypal.com@evil.example/', text: 'PayPal', refuse: true },
  { name: 'user and password are refused', href: 'https://user:pw@example.com/', text: 'x', refuse: true },
  { name: 'an empty userinfo (`@` alone) is refused', href: 'https://@example.com/', text: 'x', refuse: true },
  { name: 'an @ in the path is fine', href: 'https://example.com/@user', text: 'profile', refuse: false, host: 'example.com' },
  { name: 'an unparsable href is refused', href: 'not a url', text: 'x', refuse: true },
  { name: 'Cyrillic а in a Latin name: punycode', href: 'https://аpple.com/', text: 'Apple', host: 'xn--pple-43d.com' },
  { name: 'whole-script Cyrillic look-alike: punycode', href: 'https://аррӏе.com/', text: 'x', host: new URL('https://аррӏе.com/').hostname },
  { name: 'Greek omicron in a Latin name: punycode', href: 'https://gοogle.com/', text: 'x', host: new URL('https://gοogle.com/').hostname },
  { name: 'a plain German IDN stays readable', href: 'https://münchen.de/', text: 'Stadt', host: 'münchen.de' },
  { name: 'a Russian word host stays readable', href: 'https://пример.рф/', text: 'x', host: 'пример.рф' },
  { name: 'Japanese mixes Han and kana legitimately', href: 'https://日本語ドメイン.jp/', text: 'x', host: '日本語ドメイン.jp' },
  { name: 'an uppercase IDN is shown lower-cased', href: 'https://MÜNCHEN.de/', text: 'x', host: 'münchen.de' },
  { name: 'mailto has no host to show', href: 'mailto:help@example.com', text: 'help@example.com', host: '', showHost: false, refuse: false },
  { name: 'a port is not part of the host', href: 'https://example.com:8443/', text: 'https://example.com', host: 'example.com', showHost: true },
];

for (const c of cases) {
  test(`linkDisplay: ${c.name}`, () => {
    const d = linkDisplay(c.href, c.text);
    assert.equal(d.refuse, c.refuse ?? false, 'refuse');
    if (c.shown !== undefined) assert.equal(d.text, c.shown, 'text');
    if (c.host !== undefined) assert.equal(d.host, c.host, 'host');
    if (c.showHost !== undefined) assert.equal(d.showHost, c.showHost, 'showHost');
    if (d.refuse) assert.equal(d.showHost, false, 'a refused link shows no host');
  });
}
