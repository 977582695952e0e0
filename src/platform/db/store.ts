import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, type Migration, type MigrationProvider, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { CordonError } from '../../shared/errors.js';
import type { StoreLocation } from '../config.js';
import { MIGRATIONS } from './migrations/index.js';
import { createPgliteDialect } from './pglite-dialect.js';
import { createStatementCache } from './pglite-statements.js';
import { openPgliteThread, type PgliteLike } from './pglite-thread.js';
import type { Database } from './schema.js';

/** An open store: the Kysely handle plus what the platform needs to check and close it. */
export interface Store {
  readonly db: Kysely<Database>;
  readonly kind: StoreLocation['kind'];
  /** Human-readable location without credentials, for logs and `/health`. */
  readonly description: string;
  /** Runs a trivial query; throws if the store cannot answer. */
  ping(): Promise<void>;
  /**
   * Appends rows to a table as fast as the store allows, in its own transaction: COPY on the
   * embedded store, a set-based INSERT … SELECT FROM unnest(…) on PostgreSQL. For bulk loads of
   * rows that are invisible until something else points at them (staged list versions).
   */
  bulkInsert(table: string, columns: BulkColumn[], rows: readonly (readonly BulkValue[])[]): Promise<void>;
  close(): Promise<void>;
}

/** A column of a bulk insert and its SQL type (`text`, `real`, `int8`, …). */
export interface BulkColumn {
  name: string;
  type: 'text' | 'real' | 'int4' | 'int8' | 'numeric' | 'timestamptz';
}
export type BulkValue = string | number | null;

const IDENT = /^[a-z_][a-z0-9_]*$/;

function checkIdentifiers(table: string, columns: BulkColumn[]): void {
  for (const name of [table, ...columns.map((c) => c.name)]) {
    if (!IDENT.test(name)) throw new Error(`bulkInsert: bad identifier ${name}`);
  }
}

/** COPY text format: backslash, tab, newline and carriage return escaped; null is \N. */
function copyValue(v: BulkValue): string {
  if (v === null) return '\\N';
  const s = String(v);
  return /[\\\t\n\r]/.test(s)
    ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
    : s;
}

// int8 and numeric arrive as strings from both drivers, so amounts never lose precision.
const INT8_OID = 20;
const NUMERIC_OID = 1700;
pg.types.setTypeParser(INT8_OID, (v) => v);
pg.types.setTypeParser(NUMERIC_OID, (v) => v);

/**
 * Opens the store at `location`, runs pending migrations and returns it ready for use.
 * The embedded store takes an exclusive lock on its folder: PGlite is single-process, so a second
 * process (say `cordon keys create` while `cordon serve` runs) gets a clear error instead of
 * corrupting the data.
 */
export async function openStore(
  location: StoreLocation,
  options: { migrate?: boolean } = {},
): Promise<Store> {
  const store = location.kind === 'pglite' ? await openPglite(location.dir) : openPostgres(location.url);
  try {
    await store.ping();
    if (options.migrate !== false) await migrateToLatest(store.db);
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
  return store;
}

/** Applies every pending migration in order, in one transaction; returns the names applied. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: staticProvider(MIGRATIONS) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new CordonError(
      'unavailable',
      'store.migration_failed',
      `migration ${failed?.migrationName ?? '(unknown)'} failed: ${(error as Error).message}`,
      { migration: failed?.migrationName },
      { cause: error },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

function staticProvider(list: ReadonlyArray<readonly [string, Migration]>): MigrationProvider {
  return { getMigrations: async () => Object.fromEntries(list) };
}

/** PGlite on this thread, its parameterised statements prepared once (as on the database thread). */
function inline(pg: PGlite): PgliteLike {
  const query = createStatementCache(pg);
  return {
    query: async <R>(sql: string, params: unknown[] = [], options?: { blob?: Blob }) =>
      (await query(sql, params, options)) as { rows: R[]; affectedRows?: number },
    close: () => pg.close(),
  };
}

async function openPglite(dir: string): Promise<Store> {
  mkdirSync(dir, { recursive: true });
  const releaseLock = lockFolder(dir);
  let pglite: PgliteLike;
  try {
    // Postgres runs on its own thread unless CORDON_PGLITE_INLINE=1 (kept for comparison and debugging).
    pglite =
      process.env.CORDON_PGLITE_INLINE === '1'
        ? inline(
            await PGlite.create({
              dataDir: join(dir, 'pgdata'),
              parsers: { [INT8_OID]: (v: string) => v, [NUMERIC_OID]: (v: string) => v },
            }),
          )
        : await openPgliteThread(join(dir, 'pgdata'));
  } catch (err) {
    releaseLock();
    throw new CordonError(
      'unavailable',
      'store.open_failed',
      `cannot open the embedded store in ${dir}: ${(err as Error).message}`,
      { dir },
      { cause: err },
    );
  }
  const dialect = createPgliteDialect(pglite);
  const db = new Kysely<Database>({ dialect });
  let closed = false;
  return {
    db,
    kind: 'pglite',
    description: `embedded:${dir}`,
    bulkInsert: async (table, columns, rows) => {
      checkIdentifiers(table, columns);
      if (rows.length === 0) return;
      let text = '';
      for (const row of rows) text += `${row.map(copyValue).join('\t')}\n`;
      await dialect.exclusive((pg) =>
        pg.query(`copy ${table} (${columns.map((c) => c.name).join(', ')}) from '/dev/blob'`, [], {
          blob: new Blob([text]),
        }),
      );
    },
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await db.destroy();
      await pglite.close();
      releaseLock();
    },
  };
}

function openPostgres(url: string): Store {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000 });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const safe = new URL(url);
  safe.password = '';
  let closed = false;
  return {
    db,
    kind: 'postgres',
    description: safe.toString(),
    bulkInsert: async (table, columns, rows) => {
      checkIdentifiers(table, columns);
      if (rows.length === 0) return;
      const params = columns.map((_, i) => rows.map((r) => r[i] ?? null));
      const list = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
      await pool.query(
        `insert into ${table} (${columns.map((c) => c.name).join(', ')}) select * from unnest(${list})`,
        params,
      );
    },
    ping: async () => {
      try {
        await sql`select 1`.execute(db);
      } catch (err) {
        throw new CordonError(
          'unavailable',
          'store.unreachable',
          `cannot reach PostgreSQL at ${safe.host}${safe.pathname}: ${(err as Error).message}`,
          { url: safe.toString() },
          { cause: err },
        );
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

/** Creates `<dir>/cordon.lock` holding our pid; a lock left by a dead process is taken over. */
function lockFolder(dir: string): () => void {
  const path = join(dir, 'cordon.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new CordonError(
          'unavailable',
          'store.locked',
          `the embedded store ${dir} is in use by process ${holder}; stop it first, or use PostgreSQL (--db postgres://…) to share a store`,
          { dir, pid: holder },
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new CordonError('unavailable', 'store.locked', `cannot lock the embedded store ${dir}`, { dir });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
