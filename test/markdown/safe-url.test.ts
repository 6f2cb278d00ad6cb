import { expect } from '@open-wc/testing';
import { isAllowedImageUrl, normalizeOrigins, safeUrl } from '../../src/markdown/safe-url.js';

const BASE = 'https://app.example/chat/page.html';

describe('safeUrl', () => {
  const allowed: Array<[string, string]> = [
    ['https://example.com', 'https://example.com/'],
    ['http://example.com/a?b=1&c=2#d', 'http://example.com/a?b=1&c=2#d'],
    ['HTTPS://EXAMPLE.COM/X', 'https://example.com/X'],
    ['mailto:someone@example.com', 'mailto:someone@example.com'],
    ['/root', 'https://app.example/root'],
    ['rel/path', 'https://app.example/chat/rel/path'],
    ['../up', 'https://app.example/up'],
    ['?q=1', 'https://app.example/chat/page.html?q=1'],
    ['#frag', 'https://app.example/chat/page.html#frag'],
    ['//cdn.example/x', 'https://cdn.example/x'],
    // Not entities (no digit after &#, no ; after a name): ordinary query strings survive.
    ['https://e.example/?a=1&b=2', 'https://e.example/?a=1&b=2'],
    // Percent-encoded "javascript:" is not a scheme; it resolves as a harmless relative path.
    ['%6Aavascript:alert(1)', 'https://app.example/chat/%6Aavascript:alert(1)'],
  ];
  for (const [raw, expected] of allowed) {
    it(`allows ${JSON.stringify(raw)}`, () => expect(safeUrl(raw, BASE)).to.equal(expected));
  }

  const refused = [
    'javascript:alert(1)', 'JavaScript:alert(1)', 'JAVASCRIPT:alert(1)', ' javascript:alert(1)',
    '\tjavascript:alert(1)', 'java\tscript:alert(1)', 'java\nscript:alert(1)', 'java\rscript:alert(1)',
    'java\u0000script:alert(1)', '\u0000javascript:alert(1)', '\u0001javascript:alert(1)', 'javascript\u200b:alert(1)',
    '\u00a0javascript:alert(1)', '\ufeffjavascript:alert(1)', 'jav&#x61;script:alert(1)', 'jav&#97;script:alert(1)',
    '&#106;avascript:alert(1)', 'javascript&colon;alert(1)', 'java&Tab;script:alert(1)', 'java&NewLine;script:alert(1)',
    'data:text/html,<script>alert(1)</script>', 'DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'data:image/svg+xml,<svg onload=alert(1)>', 'vbscript:msgbox(1)', 'VBScript:msgbox(1)', 'file:///etc/passwd',
    'blob:https://app.example/uuid', 'about:blank', 'ftp://example.com/', 'tel:123', 'ws://example.com',
    'https://exa mple.com', 'https://example.com\n', '', 'http://', 'https://[bad',
  ];
  for (const raw of refused) {
    it(`refuses ${JSON.stringify(raw)}`, () => expect(safeUrl(raw, BASE)).to.equal(null));
  }

  it('defaults the base to document.baseURI', () => {
    expect(safeUrl('/x')).to.equal(new URL('/x', document.baseURI).href);
  });

  it('refuses relative URLs against a non-http base', () => {
    expect(safeUrl('x', 'file:///home/user/')).to.equal(null);
  });
});

describe('image origins', () => {
  it('normalises origins and ignores junk', () => {
    expect([...normalizeOrigins(['https://CDN.example.com/', 'https://a.example:443', 'javascript:x', 'nope', 'http://b.example:8080/p'])])
      .to.deep.equal(['https://cdn.example.com', 'https://a.example', 'http://b.example:8080']);
  });
  it('matches only exact origins', () => {
    const set = normalizeOrigins(['https://cdn.example.com']);
    expect(isAllowedImageUrl('https://cdn.example.com/a.png', set)).to.equal(true);
    expect(isAllowedImageUrl('http://cdn.example.com/a.png', set)).to.equal(false);
    expect(isAllowedImageUrl('https://cdn.example.com.evil.example/a.png', set)).to.equal(false);
    expect(isAllowedImageUrl('https://evil.example/?https://cdn.example.com', set)).to.equal(false);
    expect(isAllowedImageUrl('https://cdn.example.com@evil.example/a.png', set)).to.equal(false);
  });
});
