// The API's error envelope (§3, §15) for everything the proxy answers itself. Only the codes
// Bookbag documents are used, so the widget's error handling needs nothing proxy-specific.

export type ProxyErrorCode =
  | 'VALIDATION_INVALID_BODY'
  | 'AUTH_MISSING_API_KEY'
  | 'AUTH_INSUFFICIENT_PERMISSIONS'
  | 'RESOURCE_NOT_FOUND'
  | 'RATE_LIMIT_TOO_MANY_REQUESTS'
  | 'INTERNAL_SERVER_ERROR';

export class ProxyError extends Error {
  constructor(
    readonly status: number,
    readonly code: ProxyErrorCode | string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (message = 'Resource not found') => new ProxyError(404, 'RESOURCE_NOT_FOUND', message);
export const forbidden = (message: string) => new ProxyError(403, 'AUTH_INSUFFICIENT_PERMISSIONS', message);
export const invalidBody = (message: string) => new ProxyError(400, 'VALIDATION_INVALID_BODY', message);

/**
 * The visitor went away (closed the tab, aborted the stream). Nobody reads the reply and
 * nothing failed, so it is neither answered nor reported.
 */
export class ClientGone extends ProxyError {
  constructor() { super(499, 'CLIENT_CLOSED_REQUEST', 'The client closed the request'); }
}

export function errorResponse(status: number, code: string, message: string, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  h.set('Content-Type', 'application/json');
  h.set('Cache-Control', 'no-store');
  return new Response(JSON.stringify({ error: { code, message } }), { status, headers: h });
}

/** The documented code a bare upstream status maps to (an HTML 502 page from a CDN, say). */
export function codeForStatus(status: number): string {
  if (status === 401) return 'AUTH_INVALID_API_KEY';
  if (status === 403) return 'AUTH_INSUFFICIENT_PERMISSIONS';
  if (status === 404) return 'RESOURCE_NOT_FOUND';
  if (status === 429) return 'RATE_LIMIT_TOO_MANY_REQUESTS';
  if (status >= 500) return 'INTERNAL_SERVER_ERROR';
  return 'VALIDATION_INVALID_BODY';
}
