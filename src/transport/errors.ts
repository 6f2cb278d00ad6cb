/**
 * Every failure the widget reports, with the API's error code or one of the widget's own:
 * `NETWORK_ERROR` (no connection, or it was reset), `STREAM_INTERRUPTED` (the stream ended
 * without `[DONE]`), `STREAM_ERROR` (an `error` frame arrived), `TOOL_FAILED`,
 * `STORAGE_UNAVAILABLE`.
 */
export class BookbagError extends Error {
  override name = 'BookbagError';
  /** The API's `error.code`, or one of the widget's own codes. */
  readonly code: string;
  /** HTTP status, when the server answered. */
  readonly status?: number;
  /** Whether trying the same thing again may work. */
  readonly retryable: boolean;
  /** Seconds the server asked us to wait (`Retry-After`), for 429s. */
  readonly retryAfter?: number;

  constructor(code: string, message: string, init: { status?: number; retryable?: boolean; retryAfter?: number; cause?: unknown } = {}) {
    super(message, { cause: init.cause });
    this.code = code;
    this.status = init.status;
    this.retryAfter = init.retryAfter;
    this.retryable = init.retryable ?? isRetryableStatus(init.status);
  }
}

/** 429 and 5xx may succeed later; other 4xx will not without a change. No status: network. */
export function isRetryableStatus(status: number | undefined): boolean {
  return status === undefined || status === 408 || status === 429 || status >= 500;
}

/** Abort is the user's choice (stop, reset, element removed), never an error to report. */
export function isAbort(error: unknown, signal?: AbortSignal): boolean {
  return (signal?.aborted ?? false) || (error instanceof DOMException && error.name === 'AbortError');
}

/** Fallback codes by HTTP status, for servers (or proxies, or HTML error pages) without the envelope. */
export function codeForStatus(status: number): string {
  if (status === 400) return 'VALIDATION_INVALID_BODY';
  if (status === 401) return 'AUTH_INVALID_API_KEY';
  if (status === 403) return 'AUTH_INSUFFICIENT_PERMISSIONS';
  if (status === 404) return 'RESOURCE_NOT_FOUND';
  if (status === 429) return 'RATE_LIMIT_TOO_MANY_REQUESTS';
  return status >= 500 ? 'INTERNAL_SERVER_ERROR' : `HTTP_${status}`;
}
