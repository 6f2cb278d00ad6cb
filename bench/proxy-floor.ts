// `bench:proxy`'s reference point: the least a Node proxy can do — node:http in, http.request
// on a keep-alive agent out, the key added, the reply buffered and sent back — with no checks
// at all. Its reads ratio is the ceiling any proxy process reaches on this machine under its
// current load; the real proxy's distance to it is what the proxy's own work costs.
//   node --import tsx bench/proxy-floor.ts UPSTREAM_API_ROOT API_KEY
import { Agent, createServer, request } from 'node:http';

const [root, key] = process.argv.slice(2);
const upstream = new URL(root);
const agent = new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 });
const server = createServer((req, res) => {
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
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`bare pass-through: http://127.0.0.1:${(server.address() as { port: number }).port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
