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
  stopped: string;
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
  stopped: 'Stopped.',
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
export const locales: Record<string, Partial<BookbagStrings>> = {};

/** English, then the shipped locale for `lang`, then the host's overrides. */
export function resolveStrings(lang: string, overrides: Partial<BookbagStrings> | undefined): BookbagStrings {
  const base = locales[lang.toLowerCase().split('-')[0]] ?? {};
  return { ...en, ...base, ...overrides };
}
