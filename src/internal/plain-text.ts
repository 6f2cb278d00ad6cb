/**
 * Markdown as a screen reader should hear it: the words, without the syntax. The live region
 * announces a finished reply as text; without this it would read "star star markdown showcase
 * star star". Deliberately small and forgiving — it only has to drop markers, never to render.
 * Only the first `max` characters are read (emphasis is matched within a line).
 */
export function plainText(markdown: string, max = 2000): string {
  // Announcements use the start of a reply only: never run the passes over a huge one.
  return (
    markdown
      .slice(0, max)
      // fenced code: keep the code, drop the fences (and the language)
      .replace(/^\s*(```|~~~)[^\n]*$/gm, '')
      // images and links: their text
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
      .replace(/<((?:https?|mailto):[^>\s]+)>/g, '$1')
      // headings, quotes, list markers, table rules at the start of a line
      .replace(/^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+\[[ xX]\]\s+|[-*+]\s+|\d+[.)]\s+)/gm, '')
      .replace(/^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/gm, '')
      .replace(/^\s*([-*_])(\s*\1){2,}\s*$/gm, '')
      // table cell separators
      .replace(/[ \t]*\|[ \t]*/g, ' ')
      // emphasis, strong, strike, inline code
      .replace(/(\*\*|~~)(?=\S)([^\n]*?\S)\1/g, '$2')
      .replace(/(^|[^\w])__(?=\S)([^\n]*?\S)__(?!\w)/g, '$1$2')
      .replace(/\*(?=\S)([^*]*?\S)\*/g, '$1')
      // (an underscore inside a word, as in snake_case, is not emphasis)
      .replace(/(^|[^\w])_(?=\S)([^_]*?\S)_(?!\w)/g, '$1$2')
      .replace(/`+([^`]*)`+/g, '$1')
      .replace(/[ \t]+/g, ' ')
      .replace(/^ +| +$/gm, '')
      .replace(/\n{2,}/g, '\n')
      .trim()
  );
}
