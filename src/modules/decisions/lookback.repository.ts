import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, LookbackJobTable } from '../../platform/db/schema.js';
import type { Alert } from './alert.js';
import { alertRow, parseJson } from './decisions.repository.js';
import type { LookbackJob, LookbackProgress, LookbackStore } from './lookback.service.js';

const ALERT_BATCH = 500;

/** Look-back jobs, the list events that start them and the past transfers they search, in the store. */
export function createLookbackRepository(db: Kysely<Database>): LookbackStore {
  return {
    async changesWithoutJob(limit) {
      const rows = await db
        .selectFrom('list_events as e')
        .select(['e.id', 'e.source', 'e.from_version', 'e.to_version', 'e.created_at'])
        .where('e.type', '=', 'list.changed')
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('lookback_jobs as j').select('j.id').whereRef('j.trigger_id', '=', 'e.id'))),
        )
        .orderBy('e.created_at')
        .orderBy('e.id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        source: r.source,
        fromVersion: r.from_version,
        toVersion: r.to_version,
        createdAt: new Date(r.created_at),
      }));
    },

    async createJob(job) {
      await db
        .insertInto('lookback_jobs')
        .values({
          id: job.id,
          trigger_id: job.triggerId,
          source: job.source,
          from_version: job.fromVersion,
          to_version: job.toVersion,
          since: job.since,
          status: job.status,
          phase: job.phase,
          cursor: job.cursor,
          progress: JSON.stringify(job.progress),
          error: job.error,
          created_at: job.createdAt,
          updated_at: job.updatedAt,
          finished_at: job.finishedAt,
        })
        .onConflict((oc) => oc.column('trigger_id').doNothing())
        .execute();
      const row = await db
        .selectFrom('lookback_jobs')
        .selectAll()
        .where('trigger_id', '=', job.triggerId)
        .executeTakeFirstOrThrow();
      return toJob(row);
    },

    async unfinishedJobs(limit) {
      const rows = await db
        .selectFrom('lookback_jobs')
        .selectAll()
        .where('status', 'in', ['pending', 'running', 'failed'])
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toJob);
    },

    async saveJob(job) {
      await db
        .updateTable('lookback_jobs')
        .set({
          status: job.status,
          phase: job.phase,
          cursor: job.cursor,
          progress: JSON.stringify(job.progress),
          error: job.error,
          updated_at: job.updatedAt,
          finished_at: job.finishedAt,
        })
        .where('id', '=', job.id)
        .execute();
    },

    async listJobs(limit) {
      const rows = await db
        .selectFrom('lookback_jobs')
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toJob);
    },

    async getJob(id) {
      const row = await db.selectFrom('lookback_jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toJob(row);
    },

    async touchedAddresses(keys, since) {
      if (keys.length === 0) return [];
      // An index probe per key (exists … limit 1), however many past transfers a key has.
      const { rows } = await sql<{ key: string }>`
        select k.key from unnest(${sql.val([...keys])}::text[]) as k(key)
        where exists (select 1 from transfer_addresses a where a.address_key = k.key
          ${since ? sql`and a.received_at >= ${since}` : sql``})
        order by k.key`.execute(db);
      return rows.map((r) => r.key);
    },

    async transfersTouching(key, since, { after, limit }) {
      // Keyset pages in (received_at, transfer_id) order: the (address_key, received_at) index
      // yields them in order, so each page reads `limit` rows, not every row of the address. The
      // position carries received_at as the store prints it, so it compares back exactly.
      const cut = after?.indexOf('|') ?? -1;
      if (after !== null && cut < 0)
        throw new Error(`look-back: bad transfer position ${JSON.stringify(after)}`);
      let q = db
        .selectFrom('transfer_addresses as a')
        .innerJoin('transfers as t', 't.id', 'a.transfer_id')
        .leftJoin('decisions as d', 'd.transfer_id', 'a.transfer_id')
        .select([
          'a.transfer_id',
          'a.customer_id',
          'a.kind',
          'a.address_key',
          'a.address',
          'a.received_at',
          sql<string>`a.received_at::text`.as('position'),
          'd.id as decision_id',
          't.action',
          sql<unknown>`array(select b.address_key from transfer_addresses b where b.transfer_id = a.transfer_id order by 1)`.as(
            'keys',
          ),
        ])
        .where('a.address_key', '=', key)
        .orderBy('a.received_at')
        .orderBy('a.transfer_id')
        .limit(limit + 1);
      if (since) q = q.where('a.received_at', '>=', since);
      if (after !== null)
        q = q.where(
          sql<boolean>`(a.received_at, a.transfer_id) > (${after.slice(0, cut)}::timestamptz, ${after.slice(cut + 1)})`,
        );
      const rows = await q.execute();
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        transfers: page.map((r) => ({
          transferId: r.transfer_id,
          customerId: r.customer_id,
          kind: r.kind,
          addressKey: r.address_key,
          address: r.address,
          addressKeys: textArray(r.keys),
          receivedAt: new Date(r.received_at),
          decisionId: r.decision_id,
          action: r.action,
        })),
        next: rows.length > limit && last ? `${last.position}|${last.transfer_id}` : null,
      };
    },

    async insertAlerts(alerts) {
      // Set-based, 500 rows a statement: a large change opens thousands of alerts in a few round trips.
      const opened: Alert[] = [];
      for (let i = 0; i < alerts.length; i += ALERT_BATCH) {
        const batch = alerts.slice(i, i + ALERT_BATCH);
        const fresh = new Set<string>();
        const rows = await db
          .insertInto('alerts')
          .values(batch.map(alertRow))
          .onConflict((oc) => oc.column('dedup_key').doNothing())
          .returning('dedup_key')
          .execute();
        for (const r of rows) fresh.add(r.dedup_key);
        for (const a of batch) if (fresh.delete(a.dedupKey)) opened.push(a); // a key twice in one batch opens once
      }
      return opened;
    },
  };
}

function toJob(row: Selectable<LookbackJobTable>): LookbackJob {
  return {
    id: row.id,
    triggerId: row.trigger_id,
    source: row.source,
    fromVersion: row.from_version,
    toVersion: row.to_version,
    since: row.since ? new Date(row.since) : null,
    status: row.status as LookbackJob['status'],
    phase: row.phase as LookbackJob['phase'],
    cursor: row.cursor,
    progress: parseJson<LookbackProgress>(row.progress),
    error: row.error,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    finishedAt: row.finished_at ? new Date(row.finished_at) : null,
  };
}

/** A text[] column: both drivers (pg, PGlite) return it parsed. */
function textArray(value: unknown): string[] {
  if (!Array.isArray(value))
    throw new Error(`look-back: expected an array of address keys, got ${typeof value}`);
  return value.map(String);
}
