// The embedded store's decision writes alone: PGlite on its database thread (as `cordon serve`
// opens it), the decisions repository's group commit fed batches of DB_WRITE_BENCH_SIZES records
// (default 1,2,4,16,64) as the decision service makes them (the test records of decidedRecords,
// given fresh ids). Reports, per batch size, the database thread's CPU per decision (read by the
// thread itself from /proc), the main thread's CPU per decision (the repository, Kysely, the
// hand-off to the thread and back), wall time per batch, and the collections on the database thread.
// DB_WRITE_BENCH_IN_FLIGHT=n hands the repository every record at once (a backlog) with up to n
// batches sent before the first is answered, instead of one batch at a time: wall time per batch then
// shows whether the database thread waits for this thread between batches.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, sql } from 'kysely';
import { createDecisionsRepository } from '../src/modules/decisions/decisions.repository.js';
import type { DecisionRecord } from '../src/modules/decisions/decisions.service.js';
import { decidedRecords } from '../src/modules/decisions/testing.js';
import { procCpuSeconds } from '../src/platform/cpu.js';
import { createPgliteDialect } from '../src/platform/db/pglite-dialect.js';
import { openPgliteThread } from '../src/platform/db/pglite-thread.js';
import type { Database } from '../src/platform/db/schema.js';
import { migrateToLatest } from '../src/platform/db/store.js';

const SIZES = (process.env.DB_WRITE_BENCH_SIZES ?? '1,2,4,16,64').split(',').map(Number);
/** Decisions written at each size (after a warm-up of a fifth as many). */
const DECISIONS = Number(process.env.DB_WRITE_BENCH_DECISIONS ?? 4000);
const CUSTOMERS = 1000;
/** 0: one batch at a time, each awaited; n > 0: a backlog, n batches in flight (see above). */
const IN_FLIGHT = Number(process.env.DB_WRITE_BENCH_IN_FLIGHT ?? 0);

/** CPU seconds (user + system) of this process's main thread, from /proc; NaN elsewhere. */
function mainCpuSeconds(): number {
  return procCpuSeconds(`/proc/${process.pid}/task/${process.pid}/stat`);
}

/** Copies of the templates under fresh ids, spread over the customers. */
function recordsFrom(templates: DecisionRecord[], count: number, tag: string): DecisionRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const t = templates[i % templates.length] as DecisionRecord;
    const id = `${tag}_${i}`;
    const customerId = `c${i % CUSTOMERS}`;
    return {
      transfer: { ...t.transfer, id: `trf_${id}`, clientId: `client-${id}`, customerId },
      decision: { ...t.decision, id: `dec_${id}` },
      shadow: t.shadow.map((s, j) => ({ ...s, id: `shd_${id}_${j}` })),
      alert: t.alert && {
        ...t.alert,
        id: `alr_${id}`,
        customerId,
        transferId: `trf_${id}`,
        decisionId: `dec_${id}`,
        dedupKey: `decision:dec_${id}`,
      },
      customerRisk: t.customerRisk && { ...t.customerRisk, customerId },
    };
  });
}

/** Bytes of WAL written so far. */
async function walBytes(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{
    b: string;
  }>`select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text as b`.execute(db);
  return Number(rows[0]?.b);
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'cordon-db-write-bench-'));
  const pglite = await openPgliteThread(join(dir, 'pgdata'));
  const db = new Kysely<Database>({ dialect: createPgliteDialect(pglite) });
  try {
    await migrateToLatest(db);
    await sql`insert into customers (id, type, primary_name, profile, legal_entity, jurisdiction, kyc_level,
        screening, risk_rating, risk, version, request_hash, created_at, updated_at)
      select 'c' || i, 'person', 'Customer ' || i, '{}', 'cordon-us', 'US', 2, '{}', 'low', '{}', 1, 'h', now(), now()
      from generate_series(0, ${CUSTOMERS - 1}) i`.execute(db);
    const templates = await decidedRecords();
    let jsonChars = 0;
    let decisions = 0;
    console.log(
      `${templates.length} record templates; ${DECISIONS} decisions per batch size; ${IN_FLIGHT > 0 ? `a backlog, ${IN_FLIGHT} batches in flight` : 'one batch at a time'}; database thread collections by kind`,
    );
    console.log(
      'batch | decisions | db thread CPU µs/decision | main CPU µs/decision | ms/batch | JSON B/decision | WAL B/decision | db GCs',
    );
    for (const size of SIZES) {
      const repo = createDecisionsRepository(db, {
        maxBatch: size,
        batchTargetMs: 0,
        inFlight: Math.max(1, IN_FLIGHT),
        onBatchWritten: (b) => {
          jsonChars += b.jsonChars;
          decisions += b.size;
        },
      });
      const write = async (records: DecisionRecord[]) => {
        if (IN_FLIGHT > 0) {
          await Promise.all(records.map((r) => repo.record(r)));
          return;
        }
        for (let i = 0; i < records.length; i += size)
          await Promise.all(records.slice(i, i + size).map((r) => repo.record(r)));
      };
      await write(recordsFrom(templates, Math.max(size, Math.floor(DECISIONS / 5)), `w${size}`));
      const records = recordsFrom(templates, DECISIONS, `b${size}`);
      jsonChars = 0;
      decisions = 0;
      const wal1 = await walBytes(db);
      const s1 = await pglite.stats();
      const main1 = mainCpuSeconds();
      const t1 = performance.now();
      await write(records);
      const wall = performance.now() - t1;
      const main2 = mainCpuSeconds();
      const s2 = await pglite.stats();
      const wal = (await walBytes(db)) - wal1;
      const gcs = Object.entries(s2.gcs)
        .map(([k, n]) => `${k} ${n - (s1.gcs[k] ?? 0)}`)
        .join(', ');
      const per = (seconds: number) => ((seconds * 1e6) / DECISIONS).toFixed(0).padStart(10);
      console.log(
        `${String(size).padStart(5)} | ${String(decisions).padStart(9)} | ${per(s2.cpuSeconds - s1.cpuSeconds).padStart(25)} | ${per(main2 - main1).padStart(20)} | ${(wall / (DECISIONS / size)).toFixed(2).padStart(8)} | ${(jsonChars / decisions).toFixed(0).padStart(15)} | ${(wal / DECISIONS).toFixed(0).padStart(14)} | ${gcs}`,
      );
    }
  } finally {
    await db.destroy();
    await pglite.close();
    await rm(dir, { recursive: true, force: true });
  }
}
