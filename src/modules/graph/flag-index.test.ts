import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { computeExposure, type ExposureContext, type NodeFlag } from './exposure.js';
import type { ExposureQuery } from './exposure-model.js';
import { buildFlagIndex, flagEntries } from './flag-index.js';
import { createTransferGraph, type TransferGraph } from './graph.js';
import { createGraphService, type FlagSource } from './graph.service.js';
import { openSegmentStore } from './graph-segments.repository.js';
import { parseTransferLine, type Transfer } from './transfer.js';

/** The seqs of a node's flag-index entries on one side, in index order. */
function entries(g: TransferGraph, node: string, side: 'in' | 'out', flagged: string[]): number[] {
  const V = g.view?.();
  const index = buildFlagIndex(
    g,
    flagged.map((k) => g.nodeOf(k)),
  );
  assert.ok(V !== undefined && index !== undefined);
  const v = g.nodeOf(node);
  const off = side === 'in' ? V.inOff : V.outOff;
  const refs = side === 'in' ? index.inRef : index.outRef;
  const range = new Int32Array(2);
  flagEntries(
    refs,
    side === 'in' ? index.inBlock : index.outBlock,
    v,
    off[v] as number,
    off[v + 1] as number,
    range,
  );
  const out: number[] = [];
  for (let i = range[0] as number; i < (range[1] as number); i++) {
    const k = side === 'in' ? (refs[i] as number) : (V.outPos[refs[i] as number] as number);
    out.push(V.seq[k] as number);
  }
  return out;
}

test('flag index: per address, its compacted receipts from and payments to flagged addresses', () => {
  const g = createTransferGraph();
  const usdt = g.internAsset({ chain: 'tron', symbol: 'USDT', decimals: 6 });
  const n = (k: string) => g.internNode(k);
  // seq: 0 H>A, 1 X>A, 2 M>A, 3 A>H, 4 H>B, 5 A>M, 6 A>B, 7 H>A
  for (const [from, to] of [
    ['H', 'A'],
    ['X', 'A'],
    ['M', 'A'],
    ['A', 'H'],
    ['H', 'B'],
    ['A', 'M'],
    ['A', 'B'],
    ['H', 'A'],
  ] as const)
    g.append(n(from), n(to), usdt, 1e6, 1);
  g.compact();
  // H and M flagged: A received from them (seqs 0, 2, 7) and paid them (3, 5); B received from H.
  assert.deepEqual(entries(g, 'A', 'in', ['H', 'M']), [0, 2, 7]);
  assert.deepEqual(entries(g, 'A', 'out', ['H', 'M']), [3, 5]);
  assert.deepEqual(entries(g, 'B', 'in', ['H', 'M']), [4]);
  assert.deepEqual(entries(g, 'X', 'out', ['H', 'M']), []);
  // Other flags, other entries.
  assert.deepEqual(entries(g, 'A', 'in', ['X']), [1]);
  assert.deepEqual(entries(g, 'A', 'out', ['B']), [6]);
  // Many addresses (several blocks of 64): each finds exactly its own entries.
  const h = createTransferGraph();
  const a = h.internAsset({ chain: 'tron', symbol: 'USDT', decimals: 6 });
  for (let i = 0; i < 300; i++) h.internNode(`n${i}`);
  for (let i = 0; i < 3000; i++) h.append((i * 7) % 300, (i * 13 + 1) % 300, a, 1, i);
  h.compact();
  const flaggedKeys = ['n0', 'n70', 'n299'];
  for (const k of ['n1', 'n64', 'n128', 'n200', 'n299']) {
    const want: number[] = [];
    const wantOut: number[] = [];
    for (let i = 0; i < 3000; i++) {
      if (h.keyOf(h.dst(i)) === k && flaggedKeys.includes(h.keyOf(h.src(i)))) want.push(i);
      if (h.keyOf(h.src(i)) === k && flaggedKeys.includes(h.keyOf(h.dst(i)))) wantOut.push(i);
    }
    assert.deepEqual(entries(h, k, 'in', flaggedKeys), want, k);
    assert.deepEqual(entries(h, k, 'out', flaggedKeys), wantOut, k);
  }
});

/** A random graph of 200 addresses, most of its transfers compacted. */
function randomGraph(): { g: TransferGraph; edges: [number, number, number, number][] } {
  let seed = 11;
  const rand = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const edges: [number, number, number, number][] = [];
  for (let i = 0; i < 4000; i++) {
    const s = rand(200);
    let d = rand(200);
    if (d === s) d = (d + 1) % 200;
    edges.push([s, d, 1 + rand(10_000), 1_700_000_000 + i * 10 + rand(300)]);
  }
  const g = createTransferGraph();
  const usdt = g.internAsset({ chain: 'tron', symbol: 'USDT', decimals: 6 });
  const trx = g.internAsset({ chain: 'tron', symbol: 'TRX', decimals: 6 });
  for (let n = 0; n < 200; n++) g.internNode(`n${n}`);
  edges.forEach(([s, d, amount, t], i) => {
    g.append(s, d, i % 9 === 0 ? trx : usdt, amount, t);
  });
  g.compact();
  g.voidTransfer(17);
  return { g, edges };
}

function flagsFor(nodes: number[], tag: string): Map<number, NodeFlag[]> {
  const m = new Map<number, NodeFlag[]>();
  for (const n of nodes) {
    const category = n % 5 === 0 ? 'exchange' : 'scam';
    m.set(n, [{ entityId: `${tag}${n % 4}`, entityName: `${tag}${n}`, category, source: 'test' }]);
  }
  return m;
}

test('exposure with a flag index: the same answers as without, after flags change and after appends', () => {
  const { g } = randomGraph();
  let flags = flagsFor([3, 40, 77, 120, 160], 'a');
  const base = (budget?: number): ExposureContext => ({
    graph: g,
    flagsOf: (n) => flags.get(n),
    transferJson: (seq) => ({
      id: `t${seq}`,
      chain: 'tron',
      asset: 'USDT',
      from: g.keyOf(g.src(seq)),
      to: g.keyOf(g.dst(seq)),
      amount: String(g.amount(seq)),
      timestamp: String(g.timestamp(seq)),
    }),
    basis: ['test@1'],
    hubDegree: 80,
    minShare: 0.0001,
    ...(budget !== undefined ? { edgeBudget: budget } : {}),
  });
  const queries: ExposureQuery[] = [];
  for (let s = 1; s < 200; s += 9)
    for (const hops of [1, 2, 3])
      queries.push({ address: `n${s}`, direction: 'both', hops, method: 'haircut', maxPaths: 5 });
  /** Every query with and without the index (and with small edge budgets); the answers. */
  const check = (index: ReturnType<typeof buildFlagIndex>, label: string): string => {
    let all = '';
    for (const budget of [undefined, 300, 900]) {
      for (const q of queries) {
        const plain = computeExposure(base(budget), q);
        const fast = computeExposure(
          index === undefined ? base(budget) : { ...base(budget), flagIndex: index },
          q,
        );
        assert.deepEqual(fast, plain, `${label} ${q.address} ${q.hops} ${budget}`);
        all += JSON.stringify(plain);
      }
    }
    return all;
  };
  const indexA = buildFlagIndex(g, flags.keys());
  const answersA = check(indexA, 'flags A');
  assert.ok(answersA.includes('"truncated":true'), 'some answers reach the edge budget');
  assert.ok(answersA.includes('"entities":[{'), 'some answers are exposed');

  // New flags: an index for the old ones would now give other answers; one rebuilt for them not.
  flags = flagsFor([3, 41, 90, 121, 150, 199], 'b');
  let stale = 0;
  for (const q of queries)
    if (
      JSON.stringify(computeExposure({ ...base(), flagIndex: indexA }, q)) !==
      JSON.stringify(computeExposure(base(), q))
    )
      stale++;
  assert.ok(stale > 0, 'the queries reach the last hop through flagged senders');
  const indexB = buildFlagIndex(g, flags.keys());
  check(indexB, 'flags B');

  // Appends (in the buffer, not in the index), from flagged addresses among them.
  const usdt = g.assetIdOf('tron', 'USDT');
  for (let i = 0; i < 300; i++)
    g.append((i * 41) % 200, (i * 7 + 3) % 200, usdt, 5_000 + i, 1_700_039_000 + i);
  assert.ok(g.compactedCount < g.transferCount);
  check(indexB, 'after appends');
  // A compaction moves transfers: the old index is ignored, a new one is used.
  g.compact();
  check(indexB, 'stale layout');
  check(buildFlagIndex(g, flags.keys()), 'after compaction');
});

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

test('graph service: the flag index follows flag changes, ingests and compactions', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cordon-flag-index-'));
  dirs.push(dir);
  const { edges } = randomGraph();
  const key = (n: number) => `ledger:n${n}`;
  let flagged = new Set([key(3), key(40), key(77), key(120)]);
  let version = 1;
  const flags: FlagSource = {
    flagsOf: (k) =>
      flagged.has(k) ? [{ entityId: k, entityName: k, category: 'scam', source: 'test' }] : undefined,
    basis: () => [`test@${version}`],
  };
  const svc = createGraphService({
    segments: await openSegmentStore(dir),
    flags,
    settings: { compactAfter: 500 },
  });
  await svc.load();
  const transfer = (i: number, [s, d, amount, t]: [number, number, number, number]): Transfer => {
    const r = parseTransferLine(
      JSON.stringify({
        id: `t${i}`,
        chain: 'ledger',
        asset: 'USD',
        from: `n${s}`,
        to: `n${d}`,
        amount: String(amount),
        timestamp: t,
      }),
      1,
    );
    if (!r.ok || r.kind !== 'transfer') throw new Error(`t${i}`);
    return r.transfer;
  };
  await svc.ingest(edges.slice(0, 3500).map((e, i) => transfer(i, e)));
  svc.compact();
  const queries: ExposureQuery[] = [];
  for (let s = 1; s < 200; s += 13)
    queries.push({ address: key(s), direction: 'both', hops: 3, method: 'haircut', maxPaths: 3 });
  /** The service's answers against the exposure code on its graph without an index. */
  const same = (label: string): void => {
    for (const q of queries) {
      const plain = computeExposure(
        {
          graph: svc.graph,
          flagsOf: (n) => flags.flagsOf(svc.graph.keyOf(n)),
          transferJson: (seq) => svc.transfer(seq),
          basis: flags.basis(),
        },
        q,
      );
      assert.deepEqual(svc.exposure(q), plain, `${label} ${q.address}`);
    }
  };
  assert.equal(svc.refreshFlagIndex(), false, 'built at compaction');
  same('loaded');
  // The flags change: answers follow at once (the index is set aside), and the index is rebuilt.
  flagged = new Set([key(3), key(41), key(90), key(150), key(199)]);
  version++;
  same('new flags');
  assert.equal(svc.refreshFlagIndex(), true);
  assert.equal(svc.refreshFlagIndex(), false);
  same('new flags, index rebuilt');
  // Ingests: buffered, then compacted (compactAfter 500).
  await svc.ingest(edges.slice(3500, 3700).map((e, i) => transfer(3500 + i, e)));
  same('buffered');
  await svc.ingest(edges.slice(3700).map((e, i) => transfer(3700 + i, e)));
  assert.equal(svc.stats().bufferedTransfers, 0);
  same('compacted');
  svc.close();
});
