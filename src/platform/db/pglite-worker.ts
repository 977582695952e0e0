/**
 * The embedded store's database thread: one PGlite instance, answering queries posted by the main
 * thread (pglite-thread.ts). Postgres runs here, so its work (parsing, planning, writing) overlaps
 * with the main thread's HTTP and decision work instead of stalling it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { createStatementCache } from './pglite-statements.js';

/** What the main thread asks. */
export type DbRequest =
  | { id: number; op: 'query'; sql: string; params: unknown[]; blob?: Blob }
  | { id: number; op: 'close' };

/** What the thread answers: rows, or the error's message and Postgres fields (code, position…). */
export type DbResponse =
  | { id: number; ok: true; rows: unknown[]; affectedRows?: number }
  | { id: number; ok: false; error: Record<string, unknown> & { message: string } };

const INT8_OID = 20;
const NUMERIC_OID = 1700;

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
      parsers: { [INT8_OID]: (v: string) => v, [NUMERIC_OID]: (v: string) => v },
    });
  } catch (err) {
    port.postMessage({ id: 0, ok: false, error: serializeError(err) } satisfies DbResponse);
    return;
  }
  // Parameterised statements run prepared under a name: parsed and planned once, one call each.
  const query = createStatementCache(pglite);
  port.postMessage({ id: 0, ok: true, rows: [] } satisfies DbResponse);
  port.on('message', async (req: DbRequest) => {
    if (req.op === 'close') {
      await pglite.close().catch(() => {});
      port.postMessage({ id: req.id, ok: true, rows: [] } satisfies DbResponse);
      port.close();
      return;
    }
    try {
      const r = await query(req.sql, req.params, req.blob ? { blob: req.blob } : undefined);
      port.postMessage({
        id: req.id,
        ok: true,
        rows: r.rows,
        ...(r.affectedRows !== undefined ? { affectedRows: r.affectedRows } : {}),
      } satisfies DbResponse);
    } catch (err) {
      port.postMessage({ id: req.id, ok: false, error: serializeError(err) } satisfies DbResponse);
    }
  });
}

void main();
