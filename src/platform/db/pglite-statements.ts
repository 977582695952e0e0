/**
 * Parameterised queries on PGlite as named prepared statements. `PGlite.query` parses, describes,
 * binds, describes again and executes a statement in five calls into Postgres, and parses and
 * plans it anew every time; for the statements a server repeats all day (the decision write, the
 * aggregates, the idempotency look-up) that overhead costs more than the work itself. Here a
 * statement is parsed and described once, under a name, and each later run is one call: bind,
 * describe the portal, execute, sync. Results and errors are the same as `PGlite.query`'s.
 */
import { type PGlite, parse, protocol } from '@electric-sql/pglite';

/** How many distinct statements stay prepared; the least recently used beyond it are closed. */
const MAX_STATEMENTS = 200;

type Prepared = { name: string; types: number[] };

/** The query function: the same answer as `pglite.query(sql, params, options)`. */
export type CachedQuery = (
  sql: string,
  params: readonly unknown[],
  options?: { blob?: Blob },
) => Promise<{ rows: unknown[]; affectedRows?: number }>;

function concat(parts: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const utf8 = new TextEncoder();
/** Describe the unnamed portal, execute it (all rows), sync: the same bytes after every bind. */
const TAIL = Uint8Array.from([
  ...[0x44, 0, 0, 0, 6, 0x50, 0], // D, length 6, 'P', portal ""
  ...[0x45, 0, 0, 0, 9, 0, 0, 0, 0, 0], // E, length 9, portal "", no row limit
  ...[0x53, 0, 0, 0, 4], // S, length 4
]);

/**
 * Encodes "run this prepared statement with these text values" (Bind, Describe portal, Execute,
 * Sync: what PGlite's serializer makes of it, byte for byte) into one buffer reused from call to
 * call: strings are written once, straight as UTF-8, without the serializer's intermediate buffers
 * and copies. PGlite reads the message synchronously when it is handed over, so the bytes
 * returned are good until the next call.
 */
export function createRunEncoder(): { run(name: string, values: readonly (string | null)[]): Uint8Array } {
  let buf = new Uint8Array(64 * 1024);
  let view = new DataView(buf.buffer);
  let at = 0;
  const room = (n: number) => {
    if (at + n <= buf.length) return;
    const bigger = new Uint8Array(Math.max(buf.length * 2, at + n));
    bigger.set(buf.subarray(0, at));
    buf = bigger;
    view = new DataView(buf.buffer);
  };
  /** Writes `s` as UTF-8 (3 bytes per UTF-16 unit at most); returns the bytes written. */
  const text = (s: string) => {
    room(s.length * 3);
    const { written } = utf8.encodeInto(s, buf.subarray(at));
    at += written;
    return written;
  };
  return {
    run(name, values) {
      at = 0;
      room(16);
      buf[at++] = 0x42; // B
      at += 4; // length, below
      buf[at++] = 0; // portal ""
      text(name);
      room(5 + values.length * 6);
      buf[at++] = 0;
      // A format code per parameter, each 0 (text), as PGlite sends them; then the parameters.
      view.setInt16(at, values.length);
      at += 2;
      buf.fill(0, at, at + values.length * 2);
      at += values.length * 2;
      view.setInt16(at, values.length);
      at += 2;
      for (const v of values) {
        if (v === null) {
          room(4);
          view.setInt32(at, -1);
          at += 4;
          continue;
        }
        room(4);
        const lengthAt = at;
        at += 4;
        const written = text(v); // may grow the buffer: the length goes in after
        view.setInt32(lengthAt, written);
      }
      room(2 + TAIL.length);
      view.setInt16(at, 0); // every result column as text
      at += 2;
      view.setInt32(1, at - 1);
      buf.set(TAIL, at);
      at += TAIL.length;
      return buf.subarray(0, at);
    },
  };
}

/** Whether Postgres refused a prepared statement because DDL changed what it returns. */
function isStalePlan(err: unknown): boolean {
  return (err as { code?: unknown })?.code === '0A000';
}

/**
 * Wraps `pglite` so that parameterised statements run as named prepared statements (see above).
 * Statements without parameters (DDL, BEGIN, COMMIT…) and those reading a file (`blob`) go through
 * `pglite.query` unchanged.
 */
export function createStatementCache(pglite: PGlite): CachedQuery {
  const prepared = new Map<string, Prepared>();
  let next = 1;
  const { serialize } = protocol;
  const encoder = createRunEncoder();

  /** Parses and describes `sql` under a new name; closes the oldest statement beyond the limit. */
  async function prepare(sql: string): Promise<Prepared> {
    const name = `cordon_s${next++}`;
    const parts = [serialize.parse({ name, text: sql }), serialize.describe({ type: 'S', name })];
    if (prepared.size >= MAX_STATEMENTS) {
      const [oldest, old] = prepared.entries().next().value as [string, Prepared];
      prepared.delete(oldest);
      parts.unshift(serialize.close({ type: 'S', name: old.name }));
    }
    parts.push(serialize.sync());
    const { messages } = await pglite.execProtocol(concat(parts), { syncToFs: false });
    const statement = { name, types: parse.parseDescribeStatementResults(messages) };
    prepared.set(sql, statement);
    return statement;
  }

  async function run(sql: string, params: readonly unknown[]) {
    let statement = prepared.get(sql);
    if (statement) {
      // Most recently used last: the first entry is the one to close when the map is full.
      prepared.delete(sql);
      prepared.set(sql, statement);
    } else statement = await prepare(sql);
    const { name, types } = statement;
    // Values serialised exactly as PGlite.query does: by the parameter's type, else toString().
    const values = params.map((v, i) => {
      if (v === null || v === undefined) return null;
      const serializer = pglite.serializers[types[i] ?? 0];
      return serializer ? serializer(v) : String(v);
    });
    const { messages } = await pglite.execProtocol(encoder.run(name, values));
    const [result] = parse.parseResults(messages, pglite.parsers);
    return {
      rows: result?.rows ?? [],
      ...(result?.affectedRows !== undefined ? { affectedRows: result.affectedRows } : {}),
    };
  }

  return (sql, params, options) => {
    if (options?.blob) return pglite.query(sql, [...params], options);
    if (params.length === 0) return pglite.query(sql);
    return pglite.runExclusive(async () => {
      try {
        return await run(sql, params);
      } catch (err) {
        if (!isStalePlan(err) || !prepared.has(sql)) throw err;
        // The schema changed under a prepared statement: prepare it again, once.
        prepared.delete(sql);
        return run(sql, params);
      }
    });
  };
}
