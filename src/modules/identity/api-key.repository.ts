import type { Kysely, Selectable } from 'kysely';
import type { ApiKeyTable, Database } from '../../platform/db/schema.js';
import type { ApiKey } from './api-key.js';
import type { ApiKeyStore } from './api-key.service.js';

/** API keys in the store (PGlite or PostgreSQL). */
export function createApiKeyRepository(db: Kysely<Database>): ApiKeyStore {
  return {
    async insert(key, secretHash) {
      await db
        .insertInto('api_keys')
        .values({
          id: key.id,
          name: key.name,
          role: key.role,
          secret_hash: secretHash,
          created_at: key.createdAt,
          created_by: key.createdBy,
          last_used_at: null,
          revoked_at: null,
        })
        .execute();
    },

    async findWithHash(id) {
      const row = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? { key: toApiKey(row), secretHash: row.secret_hash } : undefined;
    },

    async list({ includeRevoked }) {
      let q = db.selectFrom('api_keys').selectAll().orderBy('created_at').orderBy('id');
      if (!includeRevoked) q = q.where('revoked_at', 'is', null);
      return (await q.execute()).map(toApiKey);
    },

    async revoke(id, at) {
      const row = await db
        .updateTable('api_keys')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (row) return toApiKey(row);
      const existing = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
      return existing ? toApiKey(existing) : undefined;
    },

    async touch(id, at) {
      await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
    },
  };
}

function toApiKey(row: Selectable<ApiKeyTable>): ApiKey {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: new Date(row.created_at),
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at ? new Date(row.last_used_at) : null,
    revokedAt: row.revoked_at ? new Date(row.revoked_at) : null,
  };
}
