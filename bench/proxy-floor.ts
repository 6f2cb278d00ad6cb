// `bench:proxy`'s reference point: the least a Node proxy can do — node:http in, http.request
// on a keep-alive agent out, the key added — with no checks at all. A read's reply is buffered
// and sent back; a chat stream's reply is written on chunk by chunk as it comes (its head goes
// out with the first chunk). Its ratios are the ceiling any proxy process reaches on this machine
// under its current load; the real proxy's distance to it is what the proxy's own work costs.
//   node --import tsx bench/proxy-floor.ts UPSTREAM_API_ROOT API_KEY
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';

const [root, key] = process.argv.slice(2);
const upstream = new URL(root);
const agent = new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 });

function read(req: IncomingMessage, res: ServerResponse): void {
  const up = request({ hostname: upstream.hostname, port: upstream.port, path: upstream.pathname + req.url, method: 'GET', agent, headers: { authorization: `Bearer ${key}`, accept: 'application/json' } }, (reply) => {
    const chunks: Buffer[] = [];
    reply.on('data', (c: Buffer) => chunks.push(c));
    reply.on('end', () => {
      const body = Buffer.concat(chunks);
      res.writeHead(reply.statusCode ?? 502, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
    });
  });
  up.on('error', () => res.destroy());
  up.end();
}

function stream(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const up = request({ hostname: upstream.hostname, port: upstream.port, path: upstream.pathname + req.url, method: 'POST', agent, headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream', 'content-type': 'application/json', 'content-length': body.length } }, (reply) => {
      res.writeHead(reply.statusCode ?? 502, { 'content-type': reply.headers['content-type'] ?? 'text/event-stream', 'cache-control': 'no-store' });
      reply.on('data', (c: Buffer) => res.write(c));
      reply.on('end', () => { ended = true; res.end(); });
    });
    // A client that leaves ends the upstream call; after the reply's end its socket is back in
    // the pool, serving another request, so it is left alone then.
    let ended = false;
    up.on('error', () => res.destroy());
    res.on('close', () => { if (!ended) up.destroy(); });
    up.end(body);
  });
}

const server = createServer((req, res) => (req.method === 'POST' ? stream(req, res) : read(req, res)));
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`bare pass-through: http://127.0.0.1:${(server.address() as { port: number }).port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
