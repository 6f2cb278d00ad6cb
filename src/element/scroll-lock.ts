/**
 * The page scroll lock behind a phone sheet, counted: each open sheet takes the lock once and
 * gives it back once, so two widgets on one page can never undo each other. The lock is a
 * constructable stylesheet, which strict CSP (`style-src 'self'`) allows.
 */
let holders = 0;
let sheet: CSSStyleSheet | undefined;

export function lockPageScroll(): void {
  if (holders++ > 0 || typeof document === 'undefined') return;
  sheet ??= new CSSStyleSheet();
  sheet.replaceSync('html,body{overflow:hidden!important}');
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

export function unlockPageScroll(): void {
  if (holders === 0 || --holders > 0 || typeof document === 'undefined') return;
  document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
}

/** How many sheets hold the lock (for tests). */
export const scrollLockHolders = (): number => holders;
