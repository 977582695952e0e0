import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type { PgliteLike } from './pglite-thread.js';

/**
 * A Kysely dialect over an embedded PGlite instance (in this thread or its own). PGlite is one
 * Postgres backend with one session, so the driver hands out the connection to one holder at a
 * time: concurrent callers queue, and a transaction owns it from BEGIN to COMMIT/ROLLBACK. That is
 * what keeps concurrent writers from interleaving statements inside each other's transactions.
 *
 * When the instance runs statements in the order they were sent (`inOrder`: the database thread),
 * a statement outside a transaction holds the connection only until it has been sent: the next
 * caller may send its own while the first is still running, so the database thread has the next
 * statement at hand instead of waiting for this thread to read an answer and send it. The order
 * of statements is still the order of `acquireConnection`. Outside a transaction nothing is kept
 * for a caller between its statements (a session's state is PGlite's, shared by all callers).
 */
export function createPgliteDialect(
  pglite: PgliteLike,
): Dialect & { exclusive: <T>(fn: (pglite: PgliteLike) => Promise<T>) => Promise<T> } {
  const driver = new PgliteDriver(pglite);
  return {
    /** Runs `fn` with the PGlite instance while no Kysely query or transaction holds it. */
    exclusive: async (fn) => {
      const connection = await driver.acquireConnection();
      try {
        return await fn(pglite);
      } finally {
        await driver.releaseConnection(connection);
      }
    },
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => driver,
    createIntrospector: (db: Kysely<unknown>) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}

class PgliteDriver implements Driver {
  readonly #pglite: PgliteLike;
  #tail: Promise<void> = Promise.resolve();

  constructor(pglite: PgliteLike) {
    this.#pglite = pglite;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<PgliteConnection> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    return new PgliteConnection(this.#pglite, release);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const modes: string[] = [];
    if (settings.isolationLevel) modes.push(`isolation level ${settings.isolationLevel}`);
    if (settings.accessMode) modes.push(settings.accessMode);
    (connection as PgliteConnection).inTransaction = true;
    await connection.executeQuery(CompiledQuery.raw(`begin${modes.length ? ` ${modes.join(', ')}` : ''}`));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as PgliteConnection).release();
  }

  async destroy(): Promise<void> {
    await this.#tail;
  }
}

/** One holder's hold on the connection: from `acquireConnection` until released (once). */
class PgliteConnection implements DatabaseConnection {
  /** Set by `beginTransaction`: the hold lasts until the transaction has ended. */
  inTransaction = false;
  #release: (() => void) | undefined;

  constructor(
    private readonly pglite: PgliteLike,
    release: () => void,
  ) {
    this.#release = release;
  }

  /** Lets the next holder in (once; later calls do nothing). */
  release(): void {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const answer = this.pglite.query<R>(compiled.sql, [...compiled.parameters]);
    // Sent: outside a transaction, the next statement may go out behind this one (see above).
    if (this.pglite.inOrder && !this.inTransaction) this.release();
    const result = await answer;
    const affected = result.affectedRows;
    return {
      rows: result.rows,
      ...(affected !== undefined && compiled.query.kind !== 'SelectQueryNode'
        ? { numAffectedRows: BigInt(affected) }
        : {}),
    };
  }

  /** PGlite has no cursors over this interface: the whole result is yielded as one chunk. */
  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    yield await this.executeQuery<R>(compiled);
  }
}
