import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, PolicyVersionTable } from '../../platform/db/schema.js';
import { isUniqueViolation, parseJson } from './decisions.repository.js';
import type { PolicyStore, PolicyVersion } from './policies.service.js';
import type { Action, PackDefinition, Reason } from './policy.js';

/** Policy packs, their versions and shadow results in the store (PGlite or PostgreSQL). */
export function createPoliciesRepository(db: Kysely<Database>): PolicyStore {
  return {
    async listVersions(packId) {
      let q = db.selectFrom('policy_versions').selectAll().orderBy('pack_id').orderBy('version');
      if (packId) q = q.where('pack_id', '=', packId);
      return (await q.execute()).map(toVersion);
    },

    async getVersion(packId, version) {
      const row = await db
        .selectFrom('policy_versions')
        .selectAll()
        .where('pack_id', '=', packId)
        .where('version', '=', version)
        .executeTakeFirst();
      return row && toVersion(row);
    },

    async addVersion(input) {
      const { definition: d } = input;
      // Two writers racing for the same number: the loser's insert fails on the key and retries.
      for (let attempt = 0; ; attempt++) {
        try {
          return await db.transaction().execute(async (tx) => {
            await tx
              .insertInto('policy_packs')
              .values({ id: d.id, jurisdiction: d.jurisdiction, name: d.name, created_at: input.at })
              .onConflict((oc) => oc.column('id').doNothing())
              .execute();
            const { max } = await tx
              .selectFrom('policy_versions')
              .select(sql<number | null>`max(version)`.as('max'))
              .where('pack_id', '=', d.id)
              .executeTakeFirstOrThrow();
            const row = await tx
              .insertInto('policy_versions')
              .values({
                pack_id: d.id,
                version: Number(max ?? 0) + 1,
                status: input.status,
                definition: JSON.stringify(d),
                hash: input.hash,
                shadow: false,
                note: input.note,
                created_at: input.at,
                created_by: input.by,
                published_at: input.status === 'published' ? input.at : null,
                published_by: input.status === 'published' ? input.by : null,
              })
              .returningAll()
              .executeTakeFirstOrThrow();
            return toVersion(row);
          });
        } catch (err) {
          if (!isUniqueViolation(err) || attempt >= 3) throw err;
        }
      }
    },

    async publish(packId, version, at, by) {
      const row = await db
        .updateTable('policy_versions')
        .set({ status: 'published', shadow: false, published_at: at, published_by: by })
        .where('pack_id', '=', packId)
        .where('version', '=', version)
        .where('status', '=', 'draft')
        .returningAll()
        .executeTakeFirst();
      return row && toVersion(row);
    },

    async setShadow(packId, version, on) {
      const row = await db
        .updateTable('policy_versions')
        .set({ shadow: on })
        .where('pack_id', '=', packId)
        .where('version', '=', version)
        .where('status', '=', 'draft')
        .returningAll()
        .executeTakeFirst();
      return row && toVersion(row);
    },

    async shadowResults(packId, version, { after, limit }) {
      let q = db
        .selectFrom('shadow_results')
        .selectAll()
        .where('pack_id', '=', packId)
        .where('version', '=', version)
        .orderBy('id')
        .limit(limit);
      if (after) q = q.where('id', '>', after);
      const rows = await q.execute();
      const summary = await db
        .selectFrom('shadow_results')
        .select(['would_action', 'actual_action', sql<string>`count(*)`.as('count')])
        .where('pack_id', '=', packId)
        .where('version', '=', version)
        .groupBy(['would_action', 'actual_action'])
        .orderBy('would_action')
        .orderBy('actual_action')
        .execute();
      return {
        results: rows.map((r) => ({
          id: r.id,
          decisionId: r.decision_id,
          wouldAction: r.would_action as Action,
          actualAction: r.actual_action as Action,
          reasons: parseJson<Reason[]>(r.reasons),
          createdAt: new Date(r.created_at),
        })),
        summary: summary.map((s) => ({
          wouldAction: s.would_action as Action,
          actualAction: s.actual_action as Action,
          count: Number(s.count),
        })),
      };
    },

    async recentContexts(jurisdiction, limit) {
      let q = db
        .selectFrom('decisions')
        .select(['id', 'action', sql<unknown>`inputs -> 'context'`.as('context')])
        .orderBy('id', 'desc')
        .limit(limit);
      if (jurisdiction !== '*')
        q = q.where(sql<string>`inputs -> 'context' -> 'customer' ->> 'jurisdiction'`, '=', jurisdiction);
      const rows = await q.execute();
      return rows
        .filter((r) => r.context !== null && r.context !== undefined)
        .map((r) => ({ decisionId: r.id, action: r.action as Action, context: parseJson(r.context) }));
    },
  };
}

function toVersion(row: Selectable<PolicyVersionTable>): PolicyVersion {
  return {
    packId: row.pack_id,
    version: row.version,
    status: row.status as PolicyVersion['status'],
    definition: parseJson<PackDefinition>(row.definition),
    hash: row.hash,
    shadow: row.shadow,
    note: row.note,
    createdAt: new Date(row.created_at),
    createdBy: row.created_by,
    publishedAt: row.published_at ? new Date(row.published_at) : null,
    publishedBy: row.published_by,
  };
}
