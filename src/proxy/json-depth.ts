// Nesting depth of a JSON text, measured without parsing (so without recursion): the widget's
// bodies are a few levels deep, and a 10,000-deep one is an attack on whatever parses or
// re-serialises it downstream.

/** True when the text nests objects/arrays deeper than `max` (brackets in strings ignored). */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}
