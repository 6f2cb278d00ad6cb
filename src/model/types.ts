// The message model now lives in the contract (src/protocol/message.ts); this path stays for
// the views that import it.
export type { ChatFrame, ChatStatus, Feedback, Message, Part, TextPart, ToolCallPart, ToolCallState, UnknownPart } from '../protocol/message.js';
export type { FinishMetadata } from '../protocol/wire.js';
export { isTextPart, isToolCallPart, messageText } from '../protocol/message.js';
