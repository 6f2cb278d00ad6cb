// Anonymous visitor identity: a random id in a cookie signed with HMAC-SHA256 (Web Crypto).
// The cookie is `<id>.<signature>`; a cookie whose signature does not verify is ignored and a
// fresh id is issued, so tampering only ever yields a new, empty identity.

const encoder = new TextEncoder();
const CONTEXT = 'bookbag-proxy visitor v1:';
export const VISITOR_ID = /^v_[A-Za-z0-9_-]{22}$/;

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

export class CookieSigner {
  /** The first secret signs; every secret verifies (rotation: put the new one first). */
  private readonly keys: Promise<CryptoKey[]>;

  constructor(secrets: readonly string[]) {
    this.keys = Promise.all(secrets.map((s) =>
      crypto.subtle.importKey('raw', encoder.encode(s), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])));
  }

  async sign(id: string): Promise<string> {
    const [key] = await this.keys;
    const sig = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(CONTEXT + id)));
    return `${id}.${base64url(sig)}`;
  }

  /** The visitor id in a cookie value, or null when it is malformed or the signature is wrong. */
  async verify(value: string): Promise<string | null> {
    const dot = value.lastIndexOf('.');
    if (dot <= 0) return null;
    const id = value.slice(0, dot);
    const sig = fromBase64url(value.slice(dot + 1));
    if (!VISITOR_ID.test(id) || !sig || sig.length !== 32) return null;
    const data = encoder.encode(CONTEXT + id);
    for (const key of await this.keys) {
      // `verify` compares in constant time.
      if (await crypto.subtle.verify('HMAC', key, sig, data)) return id;
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

export function serializeCookie(value: string, a: CookieAttributes): string {
  return `${a.name}=${value}; Max-Age=${a.maxAgeSeconds}; Path=/; HttpOnly; Secure; SameSite=${a.crossSite ? 'None' : 'Lax'}`;
}
