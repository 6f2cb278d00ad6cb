/**
 * What to show of the open end of a streaming reply.
 *
 * The last block is re-parsed on every delta, but a plain re-parse of a half-written block shows
 * markup that the finished reply won't have: `**` before its closer arrives, `[text](htt`, a
 * table's header row as a paragraph of pipes before its delimiter row. This module turns the
 * open text into a display version that never shows such markup: it holds back a partial line
 * that is nothing but block markers yet, a first pipe line until the next line decides whether
 * it heads a table, a table row until its line ends, and a half link, code span opener, autolink or entity; and it closes open
 * emphasis so `**bold te` shows as bold. Held-back text appears as soon as it is decided; the
 * finished reply is always rendered from the real text.
 */

/** A partial line that could still turn into block markup (list, heading, fence, rule, table…). */
const MARKERS_ONLY = /^[ \t\-+*=_#>`~|:.)\d[\]^$\\]*$/;
/** A list item that may yet be a task (`- [x] `, before its text). */
const TASK_START = /^[ \t]*(?:[-+*]|\d{1,9}[.)])[ \t]+\[[ xX]?\]?[ \t]*$/;
/** A line that may be a link reference definition (`[label]: url`), until it ends. */
const DEFINITION_START = /^ {0,3}\[[^\]\n]*(?:\](?::.*)?)?$/;
const PUNCT = /[\p{P}\p{S}]/u;
const SPACE = /\s/;

interface Opener { ch: string; len: number; pos: number }

function flanking(prev: string, next: string): { left: boolean; right: boolean } {
  const prevSpace = !prev || SPACE.test(prev), nextSpace = !next || SPACE.test(next);
  const prevPunct = !!prev && PUNCT.test(prev), nextPunct = !!next && PUNCT.test(next);
  return {
    left: !nextSpace && (!nextPunct || prevSpace || prevPunct),
    right: !prevSpace && (!prevPunct || nextSpace || nextPunct),
  };
}

/**
 * Completes or cuts the inline markup of `s` (one paragraph's text, from `start`).
 * Returns the text to show.
 */
function completeInline(s: string, start: number): string {
  const openers: Opener[] = [];
  const brackets: number[] = [];
  let cut = s.length;
  let i = start;
  scan: while (i < s.length) {
    const c = s[i]!;
    if (c === '\\') {
      if (i + 1 >= s.length) { cut = i; break; }
      i += 2;
      continue;
    }
    if (c === '`') {
      let n = 1;
      while (s[i + n] === '`') n++;
      const run = '`'.repeat(n);
      let j = i + n;
      for (;;) {
        j = s.indexOf(run, j);
        if (j < 0 || s[j + n] !== '`') break;
        while (s[j] === '`') j++;
      }
      if (j < 0) {
        // An open code span: show its content as code, or hold the bare opener back.
        if (/^\s*$/.test(s.slice(i + n))) cut = i;
        else return closeAll(s.slice(0, Math.min(cut, s.length)), openers.filter((o) => o.pos < i)) + run;
        break;
      }
      i = j + n;
      continue;
    }
    if (c === '!' && i + 1 === s.length) { cut = i; break; }
    if (c === '[' || (c === '!' && s[i + 1] === '[')) {
      brackets.push(i);
      i += c === '!' ? 2 : 1;
      continue;
    }
    if (c === ']') {
      const open = brackets.pop();
      const next = s[i + 1];
      if (open !== undefined && (next === undefined || ((next === '(' || next === '[') && brackets.length === 0))) {
        if (next === undefined) { cut = open; break; }
        const end = s.indexOf(next === '(' ? ')' : ']', i + 2);
        if (end < 0) { cut = open; break; }
        i = end + 1;
        continue;
      }
      i++;
      continue;
    }
    if (c === '<' && /^<(?:[A-Za-z][^\s<>]*)?$/.test(s.slice(i, i + 300)) && !s.includes('>', i)) {
      cut = i;
      break;
    }
    if (c === '&' && /^&#?[A-Za-z0-9]{0,31}$/.test(s.slice(i))) {
      cut = i;
      break;
    }
    if (c === '*' || c === '_' || c === '~') {
      let n = 1;
      while (s[i + n] === c) n++;
      // A run at the very end may yet grow into an opener (`*` then `**bold`): hold it back.
      if (i + n >= s.length) { cut = i; break; }
      const { left, right } = flanking(s[i - 1] ?? '', s[i + n] ?? '');
      const prev = s[i - 1] ?? '', next = s[i + n] ?? '';
      const canOpen = c === '_' ? left && (!right || PUNCT.test(prev)) : left;
      const canClose = c === '_' ? right && (!left || PUNCT.test(next)) : right;
      let k = openers.length - 1;
      while (k >= 0 && openers[k]!.ch !== c) k--;
      if (canClose && k >= 0) openers.length = k;
      else if (canOpen) {
        if (i + n >= s.length || /^\s*$/.test(s.slice(i + n))) { cut = i; break scan; }
        openers.push({ ch: c, len: n, pos: i });
      }
      i += n;
      continue;
    }
    i++;
  }
  if (brackets.length && cut === s.length) cut = brackets[0]!;
  return closeAll(s.slice(0, cut), openers.filter((o) => o.pos < cut));
}

/** Appends closers for open emphasis, innermost first; an opener with nothing after it is cut. */
function closeAll(s: string, openers: Opener[]): string {
  if (!openers.length) return s;
  let out = s.replace(/\s+$/, '');
  while (openers.length && openers[openers.length - 1]!.pos + openers[openers.length - 1]!.len >= out.length) {
    out = out.slice(0, openers.pop()!.pos).replace(/\s+$/, '');
  }
  for (let k = openers.length - 1; k >= 0; k--) {
    const o = openers[k]!;
    out += o.ch.repeat(o.ch === '~' ? Math.min(o.len, 2) : Math.min(o.len, 3));
  }
  return out;
}

/**
 * The text to render for the open tail of a streaming reply.
 *
 * @param tail   The unfinished text after the last frozen block.
 * @param inCode Whether the tail currently ends inside a code block (no inline markup there).
 */
export function displayTail(tail: string, inCode: boolean): string {
  const lineStart = tail.lastIndexOf('\n') + 1;
  let s = tail;
  const partial = tail.slice(lineStart);
  if ((MARKERS_ONLY.test(partial) || TASK_START.test(partial) || DEFINITION_START.test(partial)) && lineStart < tail.length) s = tail.slice(0, lineStart);
  // A backslash ending the text is a hard break only once a line follows.
  s = s.replace(/\\\n$/, '\n');
  if (inCode) return s;
  // The last line with a pipe, when the line before has none, may yet head a table.
  const body = s.endsWith('\n') ? s.slice(0, -1) : s;
  const lastStart = body.lastIndexOf('\n') + 1;
  if (body.slice(lastStart).includes('|')) {
    const prevStart = body.lastIndexOf('\n', lastStart - 2) + 1;
    if (lastStart === 0 || !body.slice(prevStart, lastStart).includes('|')) s = body.slice(0, lastStart);
    // A table row still arriving would show its first cells beside empty ones: rows show whole.
    else if (!s.endsWith('\n')) s = body.slice(0, lastStart);
  }
  // Inline markup spans one paragraph: scan from the last blank line.
  return completeInline(s, s.lastIndexOf('\n\n') + 1);
}
