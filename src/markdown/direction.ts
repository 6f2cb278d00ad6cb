/**
 * Text direction for rendered blocks.
 *
 * `dir="auto"` on a container makes WebKit re-resolve the direction over the whole subtree on
 * every append, which grows super-linearly with a streamed reply (a 250 KB reply: 7.3 s in
 * WebKitGTK against 0.47 s in Chromium). So direction is decided once per block from its first
 * strong character and written as a fixed `dir`; an element with its own `dir` is also skipped
 * by any `dir="auto"` ancestor, so the bubble's own `auto` no longer walks the reply.
 */
const STRONG = /\p{L}/u;
const RTL = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}]/u;

/**
 * Direction of `text` by its first strong (letter) character, or `undefined` if it has none.
 * Only the first 4 KB are looked at, so the cost per block is bounded.
 */
export function textDirection(text: string): 'ltr' | 'rtl' | undefined {
  const m = STRONG.exec(text.length > 4096 ? text.slice(0, 4096) : text);
  return m ? (RTL.test(m[0]) ? 'rtl' : 'ltr') : undefined;
}
