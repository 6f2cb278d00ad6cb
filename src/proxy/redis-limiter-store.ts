// The limiter store on Redis, shared by every proxy process that points at the same server.
// One Lua script per hit keeps "trim the window, count, maybe add" atomic, and takes the time
// from Redis itself, so processes on machines with skewed clocks still share one window.
// The client is passed in (an `ioredis` instance fits this shape), so this file imports
// nothing and the proxy stays portable.

import type { LimiterStore, RateDecision } from './limiter-store.js';

/** The two commands used, as `ioredis` spells them. */
export interface RedisScriptClient {
  evalsha(sha: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

// KEYS[1] the window's sorted set; ARGV limit, window ms, a unique member.
// Returns { allowed (0/1), hits in window, ms until the oldest hit leaves }.
export const SLIDING_WINDOW_LUA = `
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
local oldest = now
if count > 0 then oldest = tonumber(redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2]) end
if count >= limit then return {0, count, oldest + window - now} end
redis.call('ZADD', key, now, ARGV[3])
redis.call('PEXPIRE', key, window)
return {1, count + 1, oldest + window - now}
`;

async function sha1Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class RedisLimiterStore implements LimiterStore {
  private readonly sha = sha1Hex(SLIDING_WINDOW_LUA);
  private seq = 0;
  private readonly nonce = Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, '0')).join('');

  /** `prefix` namespaces the keys (several sites on one Redis). */
  constructor(private readonly client: RedisScriptClient, private readonly prefix = 'bookbag-proxy:') {}

  async hit(key: string, limit: number, windowMs: number): Promise<RateDecision> {
    // Unique per hit across processes: this process's nonce and a counter.
    const member = `${this.nonce}:${++this.seq}`;
    const args = [`${this.prefix}${key}`, limit, windowMs, member] as const;
    let reply: unknown;
    try {
      reply = await this.client.evalsha(await this.sha, 1, ...args);
    } catch (error) {
      if (!String((error as Error)?.message ?? error).includes('NOSCRIPT')) throw error;
      reply = await this.client.eval(SLIDING_WINDOW_LUA, 1, ...args);
    }
    if (!Array.isArray(reply) || reply.length !== 3) throw new Error('Redis limiter: unexpected script reply');
    const [allowed, count, resetMs] = reply.map(Number);
    return { allowed: allowed === 1, limit, remaining: Math.max(0, limit - count), resetMs: Math.max(1, resetMs) };
  }
}
