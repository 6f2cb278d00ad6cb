// The proxy's upstream calls on node:http with a keep-alive agent, behind the `fetch` shape the
// portable handler takes. Node's global fetch costs two to three times the CPU of http.request
// per call (measured with `npm run bench:proxy`), and every widget request costs the proxy one
// upstream call, so this is most of what the proxy spends. Only what the handler uses is
// supported: string bodies, an abort signal, status/headers/streamed body back; no redirects.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** The response body as a web stream; cancelling it destroys the socket at once (an aborted stream frees its upstream connection). */
function bodyOf(res: IncomingMessage): ReadableStream<Uint8Array> {
  let settled = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) res.pause();
      });
      res.once('end', () => { if (!settled) { settled = true; controller.close(); } });
      const fail = (error: Error) => { if (!settled) { settled = true; controller.error(error); } };
      res.once('error', fail);
      res.once('aborted', () => fail(new Error('upstream connection reset')));
      res.once('close', () => { if (!res.complete) fail(new Error('upstream connection closed early')); });
    },
    pull() { res.resume(); },
    cancel() { settled = true; res.destroy(); },
  }, { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength });
}

export function createUpstreamFetch(): typeof fetch {
  const agents = {
    'http:': new HttpAgent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 }),
    'https:': new HttpsAgent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 }),
  };
  const upstreamFetch = (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => new Promise((resolve, reject) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const protocol = url.protocol as keyof typeof agents;
    if (!(protocol in agents)) return reject(new TypeError(`unsupported upstream protocol ${url.protocol}`));
    if (init.body !== undefined && init.body !== null && typeof init.body !== 'string') return reject(new TypeError('upstream bodies are strings'));
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => { headers[k] = v; });
    if (typeof init.body === 'string') headers['content-length'] = String(Buffer.byteLength(init.body));
    const send = protocol === 'https:' ? httpsRequest : httpRequest;
    const attempt = (again: boolean) => {
      let responded = false;
      const req = send(url, { method: init.method ?? 'GET', headers, agent: agents[protocol], signal: init.signal ?? undefined }, (res) => {
        responded = true;
        const out = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value === undefined) continue;
          if (Array.isArray(value)) for (const v of value) out.append(name, v);
          else out.set(name, value);
        }
        const status = res.statusCode ?? 502;
        const empty = status === 204 || status === 304 || init.method === 'HEAD';
        if (empty) res.resume();
        resolve(new Response(empty ? null : bodyOf(res), { status, statusText: res.statusMessage, headers: out }));
      });
      req.once('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive socket the upstream closed while idle, just as we reused it: the request
        // never reached the server (no reply byte came), so one retry on a fresh socket is safe.
        if (again && !responded && req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE') && !init.signal?.aborted) return attempt(false);
        reject(error);
      });
      req.end(init.body ?? undefined);
    };
    attempt(true);
  });
  return upstreamFetch as typeof fetch;
}
