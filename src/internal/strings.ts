/**
 * Every built-in label. Hosts override any of them through the `strings` property; `lang`
 * picks a shipped locale first. Functions take the values they interpolate.
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
  loadingOlder: string;
  interrupted: string;
  retryIn: (seconds: string) => string;
  replyFinished: (text: string) => string;
  toolStates: { pending: string; running: string; done: string; error: string };
  toolAllow: string;
  toolDeny: string;
  toolLabel: (name: string) => string;
  jumpToLatest: string;
  unread: (count: string) => string;
  charactersLeft: (count: string) => string;
  suggestionsLabel: string;
  historyEmpty: string;
  back: string;
  loadMore: string;
  clearData: string;
  copyCode: string;
  copied: string;
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
  loadingOlder: 'Loading earlier messages…',
  interrupted: 'The reply was interrupted.',
  retryIn: (s) => `You can send again in ${s} s.`,
  replyFinished: (text) => `Assistant replied: ${text}`,
  toolStates: { pending: 'Waiting', running: 'Running…', done: 'Done', error: 'Failed' },
  toolAllow: 'Allow',
  toolDeny: 'Deny',
  toolLabel: (name) => `Tool ${name}`,
  jumpToLatest: 'Jump to latest',
  unread: (n) => `${n} unread`,
  charactersLeft: (n) => `${n} characters left`,
  suggestionsLabel: 'Suggestions',
  historyEmpty: 'No earlier conversations.',
  back: 'Back to chat',
  loadMore: 'Load more',
  clearData: 'Clear chat data on this device',
  copyCode: 'Copy code',
  copied: 'Copied',
};

/** Shipped locales beside English, by primary language subtag. */
export const locales: Record<string, Partial<BookbagStrings>> = {
  de: {
    heading: 'Chat',
    placeholder: 'Nachricht schreiben…',
    send: 'Senden',
    stop: 'Stopp',
    close: 'Chat schließen',
    open: 'Chat öffnen',
    newConversation: 'Neues Gespräch',
    history: 'Gesprächsverlauf',
    retry: 'Erneut versuchen',
    feedbackPositive: 'Gute Antwort',
    feedbackNegative: 'Schlechte Antwort',
    messagesLabel: 'Nachrichten',
    inputLabel: 'Nachricht',
    you: 'Sie',
    assistant: 'Assistent',
    thinking: 'Denkt nach…',
    loadingOlder: 'Frühere Nachrichten werden geladen…',
    interrupted: 'Die Antwort wurde unterbrochen.',
    retryIn: (s) => `Sie können in ${s} s erneut senden.`,
    replyFinished: (text) => `Antwort des Assistenten: ${text}`,
    toolStates: { pending: 'Wartet', running: 'Läuft…', done: 'Erledigt', error: 'Fehlgeschlagen' },
    toolAllow: 'Erlauben',
    toolDeny: 'Ablehnen',
    toolLabel: (name) => `Werkzeug ${name}`,
    jumpToLatest: 'Zur neuesten Nachricht',
    unread: (n) => `${n} ungelesen`,
    charactersLeft: (n) => `Noch ${n} Zeichen`,
    suggestionsLabel: 'Vorschläge',
    historyEmpty: 'Keine früheren Gespräche.',
    back: 'Zurück zum Chat',
    loadMore: 'Mehr laden',
    clearData: 'Chat-Daten auf diesem Gerät löschen',
    copyCode: 'Code kopieren',
    copied: 'Kopiert',
    cannotRetry: 'Diese Antwort kann nicht mehr neu erzeugt werden.',
  },
};

/** English, then the shipped locale for `lang`, then the host's overrides. */
export function resolveStrings(lang: string, overrides: Partial<BookbagStrings> | undefined): BookbagStrings {
  const base = locales[lang.toLowerCase().split('-')[0]] ?? {};
  return { ...en, ...base, ...overrides };
}
