/**
 * The embedded store's database thread: one PGlite instance, answering queries posted by the main
 * thread (pglite-thread.ts). Postgres runs here, so its work (parsing, planning, writing) overlaps
 * with the main thread's HTTP and decision work instead of stalling it.
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { procCpuSeconds } from '../cpu.js';
import { createStatementCache } from './pglite-statements.js';

/** What the main thread asks. */
export type DbRequest =
  /**
   * A statement's text, or the short key it was sent under before (`key` alone), or both (the
   * first time: the thread keeps the text under the key).
   */
  | { id: number; op: 'query'; sql?: string; key?: number; params: unknown[]; blob?: Blob }
  | { id: number; op: 'close' }
  | { id: number; op: 'stats' };

/** What the thread answers: rows, or the error's message and Postgres fields (code, position…). */
export type DbResponse =
  | { id: number; ok: true; rows: unknown[]; affectedRows?: number }
  | { id: number; ok: false; error: Record<string, unknown> & { message: string } };

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** What the thread has used so far (for benchmarks): its CPU and the collections since the first ask. */
export type DbStats = { cpuSeconds: number; gcs: Record<string, number> };

/** Counts this thread's collections by kind once started (the first `stats` request starts it). */
function gcCounter(): () => Record<string, number> {
  const gcs: Record<string, number> = {};
  const kinds: Record<number, string> = {
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const detail = (e as unknown as { detail?: { kind?: number } }).detail;
      const kind = kinds[detail?.kind ?? 0] ?? 'other';
      gcs[kind] = (gcs[kind] ?? 0) + 1;
    }
  }).observe({ entryTypes: ['gc'] });
  return () => ({ ...gcs });
}

/** Postgres error fields that callers read (SQLSTATE above all); copied onto the rebuilt error. */
const FIELDS = ['code', 'detail', 'hint', 'position', 'schema', 'table', 'column', 'constraint', 'severity'];

function serializeError(err: unknown): Record<string, unknown> & { message: string } {
  const e = err as Record<string, unknown> & { message?: unknown };
  const out: Record<string, unknown> & { message: string } = {
    message: typeof e?.message === 'string' ? e.message : String(err),
  };
  for (const f of FIELDS) if (e?.[f] !== undefined) out[f] = e[f];
  return out;
}

async function main() {
  const port = parentPort;
  if (!port) throw new Error('pglite-worker runs as a worker thread');
  const { dataDir } = workerData as { dataDir: string };
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      dataDir,
      // PGlite's settings, and no full-page images in the WAL: they guard against pages torn by an
      // OS crash, which the store (fsync off, see docs/decisions.md) does not survive anyway.
      startParams: [...PGlite.defaultStartParams, '-c', 'full_page_writes=off'],
      parsers: { [INT8_OID]: (v: string) => v, [NUMERIC_OID]: (v: string) => v },
    });
  } catch (err) {
    port.postMessage({ id: 0, ok: false, error: serializeError(err) } satisfies DbResponse);
    return;
  }
  // Parameterised statements run prepared under a name: parsed and planned once, one call each.
  const query = createStatementCache(pglite);
  port.postMessage({ id: 0, ok: true, rows: [] } satisfies DbResponse);
  let gcs: (() => Record<string, number>) | undefined;
  /** Statement texts by the key the main thread sends instead of them (see pglite-thread.ts). */
  const texts = new Map<number, string>();
  /**
   * Requests run one after another in the order they arrived, whatever each awaits inside PGlite:
   * the main thread sends a statement without waiting for the answer to the one before
   * (pglite-dialect.ts), and counts on them running in that order.
   */
  let tail: Promise<void> = Promise.resolve();
  port.on('message', (req: DbRequest) => {
    if (req.op === 'stats') {
      gcs ??= gcCounter();
      const stats: DbStats = { cpuSeconds: procCpuSeconds('/proc/thread-self/stat'), gcs: gcs() };
      port.postMessage({ id: req.id, ok: true, rows: [stats] } satisfies DbResponse);
      return;
    }
    // `handle` answers its own failures; the chain goes on whatever happens.
    tail = tail.then(() => handle(req)).catch(() => {});
  });
  const handle = async (req: Exclude<DbRequest, { op: 'stats' }>) => {
    if (req.op === 'close') {
      await pglite.close().catch(() => {});
      port.postMessage({ id: req.id, ok: true, rows: [] } satisfies DbResponse);
      port.close();
      return;
    }
    let sql = req.sql;
    if (req.key !== undefined) {
      if (sql === undefined) sql = texts.get(req.key);
      else texts.set(req.key, sql);
    }
    try {
      if (sql === undefined) throw new Error(`no statement under key ${req.key}`);
      const r = await query(sql, req.params, req.blob ? { blob: req.blob } : undefined);
      port.postMessage({
        id: req.id,
        ok: true,
        rows: r.rows,
        ...(r.affectedRows !== undefined ? { affectedRows: r.affectedRows } : {}),
      } satisfies DbResponse);
    } catch (err) {
      port.postMessage({ id: req.id, ok: false, error: serializeError(err) } satisfies DbResponse);
    }
  };
}

void main();
