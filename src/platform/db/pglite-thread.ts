/**
 * The main thread's side of the embedded store's database thread (pglite-worker.ts): the same
 * `query` and `close` that PGlite offers, answered by PGlite running on its own thread.
 */
import { Worker } from 'node:worker_threads';
import type { DbRequest, DbResponse, DbStats } from './pglite-worker.js';

/** The part of PGlite the store uses; a PGlite instance fits, and so does the thread below. */
export interface PgliteLike {
  query<R>(
    sql: string,
    params?: unknown[],
    options?: { blob?: Blob },
  ): Promise<{ rows: R[]; affectedRows?: number }>;
  close(): Promise<void>;
  /**
   * True when `query` hands the statement over before it returns and statements run one after
   * another in the order handed over, each on its own (the database thread): the next may then be
   * sent before the answer to the one before has come back.
   */
  readonly inOrder?: boolean;
}

type Pending = { resolve: (r: DbResponse) => void };

/**
 * How many parameterised statement texts are sent by key: the first time a text goes with its key,
 * later only the key (the decision write is ≈ 3 KB of SQL, sent and copied each batch otherwise).
 * Texts beyond this many (Kysely's inserts of n rows differ by n) are sent whole each time.
 */
const MAX_KEYS = 500;

/** Rebuilds a Postgres error from its fields, so callers still read `code` (SQLSTATE) and the rest. */
function toError(fields: Record<string, unknown> & { message: string }): Error {
  return Object.assign(new Error(fields.message), fields);
}

function startWorker(dataDir: string): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts'))
    return new Worker(new URL('./pglite-worker.js', here), { workerData: { dataDir } });
  // Running from the sources (tests, a developer's checkout): the thread loads them through tsx too.
  const target = new URL('./pglite-worker.ts', here).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`;
  return new Worker(boot, { eval: true, workerData: { dataDir } });
}

/**
 * Starts PGlite on its own thread over `dataDir`; resolves once it is open (or rejects with why it
 * could not open). A thread that dies fails every query in flight and every later one.
 */
export async function openPgliteThread(dataDir: string): Promise<PgliteLike & { stats(): Promise<DbStats> }> {
  const worker = startWorker(dataDir);
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let dead: Error | undefined;
  /** Statement texts the thread keeps, by key (see MAX_KEYS). */
  const keys = new Map<string, number>();
  const ready = new Promise<void>((resolve, reject) => {
    pending.set(0, {
      resolve: (r) => (r.ok ? resolve() : reject(toError(r.error))),
    });
  });
  const fail = (err: Error) => {
    dead ??= err;
    for (const p of pending.values()) p.resolve({ id: -1, ok: false, error: { message: dead.message } });
    pending.clear();
  };
  worker.on('message', (r: DbResponse) => {
    const p = pending.get(r.id);
    if (!p) return;
    pending.delete(r.id);
    if (pending.size === 0) worker.unref();
    p.resolve(r);
  });
  worker.on('error', (err) => fail(new Error(`the database thread failed: ${err.message}`)));
  worker.on('exit', (code) => fail(new Error(`the database thread exited (${code})`)));
  // The thread keeps the process alive only while a query is in flight (like a socket would).
  worker.unref();

  function call(
    req:
      | { op: 'query'; sql?: string; key?: number; params: unknown[]; blob?: Blob }
      | { op: 'close' }
      | { op: 'stats' },
  ): Promise<DbResponse> {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise((resolve) => {
      if (pending.size === 0) worker.ref();
      pending.set(id, { resolve });
      worker.postMessage({ ...req, id } satisfies DbRequest);
    });
  }

  worker.ref();
  try {
    await ready;
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  return {
    inOrder: true,
    async query<R>(sql: string, params: unknown[] = [], options?: { blob?: Blob }) {
      let text: { sql?: string; key?: number } = { sql };
      if (params.length > 0 && !options?.blob) {
        const key = keys.get(sql);
        if (key !== undefined) text = { key };
        else if (keys.size < MAX_KEYS) {
          keys.set(sql, keys.size + 1);
          text = { sql, key: keys.size };
        }
      }
      const r = await call({
        op: 'query',
        ...text,
        params,
        ...(options?.blob ? { blob: options.blob } : {}),
      });
      if (!r.ok) throw toError(r.error);
      return {
        rows: r.rows as R[],
        ...(r.affectedRows !== undefined ? { affectedRows: r.affectedRows } : {}),
      };
    },
    /** The thread's CPU so far and its collections since the first call (for benchmarks). */
    async stats() {
      const r = await call({ op: 'stats' });
      if (!r.ok) throw toError(r.error);
      return r.rows[0] as DbStats;
    },
    async close() {
      if (dead) return;
      await call({ op: 'close' });
      dead = new Error('the store is closed');
      await worker.terminate();
    },
  };
}
