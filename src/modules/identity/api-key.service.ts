import type { Clock } from '../../shared/clock.js';
import { CordonError, invalid } from '../../shared/errors.js';
import { isRole, type Principal, ROLES } from '../../shared/roles.js';
import { type ApiKey, issueKey, parseToken, secretMatches } from './api-key.js';

/** What the key service needs from storage (implemented by api-key.repository.ts). */
export interface ApiKeyStore {
  insert(key: ApiKey, secretHash: string): Promise<void>;
  findWithHash(id: string): Promise<{ key: ApiKey; secretHash: string } | undefined>;
  list(options: { includeRevoked: boolean }): Promise<ApiKey[]>;
  revoke(id: string, at: Date): Promise<ApiKey | undefined>;
  touch(id: string, at: Date): Promise<void>;
}

/** Issues, lists, revokes and verifies API keys. */
export interface ApiKeyService {
  create(input: {
    name: string;
    role: string;
    createdBy: string | null;
  }): Promise<{ key: ApiKey; token: string }>;
  list(options?: { includeRevoked?: boolean }): Promise<ApiKey[]>;
  revoke(id: string): Promise<ApiKey>;
  /** The principal behind a bearer token, or null for an unknown, malformed or revoked key. */
  authenticate(token: string): Promise<Principal | null>;
}

const NAME = /^[\p{L}\p{N} ._@:/-]{1,100}$/u;

/**
 * Builds the key service. Verified keys are cached for `cacheTtlMs` so that authentication costs
 * no store round trip on the hot path; a revocation in this process takes effect at once, in other
 * processes within the TTL.
 */
export function createApiKeyService(deps: {
  store: ApiKeyStore;
  clock: Clock;
  cacheTtlMs: number;
}): ApiKeyService {
  const { store, clock, cacheTtlMs } = deps;
  const cache = new Map<string, { principal: Principal; secretHash: string; expiresMs: number }>();
  const MAX_CACHE = 10_000;

  return {
    async create(input) {
      const name = input.name.trim();
      if (!NAME.test(name)) {
        throw invalid('keys.invalid_name', 'name must be 1-100 letters, digits, spaces or . _ @ : / -', {
          field: 'name',
        });
      }
      if (!isRole(input.role)) {
        throw invalid('keys.invalid_role', `role must be one of ${ROLES.join(', ')}`, {
          field: 'role',
          value: input.role,
        });
      }
      const issued = issueKey({ name, role: input.role, createdBy: input.createdBy }, clock.nowMs());
      await store.insert(issued.key, issued.secretHash);
      return { key: issued.key, token: issued.token };
    },

    list: (options) => store.list({ includeRevoked: options?.includeRevoked ?? false }),

    async revoke(id) {
      const key = await store.revoke(id, new Date(clock.nowMs()));
      if (!key) throw new CordonError('not_found', 'keys.not_found', `no API key ${id}`, { id });
      cache.delete(id);
      return key;
    },

    async authenticate(token) {
      const parsed = parseToken(token);
      if (!parsed) return null;
      const now = clock.nowMs();
      const hit = cache.get(parsed.keyId);
      if (hit && hit.expiresMs > now) {
        return secretMatches(parsed.secret, hit.secretHash) ? hit.principal : null;
      }
      const found = await store.findWithHash(parsed.keyId);
      if (!found || found.key.revokedAt || !isRole(found.key.role)) {
        cache.delete(parsed.keyId);
        return null;
      }
      if (!secretMatches(parsed.secret, found.secretHash)) return null;
      const principal: Principal = { keyId: found.key.id, name: found.key.name, role: found.key.role };
      if (cache.size >= MAX_CACHE) cache.clear();
      cache.set(parsed.keyId, { principal, secretHash: found.secretHash, expiresMs: now + cacheTtlMs });
      await store.touch(found.key.id, new Date(now));
      return principal;
    },
  };
}
