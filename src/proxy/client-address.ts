// The client address a limit is keyed on. X-Forwarded-For is attacker-written unless it was
// appended by a proxy we run, so it is read only when the peer is one of the configured
// proxies, and then from the right: the first address that is not a trusted proxy is the
// client (entries further left were written by the client itself).

function normalize(address: string): string {
  const a = address.trim().toLowerCase();
  // IPv4-mapped IPv6 (`::ffff:127.0.0.1`) is the IPv4 address.
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

export function clientAddressOf(peer: string | undefined, forwardedFor: string | null, trusted: ReadonlySet<string>): string {
  let client = normalize(peer ?? '') || 'unknown';
  if (!forwardedFor || !trusted.has(client)) return client;
  const hops = forwardedFor.split(',').map(normalize).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    client = hops[i];
    if (!trusted.has(client)) return client;
  }
  return client;
}

export function trustedSet(addresses: readonly string[] | undefined): Set<string> {
  return new Set((addresses ?? []).map(normalize));
}
