/**
 * Every built-in label. Hosts override any of them through the `strings` property; `lang`
 * picks a shipped locale first. Functions take the values they interpolate (already formatted
 * for the language).
 */
export interface BookbagStrings {
  heading: string;
  placeholder: string;
  send: string;
  stop: string;
  close: string;
  open: string;
  newConversation: string;
  history: string;
  retry: string;
  /** The retry endpoint refused (`CHAT_RETRY_NO_USER_MESSAGE` / `CHAT_RETRY_MESSAGE_NOT_FOUND`). */
  cannotRetry: string;
  feedbackPositive: string;
  feedbackNegative: string;
  messagesLabel: string;
  inputLabel: string;
  you: string;
  assistant: string;
  thinking: string;
  /** The typing indicator, read once by screen readers; `name` is the agent's name. */
  typing: (name: string) => string;
  loadingOlder: string;
  interrupted: string;
  retryIn: (seconds: string) => string;
  replyFinished: (text: string) => string;
  toolStates: { pending: string; running: string; done: string; error: string; declined: string };
  toolAllow: string;
  toolDeny: string;
  toolLabel: (name: string) => string;
  /** The default question on an approval card (a tool entry with `confirm: true`). */
  toolConfirm: (name: string) => string;
  /** The summary of a tool card's expandable details (input and result). */
  toolDetails: string;
  /** Heading of the approval card's list of input fields. */
  toolInput: string;
  jumpToLatest: string;
  unread: (count: string) => string;
  charactersLeft: (count: string) => string;
  suggestionsLabel: string;
  historyEmpty: string;
  back: string;
  loadMore: string;
  clearData: string;
  /** Asked before `clearData` goes ahead. */
  clearDataConfirm: string;
  /** Confirms clearing. */
  clearDataYes: string;
  cancel: string;
  copyCode: string;
  copied: string;
  copyMessage: string;
  /** The marker on a reply the visitor stopped. */
  stopped: string;
  /** Asks the agent to go on after a stopped reply. */
  continue: string;
  /** The message `continue` sends. */
  continuePrompt: string;
  /** Shown briefly when Enter is pressed while a reply is still arriving. */
  busyHint: string;
  /** Relative times under a minute. */
  justNow: string;
  /** The tab title's prefix while replies arrive in a hidden page; `count` replies. */
  titleNotice: (count: string) => string;
  /** Friendly error notices, by kind (see `errorKind`); the server's own text stays in the event. */
  errors: {
    network: string;
    server: string;
    rateLimited: string;
    notFound: string;
    ended: string;
    auth: string;
    invalid: string;
    tooLong: string;
    unavailable: string;
    tool: string;
    generic: string;
  };
}

export const en: BookbagStrings = {
  heading: 'Chat',
  placeholder: 'Type a message…',
  send: 'Send',
  stop: 'Stop',
  close: 'Close chat',
  open: 'Open chat',
  newConversation: 'New conversation',
  history: 'Conversation history',
  retry: 'Retry',
  cannotRetry: 'This reply can no longer be regenerated.',
  feedbackPositive: 'Good reply',
  feedbackNegative: 'Bad reply',
  messagesLabel: 'Messages',
  inputLabel: 'Message',
  you: 'You',
  assistant: 'Assistant',
  thinking: 'Thinking…',
  typing: (name) => `${name} is typing…`,
  loadingOlder: 'Loading earlier messages…',
  interrupted: 'The reply was interrupted.',
  retryIn: (s) => `You can send again in ${s} s.`,
  replyFinished: (text) => `Assistant replied: ${text}`,
  toolStates: { pending: 'Waiting', running: 'Working…', done: 'Done', error: 'Failed', declined: 'Declined' },
  toolAllow: 'Allow',
  toolDeny: 'Deny',
  toolLabel: (name) => `Action: ${name}`,
  toolConfirm: (name) => `Allow ${name}?`,
  toolDetails: 'Details',
  toolInput: 'It will use:',
  jumpToLatest: 'Jump to latest',
  unread: (n) => `${n} unread`,
  charactersLeft: (n) => `${n} characters left`,
  suggestionsLabel: 'Suggestions',
  historyEmpty: 'No earlier conversations.',
  back: 'Back to chat',
  loadMore: 'Load more',
  clearData: 'Clear chat data on this device',
  clearDataConfirm: 'Clear the chat data on this device? This browser forgets your conversations and starts fresh.',
  clearDataYes: 'Clear',
  cancel: 'Cancel',
  copyCode: 'Copy code',
  copied: 'Copied',
  copyMessage: 'Copy message',
  stopped: 'Stopped',
  continue: 'Continue',
  continuePrompt: 'Please continue.',
  busyHint: 'A reply is still arriving. Stop it to send now.',
  justNow: 'just now',
  titleNotice: (n) => `(${n}) New reply`,
  errors: {
    network: 'Could not reach the chat. Check your connection and try again.',
    server: 'Something went wrong on our side. Please try again.',
    rateLimited: 'Too many messages in a short time. Please wait a moment.',
    notFound: 'This conversation is no longer available. Start a new one.',
    ended: 'This conversation has ended. Start a new one.',
    auth: 'The chat is not available here right now.',
    invalid: 'That message could not be sent. Please change it and try again.',
    tooLong: 'That message is too long.',
    unavailable: 'The chat is not available right now. Please try again later.',
    tool: 'An action could not be completed.',
    generic: 'Something went wrong. Please try again.',
  },
};

/** Languages written right to left (primary subtags). */
export const RTL_LANGS = new Set(['ar', 'fa', 'he', 'iw', 'ps', 'ur', 'yi', 'dv', 'ku', 'sd', 'ug']);

/** The primary language subtag, lower-cased (`pt-BR` → `pt`). */
export const primaryLang = (lang: string): string => lang.toLowerCase().split(/[-_]/)[0];

type LocaleModule = { default: BookbagStrings };

/**
 * The shipped locales beside English, by primary language subtag. Each is a dynamic import, so
 * the bundle carries only English and the build emits every other locale as its own small file
 * next to `bookbag-chat.js`, fetched (relative to the bundle's URL) the first time an element
 * needs it. English is always there, so a missing file only means English labels.
 */
const LOCALE_FILES: Record<string, () => Promise<LocaleModule>> = {
  de: () => import('./locales/de.js'),
  fr: () => import('./locales/fr.js'),
  es: () => import('./locales/es.js'),
  it: () => import('./locales/it.js'),
  pt: () => import('./locales/pt.js'),
  nl: () => import('./locales/nl.js'),
  ja: () => import('./locales/ja.js'),
  zh: () => import('./locales/zh.js'),
  ar: () => import('./locales/ar.js'),
  he: () => import('./locales/he.js'),
};

/** The languages with built-in strings (pure, so a bundle that never reads it drops it). */
export const SHIPPED_LANGS = /* @__PURE__ */ ['en'].concat(/* @__PURE__ */ Object.keys(LOCALE_FILES));

const loaded = new Map<string, BookbagStrings>([['en', en]]);
const loading = new Map<string, Promise<void>>();

/**
 * Makes the built-in strings for `lang` available to {@link resolveStrings}. Resolves at once for
 * English, a loaded locale, or a language without one; never rejects (a locale file that fails
 * to load leaves English, and is tried again next time).
 */
export function loadLocale(lang: string): Promise<void> {
  const key = primaryLang(lang);
  const file = LOCALE_FILES[key];
  if (!file || loaded.has(key)) return Promise.resolve();
  let pending = loading.get(key);
  if (!pending) {
    pending = file().then(
      (m) => void loaded.set(key, m.default),
      () => void loading.delete(key),
    );
    loading.set(key, pending);
  }
  return pending;
}

/** Whether {@link resolveStrings} already has the built-in strings for `lang` (or needs none). */
export const localeReady = (lang: string): boolean => loaded.has(primaryLang(lang)) || !LOCALE_FILES[primaryLang(lang)];

/** English, then the shipped locale for `lang` (once loaded, see {@link loadLocale}), then the host's overrides. */
export function resolveStrings(lang: string, overrides: Partial<BookbagStrings> | undefined): BookbagStrings {
  const base = loaded.get(primaryLang(lang));
  return { ...en, ...base, ...overrides, errors: { ...en.errors, ...base?.errors, ...overrides?.errors }, toolStates: { ...en.toolStates, ...base?.toolStates, ...overrides?.toolStates } };
}
