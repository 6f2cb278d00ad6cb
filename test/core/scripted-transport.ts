// A ChatTransport for Node tests of the core: every call answers from a script, records what
// was asked, and honours AbortSignal like the HTTP transport (a pending call rejects with an
// AbortError; a stream stops between frames).
import { BookbagError } from '../../src/protocol/index.ts';
import type { ChatFrame, Page } from '../../src/protocol/index.ts';
import type { ChatTransport, Reply } from '../../src/core/transport.ts';

/** One scripted answer: frames (a reply), an error to reject with, a page, or a gate to wait on first. */
export interface Scripted {
  frames?: ChatFrame[];
  error?: BookbagError;
  page?: Page<unknown>;
  gate?: Promise<void>;
  /** The stream waits (until aborted) before frame number `hangAt`. */
  hangAt?: number;
  /** The stream breaks with `error` before frame number `at`. */
  breakAt?: { at: number; error: BookbagError };
}
export type Answer = ChatFrame[] | BookbagError | Scripted;
export type CallKind = 'chat' | 'retry' | 'toolResult' | 'feedback' | 'messages' | 'userConversations';

export interface Call {
  kind: CallKind;
  args: unknown[];
}

const abortError = () => new DOMException('aborted', 'AbortError');

/** A promise that rejects with an AbortError when `signal` aborts. */
const whenAborted = (signal?: AbortSignal) =>
  new Promise<never>((_, reject) => {
    if (signal?.aborted) reject(abortError());
    signal?.addEventListener('abort', () => reject(abortError()), { once: true });
  });

const emptyPage: Page<unknown> = { data: [], pagination: { cursor: null, hasMore: false } };

export class ScriptedTransport implements ChatTransport {
  readonly calls: Call[] = [];
  /** Answers by kind, taken in order. Reads with no answer left return an empty page. */
  readonly script: Partial<Record<CallKind, Answer[]>>;

  constructor(script: Partial<Record<CallKind, Answer[]>> = {}) {
    this.script = script;
  }

  count(kind: CallKind): number {
    return this.calls.filter((c) => c.kind === kind).length;
  }

  /** Adds answers for `kind`. */
  then_(kind: CallKind, ...answers: Answer[]): this {
    (this.script[kind] ??= []).push(...answers);
    return this;
  }

  chat(body: { message: string; userId?: string; conversationId?: string; stream?: boolean }, signal?: AbortSignal): Promise<Reply> {
    return this.#reply('chat', [body], signal);
  }
  retry(conversationId: string, messageId: string, stream: boolean, signal?: AbortSignal): Promise<Reply> {
    return this.#reply('retry', [conversationId, messageId, stream], signal);
  }
  toolResult(conversationId: string, toolCallId: string, output: unknown, signal?: AbortSignal): Promise<Reply> {
    return this.#reply('toolResult', [conversationId, toolCallId, output], signal);
  }
  async feedback(conversationId: string, messageId: string, feedback: unknown, signal?: AbortSignal): Promise<unknown> {
    const a = await this.#answer('feedback', [conversationId, messageId, feedback], signal);
    if (a?.error) throw a.error;
    return {};
  }
  async messages(conversationId: string, opts?: unknown, signal?: AbortSignal): Promise<Page<unknown>> {
    const a = await this.#answer('messages', [conversationId, opts], signal);
    if (a?.error) throw a.error;
    return a?.page ?? emptyPage;
  }
  async userConversations(userId: string, opts?: unknown, signal?: AbortSignal): Promise<Page<unknown>> {
    const a = await this.#answer('userConversations', [userId, opts], signal);
    if (a?.error) throw a.error;
    return a?.page ?? emptyPage;
  }

  async #answer(kind: CallKind, args: unknown[], signal?: AbortSignal): Promise<Scripted | undefined> {
    this.calls.push({ kind, args });
    const answer = this.script[kind]?.shift();
    if (answer === undefined) return undefined;
    const a: Scripted = Array.isArray(answer) ? { frames: answer } : answer instanceof BookbagError ? { error: answer } : answer;
    if (a.gate) await Promise.race([a.gate, whenAborted(signal)]);
    if (signal?.aborted) throw abortError();
    return a;
  }

  async #reply(kind: CallKind, args: unknown[], signal?: AbortSignal): Promise<Reply> {
    const a = await this.#answer(kind, args, signal);
    if (!a) throw new Error(`no scripted answer for ${kind} #${this.count(kind)}`);
    if (a.error) throw a.error;
    return stream(a.frames ?? [], signal, a);
  }
}

/** Frames one per microtask, as a network stream would hand them over. */
async function* stream(frames: ChatFrame[], signal: AbortSignal | undefined, a: Scripted): AsyncGenerator<ChatFrame> {
  for (let i = 0; i <= frames.length; i++) {
    if (a.breakAt && i === a.breakAt.at) throw a.breakAt.error;
    if (i === frames.length) return;
    if (a.hangAt === i) await whenAborted(signal);
    await Promise.resolve();
    if (signal?.aborted) throw abortError();
    yield frames[i];
  }
}

/** A page of stored messages as the server returns them. */
export const page = (data: unknown[], cursor: string | null = null): Scripted => ({ page: { data, pagination: { cursor, hasMore: cursor !== null } } });

/** Frames of a finished reply. */
export const reply = (text: string, meta: { messageId?: string; conversationId?: string; userMessageId?: string; finishReason?: string } = {}): ChatFrame[] => [
  { type: 'text-delta', text },
  { type: 'finish', finishReason: meta.finishReason ?? 'stop', metadata: { messageId: meta.messageId ?? 'msg_2', conversationId: meta.conversationId ?? '7', userMessageId: meta.userMessageId ?? 'msg_1' } },
  { type: 'done' },
];

/** A gate the test opens. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
