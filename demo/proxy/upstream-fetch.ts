// The proxy's upstream calls on node:http with a keep-alive agent. Node's global fetch, and
// wrapping node:http replies in web Response objects and streams, cost several times the CPU
// of a plain http.request per call (measured with `npm run bench:proxy`), and every widget
// request costs the proxy one upstream call. Only what the proxy uses is supported: string
// bodies, status/headers/streamed body back, no redirects followed.
import { Agent as HttpAgent, request as httpRequest, type ClientRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { EMPTY_BODY, type UpstreamCall, type UpstreamReply } from '../../src/proxy/index.ts';
import { incomingBody } from './incoming-body.ts';

export function createNodeUpstream(): UpstreamCall {
  const agents = {
    'http:': new HttpAgent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 }),
    'https:': new HttpsAgent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 }),
  };
  // The proxy calls one origin: parse it once, not per call.
  const origins = new Map<string, { protocol: string; hostname: string; port: string }>();
  return (target, init) => {
    const split = /^(https?:\/\/[^/?#]+)([/?][^#]*)?$/i.exec(target);
    if (!split) return { reply: Promise.reject(new TypeError(`unsupported upstream URL ${target.slice(0, 100)}`)), abort: () => {} };
    let origin = origins.get(split[1]);
    if (!origin) {
      const u = new URL(split[1]);
      origin = { protocol: u.protocol, hostname: u.hostname.replace(/^\[|\]$/g, ''), port: u.port };
      if (origins.size < 16) origins.set(split[1], origin);
    }
    const protocol = origin.protocol as keyof typeof agents;
    const headers: Record<string, string> = { ...init.headers };
    if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
    const send = protocol === 'https:' ? httpsRequest : httpRequest;
    let current: ClientRequest | null = null;
    let aborted = false;
    // Once the reply has ended its socket is back in the pool, serving someone else: never destroy it then.
    let finished = false;
    const reply = new Promise<UpstreamReply>((resolve, reject) => {
      const attempt = (again: boolean) => {
        let responded = false;
        const req = send({ ...origin, path: split[2] ?? '/', method: init.method, headers, agent: agents[protocol] }, (res) => {
          responded = true;
          res.on('end', () => { finished = true; });
          const status = res.statusCode ?? 502;
          const empty = status === 204 || status === 304 || init.method === 'HEAD';
          if (empty) res.resume();
          resolve({
            status,
            header: (name) => {
              const v = res.headers[name];
              return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
            },
            body: empty ? EMPTY_BODY : incomingBody(res, (m) => m.destroy()),
          });
        });
        current = req;
        req.on('error', (error: NodeJS.ErrnoException) => {
          // A kept-alive socket the upstream closed while idle, just as we reused it: the request
          // never reached the server (no reply byte came), so one retry on a fresh socket is safe.
          if (again && !responded && !aborted && req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) return attempt(false);
          reject(error);
        });
        req.end(init.body);
      };
      attempt(true);
    });
    return {
      reply,
      abort() {
        if (aborted || finished) return;
        aborted = true;
        current?.destroy(new Error('upstream call aborted'));
      },
    };
  };
}
