import crypto, { createHash, timingSafeEqual } from 'node:crypto';
import { newId, randomBase32 } from '../../shared/ids.js';

/** The public form of a key: everything but the secret. */
export interface ApiKey {
  id: string;
  name: string;
  role: string;
  createdAt: Date;
  createdBy: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** A new key: its record and the token, shown once to whoever created it. */
export interface IssuedKey {
  key: ApiKey;
  secretHash: string;
  token: string;
}

const TOKEN = /^ck\.(key_[0-9a-z]{26})\.([0-9a-z]{32})$/;

/**
 * Mints a key. The token is `ck.<key id>.<secret>` (160 random bits of secret); the store keeps
 * only the SHA-256 of the secret, which is enough for a high-entropy secret.
 */
export function issueKey(
  input: { name: string; role: string; createdBy: string | null },
  nowMs: number,
): IssuedKey {
  const id = newId('key', nowMs);
  const secret = randomBase32(32);
  return {
    key: {
      id,
      name: input.name,
      role: input.role,
      createdAt: new Date(nowMs),
      createdBy: input.createdBy,
      lastUsedAt: null,
      revokedAt: null,
    },
    secretHash: hashSecret(secret),
    token: `ck.${id}.${secret}`,
  };
}

/** Splits a bearer token into key id and secret; null when it is not shaped like one of ours. */
export function parseToken(token: string): { keyId: string; secret: string } | null {
  const m = TOKEN.exec(token);
  return m ? { keyId: m[1] as string, secret: m[2] as string } : null;
}

/** SHA-256 hex of a secret. */
export function hashSecret(secret: string): string {
  return sha256(secret).toString('hex');
}

/** SHA-256 of a text: one call where Node has `crypto.hash` (20.12 and later; every request runs it). */
const sha256: (text: string) => Buffer =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'buffer')
    : (text) => createHash('sha256').update(text).digest();

/** Constant-time comparison of a presented secret against the stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const a = sha256(secret);
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
