/**
 * Runs the host page's client-side tool handlers safely: with a timeout, an abort signal the
 * widget can fire (stop, reset, element removed), and an output that is always plain JSON.
 * A handler can never throw into the chat: every failure becomes `{ error: "…" }`.
 */

/** What a handler receives beside the tool's input. */
export interface ToolContext {
  toolCallId: string;
  toolName: string;
  conversationId: string;
  /** Aborted when the visitor stops or resets the chat, or the handler times out. */
  signal: AbortSignal;
}

/** A client-side tool: gets the agent's input, returns (or resolves to) the output. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- handlers declare their own input shape; `unknown` would reject `(input: { city: string }) => …`
export type ToolHandler = (input: any, ctx: ToolContext) => unknown | Promise<unknown>;

/** A handler, or a handler with options. */
export type ToolEntry =
  | ToolHandler
  | {
      handler: ToolHandler;
      /** Ask the visitor first; a string is the question shown. */
      confirm?: boolean | string;
      /** Give up after this long. @defaultValue 30000 */
      timeoutMs?: number;
      /** The name visitors see on the tool's card (default: the tool's name). */
      label?: string;
      /** A one-line, human summary of a call's input for its card (a throw or a non-string is ignored). */
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- same reason as ToolHandler's input
      describe?: (input: any) => string;
    };

export interface ToolSpec {
  handler: ToolHandler;
  confirm: string | false;
  timeoutMs: number;
}

export interface ToolOutcome {
  output: unknown;
  isError: boolean;
}

export const DEFAULT_TOOL_TIMEOUT_MS = 30000;

/** The entry for `name` with its options filled in, or undefined when there is no handler. */
export function toolSpec(tools: Record<string, ToolEntry> | undefined, name: string): ToolSpec | undefined {
  const entry = tools && Object.prototype.hasOwnProperty.call(tools, name) ? tools[name] : undefined;
  if (typeof entry === 'function') return { handler: entry, confirm: false, timeoutMs: DEFAULT_TOOL_TIMEOUT_MS };
  if (!entry || typeof entry.handler !== 'function') return undefined;
  const confirm = entry.confirm === true ? '' : typeof entry.confirm === 'string' ? entry.confirm : false;
  const timeoutMs = typeof entry.timeoutMs === 'number' && entry.timeoutMs > 0 ? entry.timeoutMs : DEFAULT_TOOL_TIMEOUT_MS;
  return { handler: entry.handler, confirm, timeoutMs };
}

/** The output posted for a failure. */
export const failure = (message: string): ToolOutcome => ({ output: { error: message }, isError: true });

/**
 * Runs one handler. Resolves with its JSON output (`null` for `undefined`), or a failure for a
 * throw, a timeout, a value that is not JSON, or an abort through `signal`.
 */
export async function runTool(spec: ToolSpec, input: unknown, ctx: Omit<ToolContext, 'signal'>, signal: AbortSignal): Promise<ToolOutcome> {
  const local = new AbortController();
  const onAbort = () => local.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    if (signal.aborted) return failure('cancelled');
    const timeout = new Promise<ToolOutcome>((resolve) => {
      timer = setTimeout(() => {
        // Resolve before aborting: the abort listener below would settle the race as "cancelled".
        resolve(failure(`timed out after ${spec.timeoutMs} ms`));
        local.abort(new DOMException('timed out', 'TimeoutError'));
      }, spec.timeoutMs);
    });
    const aborted = new Promise<ToolOutcome>((resolve) => local.signal.addEventListener('abort', () => resolve(failure('cancelled')), { once: true }));
    const run = (async (): Promise<ToolOutcome> => {
      try {
        const value = await spec.handler(input, { ...ctx, signal: local.signal });
        return { output: toJson(value), isError: false };
      } catch (error) {
        return failure(error instanceof Error ? error.message || error.name : String(error));
      }
    })();
    return await Promise.race([run, timeout, aborted]);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

/** A plain-JSON copy of a handler's value; throws a clear error for values JSON cannot carry. */
function toJson(value: unknown): unknown {
  if (value === undefined) return null;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new Error(`returned a value that is not JSON (${error instanceof Error ? error.message : error})`);
  }
  if (text === undefined) throw new Error(`returned a value that is not JSON (${typeof value})`);
  return JSON.parse(text);
}
