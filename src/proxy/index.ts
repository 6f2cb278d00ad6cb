// The portable Bookbag proxy: a fetch handler with no Node, DOM or Lit imports.
export {
  createBookbagProxy, type BookbagProxyHandler, type BookbagProxyOptions, type Limit, type ProxyRequestInfo,
} from './proxy.js';
export { MemoryLimiterStore, type LimiterStore, type RateDecision } from './limiter-store.js';
export { RedisLimiterStore, type RedisScriptClient } from './redis-limiter-store.js';
export { FallbackLimiterStore, type FallbackOptions } from './fallback-limiter-store.js';
export { createBookbagProxyEngine, type BookbagProxyEngine } from './proxy.js';
export { EMPTY_BODY, ProxyAnswer, type BodySource, type Departure, type ProxyCall, type UpstreamCall, type UpstreamInit, type UpstreamPending, type UpstreamReply } from './exchange.js';
