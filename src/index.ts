/**
 * Side-effect-free entry: classes and types only. Importing it registers nothing and touches no
 * `window`, `document` or storage, so it is safe in server-side rendering.
 */
export { BookbagChat } from './element/bookbag-chat.js';
export { ChatController } from './core/chat-controller.js';
export type { ChatControllerInit, ChatControllerEventMap, ConversationStore } from './core/chat-controller.js';
export type { Activity, ChatError, ChatState, Confirmation, FailedTurn } from './core/state.js';
export type { ChatTransport, Reply } from './core/transport.js';
export { ApiClient } from './transport/api-client.js';
export type { ApiClientInit, HeadersInit, Page } from './transport/api-client.js';
export { BookbagError } from './protocol/errors.js';
export { ChatStorage } from './persistence/chat-storage.js';
export type { StorageKind, StoredState } from './persistence/chat-storage.js';
export type { ToolEntry, ToolHandler, ToolContext } from './core/tool-runner.js';
export type { Message, Part, TextPart, ToolCallPart, ToolCallState, ChatStatus, Feedback, ChatFrame } from './protocol/message.js';
export type { BookbagEvent, BookbagEventDetails, BookbagEventName } from './events.js';
export type { BookbagStrings } from './internal/strings.js';
