// The transfer graph at chain scale: ingest rate, memory per transfer, 3-hop exposure latency,
// restart (segment load) time, and the same graph and queries on graphology side by side.
// Size: `GRAPH_BENCH_ADDRESSES` (default 1,000,000) and `GRAPH_BENCH_TRANSFERS` (default 10,000,000).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { base58check } from '@scure/base';
import { MultiDirectedGraph } from 'graphology';
import { computeExposure, type ExposureContext, type NodeFlag } from '../src/modules/graph/exposure.js';
import type { ExposureMethod, PathTransfer } from '../src/modules/graph/exposure-model.js';
import { buildFlagIndex } from '../src/modules/graph/flag-index.js';
import { createTransferGraph, type TransferGraph } from '../src/modules/graph/graph.js';
import { createGraphService } from '../src/modules/graph/graph.service.js';
import { openSegmentStore } from '../src/modules/graph/graph-segments.repository.js';
import { type SegmentData, transferFingerprint } from '../src/modules/graph/segment.js';
import { parseTransferLine, type Transfer } from '../src/modules/graph/transfer.js';
import { generateChainLike, prng } from './graph-data.js';

const b58c = base58check(sha256);

const ADDRESSES = Number(process.env.GRAPH_BENCH_ADDRESSES ?? 1_000_000);
const TRANSFERS = Number(process.env.GRAPH_BENCH_TRANSFERS ?? 10_000_000);
const QUERIES = Number(process.env.GRAPH_BENCH_QUERIES ?? 2_000);
const POISON_QUERIES = Number(process.env.GRAPH_BENCH_POISON_QUERIES ?? 300);
const GRAPHOLOGY = process.env.GRAPH_BENCH_GRAPHOLOGY !== '0';

const keyOf = (i: number): string => `tron:T${i.toString(36).padStart(33, '0')}`;
const mib = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MiB`;
const rate = (n: number, ms: number): string => `${(((n / ms) * 1000) / 1e6).toFixed(2)} M/s`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] as number;
}

function timeQueries(
  ctx: ExposureContext,
  subjects: number[],
  method: ExposureMethod,
  direction: 'incoming' | 'outgoing' = 'incoming',
): { p50: number; p99: number; mean: number; truncated: number; exposed: number } {
  const times: number[] = [];
  let truncated = 0;
  let exposed = 0;
  for (const s of subjects) {
    const t0 = performance.now();
    const r = computeExposure(ctx, {
      address: ctx.graph.keyOf(s),
      direction,
      hops: 3,
      method,
      maxPaths: 3,
    });
    times.push(performance.now() - t0);
    if (r.truncated) truncated++;
    if ((r.directions[0]?.entities.length ?? 0) > 0) exposed++;
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    mean: times.reduce((a, b) => a + b, 0) / times.length,
    truncated,
    exposed,
  };
}

/** The TransferGraph read interface over a graphology MultiDirectedGraph (edge attributes by seq). */
function graphologyAdapter(
  g: MultiDirectedGraph,
  keys: string[],
  edges: { s: number; d: number; a: number; t: number }[],
): TransferGraph {
  const nodeIds = new Map(keys.map((k, i) => [k, i]));
  const unsupported = (): never => {
    throw new Error('read-only adapter');
  };
  return {
    get nodeCount() {
      return g.order;
    },
    get transferCount() {
      return g.size;
    },
    compactedCount: g.size,
    nodeOf: (k) => nodeIds.get(k) ?? -1,
    internNode: unsupported,
    keyOf: (n) => keys[n] as string,
    internAsset: unsupported,
    assetOf: () => ({ chain: 'tron', symbol: 'USDT', decimals: 6 }),
    assetIdOf: () => 0,
    append: unsupported,
    appendBulk: unsupported,
    truncate: unsupported,
    voidTransfer: unsupported,
    forEachOut: (n, visit) =>
      g.forEachOutEdge(keys[n] as string, (_e: string, attr: Record<string, unknown>) =>
        visit(attr.seq as number),
      ),
    forEachIn: (n, visit) =>
      g.forEachInEdge(keys[n] as string, (_e: string, attr: Record<string, unknown>) =>
        visit(attr.seq as number),
      ),
    outDegree: (n) => g.outDegree(keys[n] as string),
    inDegree: (n) => g.inDegree(keys[n] as string),
    src: (seq) => (edges[seq] as { s: number }).s,
    dst: (seq) => (edges[seq] as { d: number }).d,
    amount: (seq) => (edges[seq] as { a: number }).a,
    timestamp: (seq) => (edges[seq] as { t: number }).t,
    asset: () => 0,
    compact: () => {},
    memory: () => ({ columnBytes: 0, csrBytes: 0, bufferedTransfers: 0 }),
  };
}

export async function run(): Promise<void> {
  console.log(
    `graph: ${ADDRESSES.toLocaleString('en')} addresses, ${TRANSFERS.toLocaleString('en')} transfers, ${QUERIES} exposure queries (3 hops, incoming)`,
  );
  let t0 = performance.now();
  const data = generateChainLike(ADDRESSES, TRANSFERS);
  console.log(
    `generated in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${data.flagged.size} flagged addresses, ${data.exchanges.length} exchanges`,
  );
  const keys = Array.from({ length: ADDRESSES }, (_, i) => keyOf(i));

  // cordon: intern, bulk-append and compact (the path of a file import or a restart).
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed - keys.length * 0; // keys exist already: only the map is counted
  t0 = performance.now();
  const g = createTransferGraph();
  const nodeMap = new Uint32Array(ADDRESSES);
  for (let i = 0; i < ADDRESSES; i++) nodeMap[i] = g.internNode(keys[i] as string);
  const asset = g.internAsset({ chain: 'tron', symbol: 'USDT', decimals: 6 });
  const tIntern = performance.now() - t0;
  global.gc?.();
  const heapKeys = process.memoryUsage().heapUsed;
  t0 = performance.now();
  g.appendBulk({
    src: data.src,
    dst: data.dst,
    asset: new Uint16Array(TRANSFERS),
    amount: data.amount,
    ts: data.ts,
    nodeMap,
    assetMap: Uint16Array.of(asset),
  });
  g.compact();
  const tBulk = performance.now() - t0;
  const mem = g.memory();
  const bytes = mem.columnBytes + mem.csrBytes;
  // Real-time path: one append at a time into the buffer (1M transfers), then a compaction.
  const live = createTransferGraph();
  for (let i = 0; i < ADDRESSES; i++) live.internNode(keys[i] as string);
  const nLive = Math.min(TRANSFERS, 1_000_000);
  t0 = performance.now();
  for (let i = 0; i < nLive; i++)
    live.append(
      data.src[i] as number,
      data.dst[i] as number,
      0,
      data.amount[i] as number,
      data.ts[i] as number,
    );
  const tLive = performance.now() - t0;
  t0 = performance.now();
  live.compact();
  const tLiveCompact = performance.now() - t0;

  console.log(
    `cordon ingest: bulk ${rate(TRANSFERS, tBulk)} (${(tBulk / 1000).toFixed(2)} s incl. CSR build; interning ${ADDRESSES.toLocaleString('en')} keys ${(tIntern / 1000).toFixed(2)} s); ` +
      `one-by-one ${rate(nLive, tLive)} + compaction ${tLiveCompact.toFixed(0)} ms for ${nLive.toLocaleString('en')}`,
  );
  console.log(
    `cordon memory: typed arrays ${mib(bytes)} = ${(bytes / TRANSFERS).toFixed(1)} bytes/transfer (columns ${(mem.columnBytes / TRANSFERS).toFixed(1)}, CSR ${(mem.csrBytes / TRANSFERS).toFixed(1)}); the address-key map adds about ${((heapKeys - heap0) / ADDRESSES).toFixed(0)} bytes per address`,
  );

  const flags = new Map<number, NodeFlag[]>();
  for (const [n, category] of data.flagged)
    flags.set(n, [{ entityId: `e${n}`, entityName: `Entity ${n}`, category, source: 'bench' }]);
  const transferJson = (seq: number): PathTransfer => ({
    id: `t${seq}`,
    chain: 'tron',
    asset: 'USDT',
    from: keys[data.src[seq] as number] as string,
    to: keys[data.dst[seq] as number] as string,
    amount: String((data.amount[seq] as number) / 1e6),
    timestamp: String(data.ts[seq]),
  });
  const rand = prng(99);
  const subjects: number[] = [];
  while (subjects.length < QUERIES) {
    const s = data.dst[Math.floor(rand() * TRANSFERS)] as number; // an address that received funds
    if (!data.flagged.has(s)) subjects.push(s);
  }
  // The flag index (receipts from and payments to flagged addresses), as the service keeps it.
  t0 = performance.now();
  const flagIndex = buildFlagIndex(g, flags.keys());
  const tIndex = performance.now() - t0;
  console.log(
    `cordon flag index: ${flagIndex?.flagged} flagged addresses, built in ${tIndex.toFixed(0)} ms, ${mib(flagIndex?.bytes ?? 0)} = ${((flagIndex?.bytes ?? 0) / TRANSFERS).toFixed(2)} bytes/transfer (with the graph: ${((bytes + (flagIndex?.bytes ?? 0)) / TRANSFERS).toFixed(1)})`,
  );
  const plainCtx: ExposureContext = {
    graph: g,
    flagsOf: (n) => flags.get(n),
    transferJson,
    basis: ['bench'],
  };
  const ctx: ExposureContext = flagIndex === undefined ? plainCtx : { ...plainCtx, flagIndex };
  timeQueries(ctx, subjects.slice(0, 200), 'haircut'); // warm-up
  const haircut = timeQueries(ctx, subjects, 'haircut');
  const haircutOut = timeQueries(ctx, subjects, 'haircut', 'outgoing');
  const haircutPlain = timeQueries(plainCtx, subjects, 'haircut');
  const poison = timeQueries(ctx, subjects.slice(0, Math.min(subjects.length, POISON_QUERIES)), 'poison');
  const fmt = (r: ReturnType<typeof timeQueries>) =>
    `p50 ${r.p50.toFixed(3)} ms, p99 ${r.p99.toFixed(3)} ms, mean ${r.mean.toFixed(3)} ms (${r.exposed}/${subjects.length} exposed, ${r.truncated} at the edge budget)`;
  console.log(`cordon 3-hop exposure, haircut: ${fmt(haircut)}`);
  console.log(`cordon 3-hop exposure, haircut, outgoing (destination of funds): ${fmt(haircutOut)}`);
  console.log(`cordon 3-hop exposure, haircut, without the flag index: ${fmt(haircutPlain)}`);
  console.log(
    `cordon 3-hop exposure, poison (${Math.min(subjects.length, POISON_QUERIES)} queries):  ${fmt(poison)}`,
  );

  // Persistence: the graph as one segment, then a restart that loads it.
  const dir = await mkdtemp(join(tmpdir(), 'cordon-graph-bench-'));
  try {
    const segments = await openSegmentStore(dir);
    const fingerprint = new Float64Array(TRANSFERS);
    const meta: [string, null, string][] = new Array(TRANSFERS);
    for (let i = 0; i < TRANSFERS; i++) {
      fingerprint[i] = transferFingerprint('tron', `t${i}`);
      meta[i] = [`t${i}`, null, String(data.amount[i])];
    }
    const seg: SegmentData = {
      keys,
      assets: [{ chain: 'tron', symbol: 'USDT', decimals: 6 }],
      src: data.src,
      dst: data.dst,
      ts: data.ts,
      asset: new Uint16Array(TRANSFERS),
      amount: data.amount,
      fingerprint,
      meta,
    };
    t0 = performance.now();
    await segments.write(seg);
    const tWrite = performance.now() - t0;
    segments.close();
    meta.length = 0;
    const svc = createGraphService({
      segments: await openSegmentStore(dir),
      flags: { flagsOf: (k) => flags.get(g.nodeOf(k)), basis: () => ['bench'] },
    });
    t0 = performance.now();
    await svc.load();
    const tLoad = performance.now() - t0;
    const svcTimes: number[] = [];
    for (const s of subjects.slice(0, 500)) {
      const q0 = performance.now();
      svc.exposure({
        address: keys[s] as string,
        direction: 'incoming',
        hops: 3,
        method: 'haircut',
        maxPaths: 3,
      });
      svcTimes.push(performance.now() - q0);
    }
    svcTimes.sort((a, b) => a - b);
    console.log(
      `persistence: segment write ${(tWrite / 1000).toFixed(1)} s (${rate(TRANSFERS, tWrite)}), restart load ${(tLoad / 1000).toFixed(1)} s (${rate(TRANSFERS, tLoad)}); ` +
        `service exposure with evidence read from disk p50 ${percentile(svcTimes, 0.5).toFixed(3)} ms, p99 ${percentile(svcTimes, 0.99).toFixed(3)} ms; dedupe table ${mib(svc.stats().dedupeBytes)}`,
    );
    svc.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  // End to end: JSON Lines text → parse and validate (TRON base58check) → durable segments, the
  // path of `cordon graph import`, on the first 1M transfers with real-format addresses.
  {
    const n = Math.min(TRANSFERS, Number(process.env.GRAPH_BENCH_FILE_TRANSFERS ?? 1_000_000));
    const tron = (i: number): string => {
      const payload = new Uint8Array(21);
      payload[0] = 0x41;
      new DataView(payload.buffer).setUint32(17, i);
      return b58c.encode(payload);
    };
    const addr = new Map<number, string>();
    const addrOf = (i: number): string => {
      let a = addr.get(i);
      if (a === undefined) {
        a = tron(i);
        addr.set(i, a);
      }
      return a;
    };
    const lines: string[] = new Array(n);
    for (let i = 0; i < n; i++) {
      lines[i] = JSON.stringify({
        id: `f${i}`,
        chain: 'tron',
        asset: 'USDT',
        from: addrOf(data.src[i] as number),
        to: addrOf(data.dst[i] as number),
        amount: String((data.amount[i] as number) / 1e6),
        timestamp: data.ts[i],
        tx: `${i.toString(16).padStart(64, '0')}`,
      });
    }
    const fdir = await mkdtemp(join(tmpdir(), 'cordon-graph-file-'));
    try {
      const svc = createGraphService({
        segments: await openSegmentStore(fdir),
        flags: { flagsOf: () => undefined, basis: () => [] },
      });
      await svc.load();
      const t1 = performance.now();
      let batch: Transfer[] = [];
      for (let i = 0; i < n; i++) {
        const r = parseTransferLine(lines[i] as string, i + 1);
        if (r.ok && r.kind === 'transfer') batch.push(r.transfer);
        if (batch.length >= 200_000) {
          await svc.ingest(batch);
          batch = [];
        }
      }
      await svc.ingest(batch);
      const tFile = performance.now() - t1;
      console.log(
        `file import (parse + checksum + segment write + graph), ${n.toLocaleString('en')} JSON lines: ${rate(n, tFile)} (${(tFile / 1000).toFixed(1)} s)`,
      );
      svc.close();
    } finally {
      await rm(fdir, { recursive: true, force: true });
    }
  }

  if (!GRAPHOLOGY) return;
  // graphology: the same graph, the same queries, the same exposure code through an adapter.
  global.gc?.();
  const gheap0 = process.memoryUsage().heapUsed;
  t0 = performance.now();
  const gg = new MultiDirectedGraph({ allowSelfLoops: false });
  for (const k of keys) gg.addNode(k);
  const edges: { s: number; d: number; a: number; t: number; seq: number }[] = new Array(TRANSFERS);
  for (let i = 0; i < TRANSFERS; i++) {
    const attr = {
      s: data.src[i] as number,
      d: data.dst[i] as number,
      a: data.amount[i] as number,
      t: data.ts[i] as number,
      seq: i,
    };
    edges[i] = attr;
    gg.addEdge(keys[attr.s] as string, keys[attr.d] as string, attr);
  }
  const tG = performance.now() - t0;
  global.gc?.();
  const gbytes = process.memoryUsage().heapUsed - gheap0;
  const gctx: ExposureContext = {
    graph: graphologyAdapter(gg, keys, edges),
    flagsOf: (n) => flags.get(n),
    transferJson,
    basis: ['bench'],
  };
  timeQueries(gctx, subjects.slice(0, 200), 'haircut');
  const gh = timeQueries(gctx, subjects, 'haircut');
  console.log(
    `graphology ingest: ${rate(TRANSFERS, tG)} (${(tG / 1000).toFixed(1)} s); heap ≈ ${mib(gbytes)} = ${(gbytes / TRANSFERS).toFixed(0)} bytes/transfer`,
  );
  console.log(`graphology 3-hop exposure, haircut: ${fmt(gh)}`);
  console.log(
    `ratios (graphology / cordon): ingest time ${(tG / tBulk).toFixed(1)}×, memory ${(gbytes / bytes).toFixed(1)}×, exposure p50 ${(gh.p50 / haircut.p50).toFixed(1)}×, p99 ${(gh.p99 / haircut.p99).toFixed(1)}×`,
  );
}
