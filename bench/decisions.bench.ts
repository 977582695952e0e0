// Decisions under load: `cordon serve` on the embedded store (or PostgreSQL with
// DECISIONS_BENCH_DB=postgres://…), the OFAC SDN, OFAC crypto, UN and FinCEN 311 lists loaded, a
// generated graph of DECISIONS_BENCH_TRANSFERS transfers (default 1,000,000), 1,000 customers; then
// deposits offered at increasing rates from this process (a paced open-loop generator, and/or
// autocannon: DECISIONS_BENCH_LOAD=paced,autocannon). Reports, per offered rate, the rate achieved,
// latency p50 / p99 (the curve), errors, and the CPU used by the server and by this process; then,
// once the server has stopped, what the decisions take in the store (bytes per decision of tables
// and indexes, of WAL, and of the decision row). DECISIONS_BENCH_DB must name an empty database
// (PostgreSQL) or a new folder: the figures count every decision in it.
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '@noble/hashes/sha2.js';
import { base58check } from '@scure/base';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { openSegmentStore } from '../src/modules/graph/graph-segments.repository.js';
import { type SegmentData, transferFingerprint } from '../src/modules/graph/segment.js';
import { procCpuSeconds } from '../src/platform/cpu.js';
import { openStore } from '../src/platform/db/store.js';
import { runCordon, startServe } from '../test/helpers/cli.js';
import { generateChainLike } from './graph-data.js';

const DATA = fileURLToPath(new URL('../../shared/data/', import.meta.url));
const TRANSFERS = Number(process.env.DECISIONS_BENCH_TRANSFERS ?? 1_000_000);
const ADDRESSES = Math.max(1000, Math.floor(TRANSFERS / 10));
const RATES = (process.env.DECISIONS_BENCH_RATES ?? '100,200,400,800,1600').split(',').map(Number);
const SECONDS = Number(process.env.DECISIONS_BENCH_SECONDS ?? 10);
/**
 * The load generators, in order, at each rate: `paced` (default) sends at evenly spaced instants and
 * times each answer from the instant it was due; `autocannon` is what earlier figures used. Its
 * `overallRate` lets each connection send its quota for the second back to back at the start of
 * every second (so the server sees bursts of `connections` concurrent requests, not a steady rate),
 * and its coordinated-omission correction assumes a 1 ms interval, adding synthetic samples to
 * every slow answer.
 */
const LOADS = (process.env.DECISIONS_BENCH_LOAD ?? 'paced').split(',') as ('paced' | 'autocannon')[];
const b58c = base58check(sha256);

function tron(i: number): string {
  const payload = new Uint8Array(21);
  payload[0] = 0x41;
  payload[1] = 0x77;
  new DataView(payload.buffer).setUint32(17, i);
  return b58c.encode(payload);
}

/** CPU seconds (user + system) of a process, or of one of its threads, from /proc; NaN elsewhere. */
function cpuSeconds(pid: number, tid?: number): number {
  return procCpuSeconds(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`);
}

/** CPU seconds of each thread of a process, by thread id (empty where /proc is missing). */
function threadCpuSeconds(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) out.set(Number(tid), cpuSeconds(pid, Number(tid)));
  } catch {}
  return out;
}

/**
 * The busiest thread other than the main one between two snapshots, in CPU seconds: on the
 * embedded store, the database thread (worker threads all show as `node`, so it is found by use).
 */
function busiestOtherThread(pid: number, before: Map<number, number>, after: Map<number, number>): number {
  let top = 0;
  for (const [tid, cpu] of after) if (tid !== pid) top = Math.max(top, cpu - (before.get(tid) ?? 0));
  return top;
}

/** The store the server used (the server must have stopped, for the embedded one). */
function storeAt(db: string) {
  return openStore(db.startsWith('postgres') ? { kind: 'postgres', url: db } : { kind: 'pglite', dir: db });
}

/** Bytes of WAL written so far by the store (on PostgreSQL, by the whole server, other databases included). */
async function walBytes(db: string): Promise<number> {
  const store = await storeAt(db);
  try {
    const { rows } = await sql<{
      b: string;
    }>`select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text as b`.execute(store.db);
    return Number(rows[0]?.b ?? Number.NaN);
  } finally {
    await store.close();
  }
}

/**
 * What the decisions cost on disk: tables and indexes of everything a decision writes, per decision,
 * the decision row's JSON as sent (text) and as stored (jsonb, compressed), and the WAL written
 * during the loads per decision (customers' creation included, ≈ 1,000 rows).
 */
async function reportStoreSize(db: string, walBefore: number): Promise<void> {
  const store = await storeAt(db);
  try {
    const { rows } = await sql<Record<string, string>>`
      select (select count(*) from decisions)::text as decisions,
        (select coalesce(sum(pg_total_relation_size(c.oid)), 0) from pg_class c
          where c.relname in ('transfers', 'transfer_addresses', 'decisions', 'shadow_results', 'alerts')
            and c.relkind = 'r')::text as tables,
        pg_total_relation_size('decisions')::text as decisions_bytes,
        pg_total_relation_size('transfers')::text as transfers_bytes,
        pg_total_relation_size('transfer_addresses')::text as addresses_bytes,
        (select coalesce(avg(octet_length(d::text)), 0) from decisions d)::text as row_text,
        (select coalesce(avg(pg_column_size(d)), 0) from decisions d)::text as row_stored,
        (select coalesce(avg(pg_column_size(inputs)), 0) from decisions)::text as inputs_stored,
        pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text as wal`.execute(store.db);
    const r = rows[0] ?? {};
    const n = Number(r.decisions);
    const per = (k: string) => (Number(r[k]) / n).toFixed(0);
    console.log(
      `store: ${n.toLocaleString('en')} decisions; per decision: tables and indexes ${per('tables')} B (decisions ${per('decisions_bytes')}, transfers ${per('transfers_bytes')}, transfer_addresses ${per('addresses_bytes')}), WAL ${((Number(r.wal) - walBefore) / n).toFixed(0)} B; decision row as text ${Number(r.row_text).toFixed(0)} B, stored ${Number(r.row_stored).toFixed(0)} B (inputs ${Number(r.inputs_stored).toFixed(0)} B)`,
    );
  } finally {
    await store.close();
  }
}

/** A histogram of the server's /metrics: cumulative counts by upper bound, the count and the sum. */
type Scraped = { buckets: Map<number, number>; count: number; sum: number };

/** Reads one histogram (without labels) from a Prometheus text exposition. */
function histogramOf(text: string, name: string): Scraped {
  const buckets = new Map<number, number>();
  let count = 0;
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}_bucket{le="`)) {
      const le = line.slice(name.length + 12, line.indexOf('"', name.length + 12));
      buckets.set(le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le), Number(line.split(' ').at(-1)));
    } else if (line.startsWith(`${name}_count `)) count = Number(line.split(' ').at(-1));
    else if (line.startsWith(`${name}_sum `)) sum = Number(line.split(' ').at(-1));
  }
  return { buckets, count, sum };
}

/** The observations between two scrapes: count, mean, the bucket bound under which q of them fall. */
function histogramDelta(a: Scraped, b: Scraped) {
  const count = b.count - a.count;
  const upTo = (q: number) => {
    for (const [le, c] of b.buckets) if (c - (a.buckets.get(le) ?? 0) >= q * count) return le;
    return Number.NaN;
  };
  const over = (bound: number) => count - ((b.buckets.get(bound) ?? 0) - (a.buckets.get(bound) ?? 0));
  return { count, mean: count > 0 ? (b.sum - a.sum) / count : 0, upTo, over };
}

/** The decisions' group-commit batches, from the server's /metrics (both stores batch the same way). */
async function scrapeBatches(url: string): Promise<{ size: Scraped; write: Scraped }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return {
    size: histogramOf(text, 'cordon_decision_batch_size'),
    write: histogramOf(text, 'cordon_decision_batch_write_seconds'),
  };
}

/**
 * Open-loop load: request i is due at start + i/rate and is sent then (on a free keep-alive
 * connection, or queued for one), whatever the earlier answers did; its latency runs from when it
 * was due, so a slow server (or a late generator) shows in the figures instead of lowering the load.
 */
export function pacedLoad(
  url: string,
  headers: Record<string, string>,
  rate: number,
  seconds: number,
  connections: number,
  body: () => string,
): Promise<{ achieved: number; p50: number; p99: number; non2xx: number; errors: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let settled = 0;
  let sent = 0;
  const start = performance.now();
  let last = start;
  return new Promise((resolve) => {
    const finish = () => {
      settled++;
      if (settled < total) return;
      agent.destroy();
      latencies.sort((a, b) => a - b);
      const at = (q: number) =>
        latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
      resolve({
        achieved: latencies.length / ((last - start) / 1000),
        p50: at(0.5),
        p99: at(0.99),
        non2xx,
        errors,
      });
    };
    const fire = (due: number) => {
      const data = body();
      const req = http.request(
        url,
        { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(data)) } },
        (res) => {
          res.resume();
          res.on('end', () => {
            last = performance.now();
            if (res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300)
              latencies.push(last - due);
            else non2xx++;
            finish();
          });
        },
      );
      req.on('error', () => {
        errors++;
        finish();
      });
      req.end(data);
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (sent < due) {
        fire(start + (sent * 1000) / rate);
        sent++;
      }
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'cordon-decisions-bench-'));
  const db = process.env.DECISIONS_BENCH_DB ?? join(dir, 'store');
  const graphDir = join(dir, 'graph');
  const env = { CORDON_DB: db, CORDON_GRAPH_DIR: graphDir, CORDON_LIST_REFRESH_MINUTES: '0' };
  try {
    let t0 = performance.now();
    const imports: string[][] = [
      [
        '--format',
        'ofac-csv',
        '--skip-invalid-addresses',
        ...[
          'sdn_2024-05-03.csv',
          'add_2025-12-24.csv',
          'alt_2025-12-24.csv',
          'sdn_comments_2025-12-24.csv',
        ].map((f) => join(DATA, 'ofac_sdn', f)),
      ],
      [
        '--format',
        'ofac-crypto',
        join(DATA, 'ofac_crypto', 'ofac_sdn_crypto_addresses_2026-09-18_nonBTC.csv'),
      ],
      ['--format', 'un-xml', join(DATA, 'un', 'UN_consolidated_2026-02-27.xml')],
    ];
    for (const args of imports) {
      const r = await runCordon(['lists', 'import', ...args], env);
      if (r.code !== 0) throw new Error(`lists import failed: ${r.stderr}`);
    }
    const key = await runCordon(['--json', 'keys', 'create', '--role', 'service', '--name', 'bench'], env);
    const token = (JSON.parse(key.stdout) as { token: string }).token;
    // The graph: one segment written straight into the graph folder (as `graph import` would).
    const g = generateChainLike(ADDRESSES, TRANSFERS);
    const keys = Array.from({ length: ADDRESSES }, (_, i) => `tron:${tron(i)}`);
    const segments = await openSegmentStore(graphDir);
    const meta: [string, null, string][] = new Array(TRANSFERS);
    const fingerprint = new Float64Array(TRANSFERS);
    for (let i = 0; i < TRANSFERS; i++) {
      meta[i] = [`g${i}`, null, String(g.amount[i])];
      fingerprint[i] = transferFingerprint('tron', `g${i}`);
    }
    const seg: SegmentData = {
      keys,
      assets: [{ chain: 'tron', symbol: 'USDT', decimals: 6 }],
      src: g.src,
      dst: g.dst,
      ts: g.ts,
      asset: new Uint16Array(TRANSFERS),
      amount: g.amount,
      fingerprint,
      meta,
    };
    await segments.write(seg);
    segments.close();
    console.log(
      `setup: lists and a ${TRANSFERS.toLocaleString('en')}-transfer graph in ${((performance.now() - t0) / 1000).toFixed(1)} s; store ${db.startsWith('postgres') ? 'PostgreSQL' : 'embedded (PGlite)'}`,
    );

    const walBefore = await walBytes(db);
    t0 = performance.now();
    // DECISIONS_BENCH_NODE_ARGS passes flags to the server's node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`.
    const nodeArgs = (process.env.DECISIONS_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const serve = await startServe([], env, nodeArgs);
    console.log(`serve started in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    try {
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      for (let c = 0; c < 1000; c++) {
        const r = await fetch(`${serve.url}/v1/customers`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            id: `c${c}`,
            type: 'person',
            names: { primary: `Customer Number ${c}` },
            legalEntity: c % 3 === 0 ? 'cordon-eu' : 'cordon-us',
            kycLevel: 2,
          }),
        });
        if (r.status >= 300) throw new Error(`customer ${c}: ${r.status} ${await r.text()}`);
      }
      let n = 0;
      const body = () => {
        n++;
        return JSON.stringify({
          id: `d${n}-${process.pid}`,
          customerId: `c${n % 1000}`,
          chain: 'tron',
          asset: 'USDT',
          amount: String(10 + (n % 5000)),
          from: [tron((n * 7919) % ADDRESSES)],
          to: tron(ADDRESSES + 1),
          tx: n.toString(16).padStart(64, '0'),
          priceUsd: '1',
        });
      };
      // CPU while each rate runs, in cores: the server (all threads, its main thread alone, and its
      // busiest other thread: the database thread on the embedded store) and
      // this process (the load generator shares the machine with the server, so its share is reported).
      console.log(
        'load       | offered/s | achieved/s | p50 ms | p99 ms | non-2xx | errors | server CPU | server main | next thread | bench CPU',
      );
      const pid = serve.child.pid ?? 0;
      const url = `${serve.url}/v1/transfers`;
      for (const rate of RATES) {
        for (const load of LOADS) {
          const t1 = performance.now();
          const cpu1 = process.cpuUsage();
          const server1 = cpuSeconds(pid);
          const main1 = cpuSeconds(pid, pid);
          const threads1 = threadCpuSeconds(pid);
          const batches1 = await scrapeBatches(serve.url);
          const connections = Math.min(256, Math.max(16, Math.ceil(rate / 8)));
          let r: { achieved: number; p50: number; p99: number; non2xx: number; errors: number };
          if (load === 'paced') r = await pacedLoad(url, headers, rate, SECONDS, connections, body);
          else {
            const result = await autocannon({
              url,
              method: 'POST',
              headers,
              connections,
              overallRate: rate,
              duration: SECONDS,
              requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: body() }) }],
            });
            r = {
              achieved: result.requests.average,
              p50: result.latency.p50,
              p99: result.latency.p99,
              non2xx: result.non2xx,
              errors: result.errors + result.timeouts,
            };
          }
          const wall = (performance.now() - t1) / 1000;
          const cpu = process.cpuUsage(cpu1);
          const cores = (x: number) => (x / wall).toFixed(2).padStart(10);
          console.log(
            `${load.padEnd(10)} | ${String(rate).padStart(9)} | ${r.achieved.toFixed(0).padStart(10)} | ${r.p50.toFixed(1).padStart(6)} | ${r.p99.toFixed(1).padStart(6)} | ${String(r.non2xx).padStart(7)} | ${String(r.errors).padStart(6)} | ${cores(cpuSeconds(pid) - server1)} | ${cores(cpuSeconds(pid, pid) - main1).padStart(11)} | ${cores(busiestOtherThread(pid, threads1, threadCpuSeconds(pid))).padStart(11)} | ${cores((cpu.user + cpu.system) / 1e6)}`,
          );
          // The group-commit batches written while the rate ran: how many, their size (decisions) and
          // write time (ms), mean and the bucket bound under which 50% / 99% of batches fall.
          const batches2 = await scrapeBatches(serve.url);
          const size = histogramDelta(batches1.size, batches2.size);
          const write = histogramDelta(batches1.write, batches2.write);
          console.log(
            `           batches: ${size.count}, size mean ${size.mean.toFixed(1)}, p50 ≤ ${size.upTo(0.5)}, p99 ≤ ${size.upTo(0.99)}, > 64: ${size.over(64)}; write ms mean ${(write.mean * 1000).toFixed(1)}, p50 ≤ ${write.upTo(0.5) * 1000}, p99 ≤ ${write.upTo(0.99) * 1000}, > 20 ms: ${write.over(0.02)}, > 50 ms: ${write.over(0.05)}`,
          );
        }
      }
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited;
    }
    await reportStoreSize(db, walBefore);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
