/**
 * Graph segments on disk: one file per written batch in a folder, `000001.seg`, `000002.seg`, …;
 * merged runs are named `000001-000040.seg` and supersede the files they cover. Every file is
 * written to a temporary name, flushed and renamed, so a crash leaves either the whole segment or
 * none of it. Columns load at start; ids, tx hashes and exact amounts are read one by one, only for
 * evidence.
 */

import { closeSync, fsyncSync, openSync, readSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  decodeColumns,
  decodeHeader,
  encodeSegment,
  HEADER_BYTES,
  type LoadedSegment,
  type SegmentData,
} from './segment.js';

/** A loaded segment with the range of batch numbers it covers. */
export interface StoredSegment extends LoadedSegment {
  readonly first: number;
  readonly last: number;
}

/** The segment folder, as the graph service uses it. */
export interface SegmentStore {
  /** Every live segment, oldest first (a merged run replaces the files it covers). */
  load(): Promise<StoredSegment[]>;
  /** Writes a batch as the next segment, durably; returns it as loaded. */
  write(data: SegmentData): Promise<StoredSegment>;
  /** `[id, tx, amountBase]` of transfer `index` of a segment. */
  readMeta(segment: StoredSegment, index: number): readonly [string, string | null, string];
  /** Replaces segments `first..last` (consecutive, oldest first) by one merged file. */
  merge(segments: readonly StoredSegment[], merged: SegmentData): Promise<StoredSegment>;
  /** Full meta of a segment, for merging. */
  readAllMeta(segment: StoredSegment): Array<readonly [string, string | null, string]>;
  readClusterLog(): Promise<string[] | undefined>;
  writeClusterLog(lines: Iterable<string>): Promise<void>;
  readRemovals(): Promise<Array<[number, number]>>;
  appendRemovals(removals: ReadonlyArray<[number, number]>): Promise<void>;
  close(): void;
}

/** The clustering merge log beside the segments (JSON lines, rewritten whole and atomically). */
const CLUSTER_LOG = 'clusters.jsonl';
/** Transfers taken back after reorgs: `<seq> <fingerprint>` per line, appended. */
const REMOVALS = 'removed.log';
const NAME = /^(\d{6,})(?:-(\d{6,}))?\.seg$/;
const fileName = (first: number, last: number) =>
  first === last
    ? `${String(first).padStart(6, '0')}.seg`
    : `${String(first).padStart(6, '0')}-${String(last).padStart(6, '0')}.seg`;

/** Opens (creating) the segment folder. */
export async function openSegmentStore(dir: string): Promise<SegmentStore> {
  await mkdir(dir, { recursive: true });
  const fds = new Map<string, number>();
  let next = 1;
  const fdOf = (s: StoredSegment): number => {
    const name = fileName(s.first, s.last);
    let fd = fds.get(name);
    if (fd === undefined) {
      fd = openSync(join(dir, name), 'r');
      fds.set(name, fd);
    }
    return fd;
  };
  const readAt = (fd: number, position: number, length: number): Buffer => {
    const b = Buffer.alloc(length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, b, got, length - got, position + got);
      if (n === 0) throw new Error('graph segment is shorter than its header says');
      got += n;
    }
    return b;
  };
  const loadFile = (name: string, first: number, last: number): StoredSegment => {
    const fd = openSync(join(dir, name), 'r');
    try {
      const h = decodeHeader(readAt(fd, 0, HEADER_BYTES), name);
      const bytes = readAt(fd, 0, h.columnsEnd);
      return { ...decodeColumns(bytes, h), first, last };
    } finally {
      closeSync(fd);
    }
  };
  const writeFile = async (name: string, data: SegmentData): Promise<void> => {
    const tmp = join(dir, `.${name}.tmp`);
    const handle = await open(tmp, 'w');
    try {
      await handle.writev(encodeSegment(data));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, join(dir, name));
    const d = openSync(dir, 'r');
    try {
      fsyncSync(d);
    } finally {
      closeSync(d);
    }
  };

  return {
    async load() {
      const ranges: { name: string; first: number; last: number }[] = [];
      for (const name of await readdir(dir)) {
        if (name.endsWith('.tmp')) {
          await rm(join(dir, name), { force: true });
          continue;
        }
        const m = NAME.exec(name);
        if (m === null) continue;
        const first = Number(m[1]);
        ranges.push({ name, first, last: m[2] === undefined ? first : Number(m[2]) });
      }
      // Widest ranges win: a file covered by a merged run is a leftover of an interrupted merge.
      ranges.sort((a, b) => a.first - b.first || b.last - a.last);
      const live: typeof ranges = [];
      for (const r of ranges) {
        const prev = live[live.length - 1];
        if (prev !== undefined && r.first <= prev.last) {
          await rm(join(dir, r.name), { force: true });
          continue;
        }
        live.push(r);
      }
      next = (live[live.length - 1]?.last ?? 0) + 1;
      return live.map((r) => loadFile(r.name, r.first, r.last));
    },
    async write(data) {
      const n = next++;
      const name = fileName(n, n);
      await writeFile(name, data);
      return loadFileFromData(data, n);
    },
    readMeta(segment, index) {
      const fd = fdOf(segment);
      const offs = readAt(fd, segment.metaTableAt + index * 4, 8);
      const start = offs.readUInt32LE(0);
      const end = offs.readUInt32LE(4);
      const text = readAt(fd, segment.metaBlobAt + start, end - start).toString('utf8');
      return JSON.parse(text) as [string, string | null, string];
    },
    readAllMeta(segment) {
      const fd = fdOf(segment);
      const table = readAt(fd, segment.metaTableAt, (segment.count + 1) * 4);
      const total = table.readUInt32LE(segment.count * 4);
      const blob = readAt(fd, segment.metaBlobAt, total);
      const out: Array<readonly [string, string | null, string]> = [];
      for (let i = 0; i < segment.count; i++) {
        const text = blob.toString('utf8', table.readUInt32LE(i * 4), table.readUInt32LE(i * 4 + 4));
        out.push(JSON.parse(text) as [string, string | null, string]);
      }
      return out;
    },
    async merge(segments, merged) {
      const first = segments[0]?.first ?? 0;
      const last = segments[segments.length - 1]?.last ?? 0;
      const name = fileName(first, last);
      await writeFile(name, merged);
      for (const s of segments) {
        const old = fileName(s.first, s.last);
        const fd = fds.get(old);
        if (fd !== undefined) closeSync(fd);
        fds.delete(old);
        await rm(join(dir, old), { force: true });
      }
      return loadFile(name, first, last);
    },
    async readClusterLog() {
      try {
        const text = await readFile(join(dir, CLUSTER_LOG), 'utf8');
        return text.split('\n').filter((l) => l.trim() !== '');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    async readRemovals() {
      let text: string;
      try {
        text = await readFile(join(dir, REMOVALS), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
      const out: Array<[number, number]> = [];
      for (const line of text.split('\n')) {
        const m = /^(\d+) (\d+)$/.exec(line.trim());
        if (m !== null) out.push([Number(m[1]), Number(m[2])]); // a torn last line is ignored
      }
      return out;
    },
    async appendRemovals(removals) {
      const handle = await open(join(dir, REMOVALS), 'a');
      try {
        await handle.write(removals.map(([seq, fp]) => `${seq} ${fp}\n`).join(''));
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
    async writeClusterLog(lines) {
      const tmp = join(dir, `.${CLUSTER_LOG}.tmp`);
      const handle = await open(tmp, 'w');
      try {
        let chunk: string[] = [];
        for (const line of lines) {
          chunk.push(line);
          if (chunk.length >= 10_000) {
            await handle.write(`${chunk.join('\n')}\n`);
            chunk = [];
          }
        }
        if (chunk.length > 0) await handle.write(`${chunk.join('\n')}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, join(dir, CLUSTER_LOG));
    },
    close() {
      for (const fd of fds.values()) closeSync(fd);
      fds.clear();
    },
  };

  function loadFileFromData(data: SegmentData, n: number): StoredSegment {
    // The meta offsets are where `encodeSegment` put them: re-read the header to know the layout.
    const fd = openSync(join(dir, fileName(n, n)), 'r');
    try {
      const h = decodeHeader(readAt(fd, 0, HEADER_BYTES), fileName(n, n));
      const { meta: _meta, ...columns } = data;
      return {
        ...columns,
        count: h.count,
        metaTableAt: h.columnsEnd,
        metaBlobAt: h.columnsEnd + (h.count + 1) * 4,
        first: n,
        last: n,
      };
    } finally {
      closeSync(fd);
    }
  }
}
