// A Bookbag API v2 proxy as a standard fetch handler: `(Request) => Promise<Response>`.
// It holds the API key, gives each visitor an identity (a signed cookie or the host's own
// login), pins the agent, forwards only what the widget needs, and checks that every
// conversation a visitor touches is theirs. Web platform APIs only, so it runs on fetch-based
// hosts; the logic itself works on the small exchange interfaces (exchange.ts), which the
// Node server (demo/proxy/) binds to node:http directly.
import { clientAddressOf, trustedSet } from './client-address.js';
import { ClientGone, errorAnswer, forbidden, invalidBody, notFound, ProxyError } from './errors.js';
import { ProxyAnswer, type BodySource, type ProxyCall, type UpstreamCall, type UpstreamPending, type UpstreamReply } from './exchange.js';
import { callFromRequest, fetchUpstream, responseOf } from './web-exchange.js';
import { codeForStatus, isUserId, paths } from '../protocol/index.js';
import { cookieNameFor, CookieSigner, newVisitorId, readCookie, serializeCookie, type VerifiedCookie } from './identity.js';
import { nestsDeeperThan } from './json-depth.js';
import { MemoryLimiterStore, type LimiterStore, type RateDecision } from './limiter-store.js';
import { LruSet } from './lru-set.js';
import { BODY_FIELDS, CONVERSATION_ID, matchRoute, QUERY_FIELDS, segmentsOf, type Route, type RouteKind } from './routes.js';

/** A rate limit: at most `max` within any `windowMs`. */
export interface Limit { max: number; windowMs: number }

export interface BookbagProxyOptions {
  /** Bookbag's origin (`https://app.bookbag.ai`) or its API root (`…/api/v2`). Default: Bookbag. */
  upstream?: string;
  /** The Bookbag key (`oc_live_…`); prefer an agent-scoped key. Never sent to the browser. */
  apiKey: string;
  /** The one agent this proxy serves; requests for any other agent answer 404. */
  agentId: string | number;
  /** Cookie-signing secret(s), at least 16 characters. The first signs; all verify (rotation). */
  secret: string | readonly string[];
  /** Exact origins (`https://shop.example`) allowed to call the proxy from a browser. */
  allowOrigins?: readonly string[];
  /** Accept requests whose Origin has the proxy's own host (same-origin pages). Default true. */
  allowSameOrigin?: boolean;
  /** The proxy serves other sites: the cookie becomes `SameSite=None` (the widget needs `with-credentials`). */
  crossSite?: boolean;
  /** Default `bookbag_visitor`; over HTTPS it gets the `__Host-` prefix. */
  cookieName?: string;
  /**
   * How long an anonymous identity lives, checked on the server against the issue time inside
   * the signed value (the cookie's own Max-Age is only a hint to the browser). The cookie is
   * re-issued as it is used, so an active visitor keeps their history. Default: 365 days.
   */
  cookieMaxAgeSeconds?: number;
  /**
   * Maps a request to the host's logged-in user id (under the Node server, a `Request` with the
   * method, URL and headers, no body) (`^[a-zA-Z0-9._-]{1,128}$`). When it
   * returns null the visitor gets an anonymous cookie identity, unless `anonymous` is false.
   */
  identify?: (request: Request) => Promise<string | null> | string | null;
  /** Allow anonymous (cookie) visitors when `identify` finds nobody. Default true. */
  anonymous?: boolean;
  /** Per-visitor budget. Default 30 requests per 10 s; `false` turns it off. */
  rateLimit?: Limit | false;
  /** Per client address, all visitors behind it together. Default 60 per 10 s. */
  ipRateLimit?: Limit | false;
  /** New anonymous identities (cookieless requests) per client address. Default 20 per 10 min. */
  mintRateLimit?: Limit | false;
  /**
   * Upstream calls of this proxy (of every process sharing the limiter store), kept below the
   * key's own 100 per 10 s so that no visitor can push the site's key into Bookbag's 429.
   * Default 80 per 10 s.
   */
  globalRateLimit?: Limit | false;
  /**
   * Addresses of the reverse proxies in front of this one. Only a request from one of them has
   * its X-Forwarded-For read (right to left); otherwise the peer address is the client.
   */
  trustedProxies?: readonly string[];
  /** Where limit counts live. Default: in this process. Share one (Redis) across processes. */
  limiterStore?: LimiterStore;
  /** Request body cap. Default 32 KiB. */
  maxBodyBytes?: number;
  /** The whole request body must arrive within this time (slow senders hold sockets). Default 10 s. */
  bodyTimeoutMs?: number;
  /** Connect + first-byte timeout toward the upstream. Default 15 s. */
  timeoutMs?: number;
  /** Longest silence inside an upstream body (a stalled stream) before it is cut. Default 60 s; 0 = none. */
  idleTimeoutMs?: number;
  /** Where the proxy's API root is mounted on this host. Default `/api/v2`. */
  mountPath?: string;
  fetch?: typeof fetch;
  /** Diagnostics for upstream failures, rejected keys and host bugs (never shown to visitors). */
  onError?: (error: unknown, info: { status: number; path: string }) => void;
  /** Milliseconds since the epoch; tests move it. Default `Date.now`. */
  clock?: () => number;
}

/** What the host knows about the connection (the request object does not carry it). */
export interface ProxyRequestInfo {
  /** The peer's IP address (Node: `req.socket.remoteAddress`). */
  clientAddress?: string;
}

export type BookbagProxyHandler = (request: Request, info?: ProxyRequestInfo) => Promise<Response>;

/** The proxy on the exchange interfaces: what a server binding (the fetch handler, node:http) calls. */
export type BookbagProxyEngine = (call: ProxyCall) => Promise<ProxyAnswer>;

const MAX_JSON_DEPTH = 32;
const ALLOWED_TYPES = new Set(['application/json', 'text/event-stream']);
const SECURITY_HEADERS: Array<[string, string]> = [
  ['x-content-type-options', 'nosniff'],
  // Nothing the proxy serves is a document; if one is ever opened as a page, it can do nothing.
  ['content-security-policy', "default-src 'none'"],
];
const EXPOSED = 'x-request-id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After';
const COPIED = ['content-type', 'x-request-id', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after'];
const MAX_ERROR_BODY = 64 * 1024;
// Whole-buffer decoders (no `stream` option, so no state between calls): shared, not built per request.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const utf8 = new TextDecoder();

/**
 * `setCookie` is still being signed when the visitor is known: the signature is only needed in
 * the answer's head, so the upstream call does not wait for it (see `signedCookie`).
 */
interface Visitor { id: string; setCookie: Promise<string> | null }

interface Ctx {
  call: ProxyCall;
  route: Exclude<Route, { kind: 'refused' } | { kind: 'other-agent' }>;
  url: URL;
  visitor: Visitor;
  body: Record<string, unknown> | undefined;
}

function normalizeUpstream(upstream: string): string {
  const base = upstream.replace(/\/+$/, '');
  return /\/api\/v2$/.test(base) ? base : `${base}/api/v2`;
}

function requestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `proxy_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The proxy as a standard fetch handler: `(Request) => Promise<Response>`. */
export function createBookbagProxy(options: BookbagProxyOptions): BookbagProxyHandler {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const engine = createBookbagProxyEngine(options, fetchUpstream(doFetch));
  return async (request, info) => responseOf(await engine(callFromRequest(request, info?.clientAddress)));
}

/**
 * The proxy's logic on the exchange interfaces, for a server binding of its own (the Node
 * server calls Bookbag on node:http). `upstreamCall` replaces `options.fetch`.
 */
export function createBookbagProxyEngine(options: BookbagProxyOptions, upstreamCall?: UpstreamCall): BookbagProxyEngine {
  const agentId = String(options.agentId ?? '');
  if (!/^\d+$/.test(agentId)) throw new TypeError('createBookbagProxy: agentId must be the numeric agent id');
  if (!options.apiKey) throw new TypeError('createBookbagProxy: apiKey is required');
  const secrets = typeof options.secret === 'string' ? [options.secret] : [...(options.secret ?? [])];
  if (secrets.length === 0 || secrets.some((s) => typeof s !== 'string' || s.length < 16)) {
    throw new TypeError('createBookbagProxy: secret must be at least 16 characters');
  }
  const upstream = normalizeUpstream(options.upstream ?? 'https://app.bookbag.ai');
  const mount = `/${(options.mountPath ?? '/api/v2').replace(/^\/+|\/+$/g, '')}`;
  const allowOrigins = new Set((options.allowOrigins ?? []).map((o) => o.replace(/\/+$/, '')));
  const allowSameOrigin = options.allowSameOrigin ?? true;
  const clock = options.clock ?? Date.now;
  const cookie = { name: options.cookieName ?? 'bookbag_visitor', crossSite: !!options.crossSite, maxAgeSeconds: options.cookieMaxAgeSeconds ?? 365 * 86400 };
  // Re-issue a used cookie now and then (not on every request), so activity extends it.
  const refreshAfterSeconds = Math.min(86400, Math.floor(cookie.maxAgeSeconds / 4));
  const signer = new CookieSigner(secrets);
  const limitOf = (v: Limit | false | undefined, fallback: Limit): Limit | null => (v === false ? null : v ?? fallback);
  const limits = {
    visitor: limitOf(options.rateLimit, { max: 30, windowMs: 10_000 }),
    ip: limitOf(options.ipRateLimit, { max: 60, windowMs: 10_000 }),
    mint: limitOf(options.mintRateLimit, { max: 20, windowMs: 600_000 }),
    global: limitOf(options.globalRateLimit, { max: 80, windowMs: 10_000 }),
  };
  const store: LimiterStore = options.limiterStore ?? new MemoryLimiterStore(clock);
  const trusted = trustedSet(options.trustedProxies);
  const maxBody = options.maxBodyBytes ?? 32 * 1024;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const idleMs = options.idleTimeoutMs ?? 60_000;
  const upstreamOf: UpstreamCall = upstreamCall ?? fetchUpstream(options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init)));
  // Conversation ownership never changes (the first userId sticks), so positive answers are
  // cached; a miss costs one upstream read. Per process — correctness never depends on it.
  const owned = new LruSet(50_000);
  const ownKey = (visitor: string, cid: string) => `${visitor}\n${cid}`;
  // Verified cookie values, so a returning visitor costs no HMAC per request. Only values
  // whose signature checked out get in; their age is still checked on every use.
  const verifiedCookies = new Map<string, VerifiedCookie>();

  function report(error: unknown, status: number, path: string): void {
    try { options.onError?.(error, { status, path }); } catch { /* diagnostics must not break a reply */ }
  }

  // ---- limits -------------------------------------------------------------------------

  // The in-memory store answers at once: asked synchronously, a hit costs no promise round trip.
  const localStore = store instanceof MemoryLimiterStore ? store : null;

  /** Counts one hit; throws the proxy's 429 when the limit is reached. Returns a promise only when the store is remote. */
  function enforce(kind: keyof typeof limits, subject: string, message: string): void | Promise<void> {
    const limit = limits[kind];
    if (!limit) return;
    const key = `${kind}:${agentId}:${subject}`;
    if (localStore) return verdict(localStore.hitNow(key, limit.max, limit.windowMs), message);
    return store.hit(key, limit.max, limit.windowMs).then((d) => verdict(d, message));
  }

  function verdict(d: RateDecision, message: string): void {
    if (d.allowed) return;
    throw new ProxyError(429, 'RATE_LIMIT_TOO_MANY_REQUESTS', message, {
      'Retry-After': String(Math.max(1, Math.ceil(d.resetMs / 1000))),
      'X-RateLimit-Limit': String(d.limit),
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': String(Math.ceil((clock() + d.resetMs) / 1000)),
    });
  }

  // ---- CORS ---------------------------------------------------------------------------

  function originAllowed(origin: string, url: URL): boolean {
    if (allowOrigins.has(origin)) return true;
    if (!allowSameOrigin) return false;
    try {
      // Host only: behind a TLS-terminating balancer the request URL may say http://.
      return new URL(origin).host === url.host;
    } catch {
      return false;
    }
  }

  // ---- identity -----------------------------------------------------------------------

  async function verifyCookie(value: string): Promise<VerifiedCookie | null> {
    const cached = verifiedCookies.get(value);
    if (cached) return cached;
    const verified = await signer.verify(value);
    if (verified) {
      if (verifiedCookies.size >= 10_000) verifiedCookies.delete(verifiedCookies.keys().next().value as string);
      verifiedCookies.set(value, verified);
    }
    return verified;
  }

  /**
   * A cookie for `id`, signed in the background. Web Crypto's HMAC runs on a worker thread, so
   * awaiting it before the upstream call put one extra event-loop turn on every new visitor's
   * critical path: under a burst of new visitors each turn waits for the whole batch (measured
   * with 200 concurrent streams: ~90 ms p50 from a request parsed to its upstream request
   * written, under 1 ms since). The identity is fixed and
   * its mint limit counted before this; only the cookie's text is late, and it is awaited
   * before the answer's head is written.
   */
  function signedCookie(name: string, id: string, now: number): Promise<string> {
    const pending = signer.sign(id, now).then((value) => serializeCookie(name, value, cookie));
    // Handled now, awaited later: a rejection while the upstream call runs is not "unhandled".
    pending.catch(() => {});
    return pending;
  }

  async function identifyVisitor(call: ProxyCall, url: URL, client: string): Promise<Visitor> {
    if (options.identify) {
      const id = await options.identify(call.toRequest());
      if (id !== null && id !== undefined) {
        if (!isUserId(id)) {
          // A host bug, never the visitor's doing: report it, forward nothing.
          report(new Error(`identify() returned ${JSON.stringify(id)?.slice(0, 140)}, which is not a valid Bookbag userId (dot-only ids are refused)`), 500, url.pathname);
          throw new ProxyError(500, 'INTERNAL_SERVER_ERROR', 'The chat service is misconfigured');
        }
        return { id, setCookie: null };
      }
      if (options.anonymous === false) throw new ProxyError(401, 'AUTH_MISSING_API_KEY', 'Sign in to use the chat');
    }
    const name = cookieNameFor(cookie.name, url.protocol === 'https:');
    const value = readCookie(call.header('cookie'), name);
    const now = Math.floor(clock() / 1000);
    const verified = value ? (verifiedCookies.get(value) ?? await verifyCookie(value)) : null;
    if (verified && verified.issuedAt <= now + 300 && now - verified.issuedAt <= cookie.maxAgeSeconds) {
      const renew = verified.byOlderSecret || now - verified.issuedAt > refreshAfterSeconds;
      return { id: verified.id, setCookie: renew ? signedCookie(name, verified.id, now) : null };
    }
    // Every request without a valid cookie would mint a fresh identity with a fresh budget.
    const minting = enforce('mint', client, 'Too many new chat sessions from this address; retry after the Retry-After delay');
    if (minting) await minting;
    const fresh = newVisitorId();
    return { id: fresh, setCookie: signedCookie(name, fresh, now) };
  }

  // ---- request body -------------------------------------------------------------------

  async function readBody(call: ProxyCall): Promise<string> {
    const declared = Number(call.header('content-length'));
    if (Number.isFinite(declared) && declared > maxBody) throw tooLarge();
    const body = call.body;
    if (!body) return '';
    const chunks: Uint8Array[] = [];
    let size = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ProxyError(408, 'VALIDATION_INVALID_BODY', 'The request body arrived too slowly')), bodyTimeoutMs);
    });
    try {
      for (;;) {
        const chunk = await Promise.race([body.read(), deadline]);
        if (chunk === null) break;
        size += chunk.byteLength;
        if (size > maxBody) throw tooLarge();
        chunks.push(chunk);
      }
    } catch (error) {
      body.cancel();
      if (call.departure.aborted) throw new ClientGone();
      if (error instanceof ProxyError) throw error;
      throw invalidBody('The request body could not be read');
    } finally {
      clearTimeout(timer);
    }
    const all = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) { all.set(c, at); at += c.byteLength; }
    try {
      return strictUtf8.decode(all);
    } catch {
      throw invalidBody('Body is not valid UTF-8');
    }
  }

  const tooLarge = () => new ProxyError(413, 'VALIDATION_INVALID_BODY', `Request body is larger than ${maxBody} bytes`);

  async function jsonBody(call: ProxyCall, kind: RouteKind): Promise<Record<string, unknown>> {
    const type = call.header('content-type') ?? '';
    // Also a CSRF guard: a cross-site HTML form cannot send application/json.
    if (!/^application\/json\b/i.test(type.trim())) throw invalidBody('Send the body as Content-Type: application/json');
    const text = await readBody(call);
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) throw invalidBody(`Body nests deeper than ${MAX_JSON_DEPTH} levels`);
    let parsed: unknown;
    try {
      parsed = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      throw invalidBody('Body is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidBody('Body must be a JSON object');
    const out: Record<string, unknown> = {};
    for (const field of BODY_FIELDS[kind] ?? []) {
      if (field in parsed) out[field] = (parsed as Record<string, unknown>)[field];
    }
    return out;
  }

  // ---- upstream -----------------------------------------------------------------------

  async function callUpstream(call: ProxyCall, method: string, path: string, body?: unknown, accept = 'application/json'): Promise<UpstreamReply> {
    const busy = enforce('global', 'upstream', 'The chat is busy right now; retry after the Retry-After delay');
    if (busy) await busy;
    if (call.departure.aborted) throw new ClientGone();
    let pending: UpstreamPending | undefined;
    const stop = () => pending?.abort();
    // Stays attached for the reply's body too: a visitor who leaves ends the upstream call.
    const off = call.departure.onAbort(stop);
    let timedOut = false;
    const timer = timeoutMs > 0 ? setTimeout(() => { timedOut = true; stop(); }, timeoutMs) : undefined;
    const headers: Record<string, string> = { Authorization: `Bearer ${options.apiKey}`, Accept: accept };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    try {
      pending = upstreamOf(upstream + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      return await pending.reply;
    } catch (error) {
      off();
      if (call.departure.aborted) throw new ClientGone();
      if (timedOut) {
        report(error, 504, path);
        throw new ProxyError(504, 'INTERNAL_SERVER_ERROR', 'Bookbag did not answer in time');
      }
      report(error, 502, path);
      throw new ProxyError(502, 'INTERNAL_SERVER_ERROR', 'Bookbag could not be reached');
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }

  const ok = (reply: UpstreamReply) => reply.status >= 200 && reply.status < 300;

  /** Reads a (small) upstream body, capped (in bytes); a stall or reset becomes a 502/504. */
  async function upstreamText(call: ProxyCall, reply: UpstreamReply, path: string, cap = Infinity): Promise<string> {
    const body = guarded(call, reply.body, path, null);
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      let chunk: Uint8Array | null;
      try {
        chunk = await body.read();
      } catch (error) {
        if (call.departure.aborted) throw new ClientGone();
        throw error instanceof ProxyError ? error : new ProxyError(502, 'INTERNAL_SERVER_ERROR', 'Bookbag closed the connection');
      }
      if (chunk === null) break;
      chunks.push(chunk);
      size += chunk.byteLength;
      if (size > cap) {
        body.cancel();
        break;
      }
    }
    if (chunks.length === 1) return utf8.decode(chunks[0]);
    const all = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) { all.set(c, at); at += c.byteLength; }
    return utf8.decode(all);
  }

  /** An upstream error as the API's envelope; a non-envelope body (an HTML 502 page) is replaced. */
  async function upstreamError(call: ProxyCall, reply: UpstreamReply, path: string): Promise<ProxyAnswer> {
    const text = await upstreamText(call, reply, path, MAX_ERROR_BODY).catch((error) => {
      if (error instanceof ClientGone) throw error;
      return '';
    });
    const headers = copyHeaders(reply);
    if (reply.status === 401 || reply.status === 403) {
      // The key is wrong, revoked or scoped to another agent: the proxy's fault, not the visitor's.
      report(new Error(`Bookbag answered ${reply.status}: ${text.slice(0, 500)}`), reply.status, path);
      return errorAnswer(502, 'INTERNAL_SERVER_ERROR', 'The chat service is misconfigured', headers);
    }
    let envelope: { error?: { code?: unknown; message?: unknown } } | null = null;
    try { envelope = JSON.parse(text); } catch { /* not JSON */ }
    const e = envelope?.error;
    if (e && typeof e.code === 'string' && typeof e.message === 'string') {
      return errorAnswer(reply.status, e.code, e.message, headers);
    }
    return errorAnswer(reply.status, codeForStatus(reply.status), `Bookbag answered HTTP ${reply.status}`, headers);
  }

  function copyHeaders(from: UpstreamReply): Map<string, string> {
    const h = new Map<string, string>();
    for (const name of COPIED) {
      const v = from.header(name);
      if (v !== null) h.set(name, v);
    }
    return h;
  }

  /** The reply's media type when it is one the widget reads (JSON or SSE), else null. */
  function allowedType(reply: UpstreamReply): string | null {
    const type = (reply.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
    return ALLOWED_TYPES.has(type) ? type : null;
  }

  /** Refuses a success reply of any other type: an HTML page must never be served from the site's origin. */
  function refuseType(reply: UpstreamReply, path: string): ProxyAnswer {
    reply.body.cancel();
    report(new Error(`Bookbag answered ${reply.status} with Content-Type ${JSON.stringify(reply.header('content-type'))}`), 502, path);
    return errorAnswer(502, 'INTERNAL_SERVER_ERROR', 'Bookbag sent a reply the chat cannot use');
  }

  /**
   * Passes an upstream body through chunk by chunk (pulled by the reader, so backpressure and
   * the first frame's latency are the upstream's own), cutting it after `idleMs` of silence.
   * `onText` sees the decoded text (ownership sniffing) without delaying it.
   */
  function guarded(call: ProxyCall, body: BodySource, path: string, onText: ((text: string) => void) | null): BodySource {
    const decoder = onText ? new TextDecoder() : null;
    let cancelled = false;
    // One timer per body, not one per chunk: each read moves the deadline, and the timer, when
    // it fires early, waits out the rest (portable: no Node-only `timer.refresh()`).
    let timer: ReturnType<typeof setTimeout> | undefined;
    let deadline = 0;
    let onIdle: ((error: ProxyError) => void) | null = null;
    const check = () => {
      timer = undefined;
      if (!onIdle) return;
      const left = deadline - Date.now();
      if (left > 0) timer = setTimeout(check, left);
      else onIdle(new ProxyError(504, 'INTERNAL_SERVER_ERROR', 'Bookbag stopped sending'));
    };
    const waitFor = (read: Promise<Uint8Array | null>): Promise<Uint8Array | null> => {
      if (idleMs <= 0) return read;
      deadline = Date.now() + idleMs;
      timer ??= setTimeout(check, idleMs);
      return new Promise((resolve, reject) => {
        onIdle = reject;
        read.then(resolve, reject);
      });
    };
    const stopTimer = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      onIdle = null;
    };
    return {
      async read() {
        try {
          const chunk = await waitFor(body.read());
          onIdle = null;
          if (cancelled) return null;
          if (chunk === null) {
            stopTimer();
            if (decoder && onText) onText(decoder.decode());
            return null;
          }
          if (decoder && onText) onText(decoder.decode(chunk, { stream: true }));
          return chunk;
        } catch (error) {
          stopTimer();
          body.cancel();
          if (cancelled) return null;
          // A visitor who left is not an outage.
          if (!call.departure.aborted) report(error, 502, path);
          throw error;
        }
      },
      cancel() {
        cancelled = true;
        stopTimer();
        body.cancel();
      },
    };
  }

  /** Watches an SSE reply for the `finish` frame and remembers the conversation it names. */
  function finishSniffer(visitor: string): (text: string) => void {
    let carry = '';
    return (text) => {
      carry += text;
      if (!carry.includes('\n')) return;
      const lines = carry.split('\n');
      carry = lines.pop() ?? '';
      if (carry.length > 1_000_000) carry = '';
      for (const line of lines) {
        if (!line.startsWith('data:') || !line.includes('"finish"')) continue;
        try {
          const frame = JSON.parse(line.slice(5));
          const meta = frame?.type === 'finish' ? frame.metadata : null;
          const cid = meta?.conversationId;
          if ((typeof cid === 'string' || typeof cid === 'number') && CONVERSATION_ID.test(String(cid)) && meta.userId === visitor) {
            owned.add(ownKey(visitor, String(cid)));
          }
        } catch { /* not a frame we need */ }
      }
    };
  }

  /** Forwards a success reply: the copied headers, and the body streamed through. */
  function passThrough(call: ProxyCall, reply: UpstreamReply, path: string, visitor: string, type: string): ProxyAnswer {
    const headers = copyHeaders(reply);
    const sse = type === 'text/event-stream';
    if (sse) {
      headers.set('cache-control', 'no-store, no-transform');
      headers.set('x-accel-buffering', 'no');
    }
    return new ProxyAnswer(reply.status, headers, guarded(call, reply.body, path, sse ? finishSniffer(visitor) : null));
  }


  /** 404 unless the conversation's `userId` is this visitor. */
  async function checkOwner(ctx: Ctx, cid: string): Promise<void> {
    if (owned.has(ownKey(ctx.visitor.id, cid))) return;
    const path = `${paths.conversation(agentId, cid)}?limit=1`;
    const reply = await callUpstream(ctx.call, 'GET', path);
    if (reply.status === 404) {
      reply.body.cancel();
      throw notFound('Conversation not found');
    }
    if (!ok(reply)) throw await upstreamError(ctx.call, reply, path);
    let data: { userId?: unknown } | undefined;
    try { data = JSON.parse(await upstreamText(ctx.call, reply, path)).data; } catch (error) {
      if (error instanceof ProxyError) throw error;
    }
    if (!data || data.userId !== ctx.visitor.id) throw notFound('Conversation not found');
    owned.add(ownKey(ctx.visitor.id, cid));
  }

  function query(url: URL): string {
    if (!url.search) return '';
    const q = new URLSearchParams();
    for (const name of QUERY_FIELDS) {
      const v = url.searchParams.get(name);
      if (v !== null) q.set(name, v);
    }
    const s = q.toString();
    return s ? `?${s}` : '';
  }

  /** A JSON read whose reply is inspected before it is passed on. */
  async function readJson(ctx: Ctx, path: string): Promise<{ reply: UpstreamReply; text: string } | ProxyAnswer> {
    const reply = await callUpstream(ctx.call, 'GET', path);
    // Missing and not-owned must look the same: the proxy's own 404, never Bookbag's.
    if (reply.status === 404) {
      reply.body.cancel();
      return errorOf(notFound('Conversation not found'));
    }
    if (!ok(reply)) return upstreamError(ctx.call, reply, path);
    if (allowedType(reply) !== 'application/json') return refuseType(reply, path);
    return { reply, text: await upstreamText(ctx.call, reply, path) };
  }

  async function forward(ctx: Ctx): Promise<ProxyAnswer> {
    const { route, visitor, url } = ctx;
    const cid = 'conversationId' in route ? route.conversationId : undefined;
    switch (route.kind) {
      case 'health':
        return ProxyAnswer.json(200, { status: 'ok' });
      case 'chat': {
        const body: Record<string, unknown> = { ...ctx.body, userId: visitor.id };
        const conv = body.conversationId;
        if (conv !== undefined && conv !== null) {
          const id = typeof conv === 'number' || typeof conv === 'string' ? String(conv) : '';
          if (!CONVERSATION_ID.test(id)) throw invalidBody('conversationId must be an integer');
          await checkOwner(ctx, id);
        }
        return send(ctx, 'POST', paths.chat(agentId), body, true);
      }
      case 'retry':
      case 'tool-result':
        await checkOwner(ctx, cid!);
        return send(ctx, 'POST', route.kind === 'retry' ? paths.retry(agentId, cid!) : paths.toolResult(agentId, cid!), ctx.body, true);
      case 'feedback':
        await checkOwner(ctx, cid!);
        return send(ctx, 'PATCH', paths.feedback(agentId, cid!, route.messageId!), ctx.body, false);
      case 'messages':
        await checkOwner(ctx, cid!);
        return send(ctx, 'GET', `${paths.messages(agentId, cid!)}${query(url)}`, undefined, false);
      case 'conversation': {
        // The reply itself names the owner, so no separate check is needed.
        const read = await readJson(ctx, `${paths.conversation(agentId, cid!)}${query(url)}`);
        if (read instanceof ProxyAnswer) return read;
        let owner: unknown;
        try { owner = JSON.parse(read.text)?.data?.userId; } catch { /* checked below */ }
        if (owner !== visitor.id) return errorOf(notFound('Conversation not found'));
        owned.add(ownKey(visitor.id, cid!));
        return new ProxyAnswer(read.reply.status, copyHeaders(read.reply), read.text);
      }
      case 'user-conversations': {
        // Whatever userId the browser put in the path, the visitor only ever sees their own.
        const read = await readJson(ctx, `${paths.userConversations(agentId, visitor.id)}${query(url)}`);
        if (read instanceof ProxyAnswer) return read;
        try {
          for (const c of JSON.parse(read.text)?.data ?? []) {
            if (c && c.userId === visitor.id && CONVERSATION_ID.test(String(c.id))) owned.add(ownKey(visitor.id, String(c.id)));
          }
        } catch { /* passed through as is */ }
        return new ProxyAnswer(read.reply.status, copyHeaders(read.reply), read.text);
      }
    }
  }

  async function send(ctx: Ctx, method: string, path: string, body: unknown, streams: boolean): Promise<ProxyAnswer> {
    const reply = await callUpstream(ctx.call, method, path, body, streams ? 'text/event-stream, application/json' : 'application/json');
    if (!ok(reply)) return upstreamError(ctx.call, reply, path);
    const type = allowedType(reply);
    if (!type || (!streams && type !== 'application/json')) return refuseType(reply, path);
    return passThrough(ctx.call, reply, path, ctx.visitor.id, type);
  }

  function errorOf(err: ProxyError): ProxyAnswer {
    return errorAnswer(err.status, err.code, err.message, err.headers);
  }

  // Upstream paths come from the contract's builders, which refuse any id that is not one
  // safe path segment (`.`/`..` included) — a second guard behind the route and identity checks.

  // ---- the handler --------------------------------------------------------------------

  return async function handle(call: ProxyCall): Promise<ProxyAnswer> {
    const url = call.url;
    const origin = call.header('origin');
    const method = call.method.toUpperCase();
    let setCookie: Promise<string> | null = null;

    const decorate = (answer: ProxyAnswer): ProxyAnswer => {
      const h = answer.headers;
      answer.append('vary', 'Origin');
      if (origin) {
        h.set('access-control-allow-origin', origin);
        h.set('access-control-allow-credentials', 'true');
        h.set('access-control-expose-headers', EXPOSED);
      }
      for (const [name, value] of SECURITY_HEADERS) h.set(name, value);
      if (!h.has('x-request-id')) h.set('x-request-id', requestId());
      if (!h.has('cache-control')) h.set('cache-control', 'private, no-store');
      return answer;
    };

    /** The answer with its headers and, once signed, the visitor's new cookie. */
    const finish = async (answer: ProxyAnswer): Promise<ProxyAnswer> => {
      decorate(answer);
      if (!setCookie) return answer;
      try {
        answer.setCookie = await setCookie;
        return answer;
      } catch (error) {
        // The answer belongs to an identity the visitor could not keep: refuse it rather than send it cookieless.
        if (answer.body !== null && typeof answer.body !== 'string') answer.body.cancel();
        report(error, 500, url.pathname);
        return decorate(errorAnswer(500, 'INTERNAL_SERVER_ERROR', 'Unexpected proxy error'));
      }
    };

    try {
      const path = url.pathname;
      if (path !== mount && !path.startsWith(`${mount}/`)) throw notFound(`No route for ${method} ${path}`);
      if (origin && !originAllowed(origin, url)) {
        // No CORS headers: the browser refuses to expose it; other clients still read the envelope.
        const refused = errorAnswer(403, 'AUTH_INSUFFICIENT_PERMISSIONS', 'This origin is not allowed to use the chat proxy', { Vary: 'Origin', 'x-request-id': requestId() });
        for (const [name, value] of SECURITY_HEADERS) refused.headers.set(name, value);
        return refused;
      }
      if (method === 'OPTIONS') {
        const answer = new ProxyAnswer(204);
        answer.headers.set('access-control-allow-methods', 'GET, POST, PATCH, OPTIONS');
        const asked = call.header('access-control-request-headers');
        // Extra headers are never forwarded upstream, so any the page asks for may be sent.
        answer.headers.set('access-control-allow-headers', asked || 'Content-Type');
        answer.headers.set('access-control-max-age', '600');
        answer.append('vary', 'Access-Control-Request-Method, Access-Control-Request-Headers');
        return finish(answer);
      }

      const segs = segmentsOf(path.slice(mount.length));
      const route = segs ? matchRoute(method, segs, agentId) : null;
      if (!route || route.kind === 'other-agent') {
        throw route ? notFound('Agent not found') : notFound(`No route for ${method} ${path}`);
      }
      if (route.kind === 'refused') throw forbidden(`The chat proxy does not serve ${route.what}`);
      // Answered here: a liveness probe needs neither the key nor Bookbag's budget.
      if (route.kind === 'health') return finish(ProxyAnswer.json(200, { status: 'ok' }));

      const client = clientAddressOf(call.clientAddress, call.header('x-forwarded-for'), trusted);
      const perAddress = enforce('ip', client, 'Too many requests from this address; retry after the Retry-After delay');
      if (perAddress) await perAddress;
      const visitor = await identifyVisitor(call, url, client);
      setCookie = visitor.setCookie;
      const perVisitor = enforce('visitor', visitor.id, 'Too many requests; retry after the Retry-After delay');
      if (perVisitor) await perVisitor;
      const body = BODY_FIELDS[route.kind] ? await jsonBody(call, route.kind) : undefined;
      return finish(await forward({ call, route, url, visitor, body }));
    } catch (error) {
      if (error instanceof ProxyAnswer) return finish(error);
      if (error instanceof ProxyError) {
        // A cookie minted for a request that was refused is not handed out.
        if (error.status === 429) setCookie = null;
        return finish(errorOf(error));
      }
      report(error, 500, url.pathname);
      return finish(errorAnswer(500, 'INTERNAL_SERVER_ERROR', 'Unexpected proxy error'));
    }
  };
}
