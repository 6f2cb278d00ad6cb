import { type BookbagStrings, resolveStrings } from '../internal/strings.js';

const RTL_LANGS = new Set(['ar', 'fa', 'he', 'iw', 'ps', 'ur', 'yi', 'dv', 'ku', 'sd', 'ug']);

/**
 * Language and direction for one element: its own `lang` attribute, else the document's. The
 * labels are resolved once per render and reused by everything that render draws.
 */
export class Language {
  #strings: BookbagStrings = resolveStrings('en', undefined);

  /** The language in effect. */
  lang(own: string | null): string {
    return own || (typeof document !== 'undefined' ? document.documentElement.lang : '') || 'en';
  }

  /** `rtl` for right-to-left languages; `ltr` when the element sets its own language; else inherit. */
  dir(own: string | null): 'rtl' | 'ltr' | undefined {
    return RTL_LANGS.has(this.lang(own).toLowerCase().split('-')[0]) ? 'rtl' : own ? 'ltr' : undefined;
  }

  /** Resolves the labels for this render. */
  resolve(own: string | null, overrides: Partial<BookbagStrings> | undefined): BookbagStrings {
    return (this.#strings = resolveStrings(this.lang(own), overrides));
  }

  /** The labels the current render resolved. */
  get strings(): BookbagStrings {
    return this.#strings;
  }
}
