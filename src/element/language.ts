import { type BookbagStrings, RTL_LANGS, primaryLang, resolveStrings } from '../internal/strings.js';

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
    return RTL_LANGS.has(primaryLang(this.lang(own))) ? 'rtl' : own ? 'ltr' : undefined;
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
