// Anonymous visitor identity: a random id in a cookie signed with HMAC-SHA256 (Web Crypto).
// The cookie is `<id>.<issued-at, base36 seconds>.<signature>`. The issue time is inside the
// signed value, so the server decides how long a cookie lives (a copied cookie stops working
// after the maximum age, whatever its Max-Age attribute says). A cookie whose signature does
// not verify is ignored and a fresh id is issued, so tampering only ever yields a new, empty
// identity.

const encoder = new TextEncoder();
const CONTEXT = 'bookbag-proxy visitor v2:';
export const VISITOR_ID = /^v_[A-Za-z0-9_-]{22}$/;
const ISSUED_AT = /^[0-9a-z]{1,10}$/;

export function base64url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

export function newVisitorId(): string {
  return `v_${base64url(crypto.getRandomValues(new Uint8Array(16)))}`;
}

export interface VerifiedCookie {
  id: string;
  /** Unix seconds. */
  issuedAt: number;
  /** An older secret verified it: re-sign with the newest so the old one can be dropped. */
  byOlderSecret: boolean;
}

export class CookieSigner {
  /** The first secret signs; every secret verifies (rotation: put the new one first). */
  private readonly keys: Promise<CryptoKey[]>;

  constructor(secrets: readonly string[]) {
    this.keys = Promise.all(secrets.map((s) =>
      crypto.subtle.importKey('raw', encoder.encode(s), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])));
  }

  async sign(id: string, issuedAtSeconds: number): Promise<string> {
    const [key] = await this.keys;
    const body = `${id}.${Math.floor(issuedAtSeconds).toString(36)}`;
    const sig = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(CONTEXT + body)));
    return `${body}.${base64url(sig)}`;
  }

  /** The signed content of a cookie value, or null when it is malformed or no secret verifies it. */
  async verify(value: string): Promise<VerifiedCookie | null> {
    const parts = value.split('.');
    if (parts.length !== 3) return null;
    const [id, iat, sigText] = parts;
    const sig = fromBase64url(sigText);
    if (!VISITOR_ID.test(id) || !ISSUED_AT.test(iat) || !sig || sig.length !== 32) return null;
    const data = encoder.encode(`${CONTEXT}${id}.${iat}`);
    const keys = await this.keys;
    for (let i = 0; i < keys.length; i++) {
      // `verify` compares in constant time.
      if (await crypto.subtle.verify('HMAC', keys[i], sig, data)) return { id, issuedAt: parseInt(iat, 36), byOlderSecret: i > 0 };
    }
    return null;
  }
}

export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    return value;
  }
  return null;
}

export interface CookieAttributes { name: string; crossSite: boolean; maxAgeSeconds: number }

/**
 * The cookie's name for a request: over HTTPS the `__Host-` prefix, which browsers accept only
 * with Secure, Path=/ and no Domain — so no sibling subdomain can plant or overwrite it.
 */
export function cookieNameFor(name: string, https: boolean): string {
  return https ? `__Host-${name}` : name;
}

export function serializeCookie(name: string, value: string, a: CookieAttributes): string {
  return `${name}=${value}; Max-Age=${a.maxAgeSeconds}; Path=/; HttpOnly; Secure; SameSite=${a.crossSite ? 'None' : 'Lax'}`;
}
