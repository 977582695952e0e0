import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTransferGraph, receiverAt, senderAt, type TransferGraph } from './graph.js';

function edgesOf(g: TransferGraph, node: number, side: 'out' | 'in'): number[] {
  const seqs: number[] = [];
  if (side === 'out') g.forEachOut(node, (s) => seqs.push(s));
  else g.forEachIn(node, (s) => seqs.push(s));
  return seqs.sort((a, b) => a - b);
}

test('graph: buffered and compacted adjacency agree with a naive edge list, across compactions', () => {
  const g = createTransferGraph();
  const asset = g.internAsset({ chain: 'tron', symbol: 'USDT', decimals: 6 });
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % n;
  };
  const naive: [number, number][] = [];
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 2000; i++) {
      const a = g.internNode(`n${rand(300)}`);
      const b = g.internNode(`n${rand(300 + round * 50)}`);
      const seq = g.append(a, b, asset, i + 1, 1_700_000_000 + i);
      assert.equal(seq, naive.length);
      naive.push([a, b]);
    }
    if (round < 2) g.compact(); // the last round stays in the append buffer
    for (let n = 0; n < g.nodeCount; n++) {
      const out = naive.flatMap(([a], seq) => (a === n ? [seq] : []));
      const inn = naive.flatMap(([, b], seq) => (b === n ? [seq] : []));
      assert.deepEqual(edgesOf(g, n, 'out'), out);
      assert.deepEqual(edgesOf(g, n, 'in'), inn);
      assert.equal(g.outDegree(n), out.length);
      assert.equal(g.inDegree(n), inn.length);
    }
  }
  assert.equal(g.memory().bufferedTransfers, 2000);
  g.compact();
  const m = g.memory();
  assert.equal(m.bufferedTransfers, 0);
  // 26 bytes of columns (in in-edge order: a 16-byte row of amount, time, asset and half the sender,
  // the sender's other half, seq; by seq: receiver) and 4 of out-adjacency per transfer, plus 10 per
  // node (offsets, two time-order flags) and 4 per block of 64 positions (its first receiver).
  assert.equal(m.columnBytes, 6000 * 26);
  assert.equal(
    m.csrBytes,
    6000 * 4 + (g.nodeCount + 1) * 8 + g.nodeCount * 2 + (Math.ceil(6000 / 64) + 1) * 4,
  );
});

test('graph: truncate drops the newest transfers from buffer and CSR alike', () => {
  const g = createTransferGraph();
  const asset = g.internAsset({ chain: 'ethereum', symbol: 'ETH', decimals: 18 });
  const a = g.internNode('a');
  const b = g.internNode('b');
  for (let i = 0; i < 10; i++) g.append(a, b, asset, 1, 1_700_000_000 + i);
  g.compact();
  for (let i = 0; i < 5; i++) g.append(b, a, asset, 2, 1_700_000_100 + i);
  g.truncate(12);
  assert.equal(g.transferCount, 12);
  assert.deepEqual(edgesOf(g, b, 'out'), [10, 11]);
  g.truncate(4);
  assert.equal(g.transferCount, 4);
  assert.deepEqual(edgesOf(g, a, 'out'), [0, 1, 2, 3]);
  assert.deepEqual(edgesOf(g, b, 'out'), []);
  assert.equal(g.assetOf(g.asset(0)).decimals, 18);
});

test('graph: accessors by seq, voids and truncation agree with arrival order across the compacted layout', () => {
  const g = createTransferGraph();
  const usdt = g.internAsset({ chain: 'tron', symbol: 'USDT', decimals: 6 });
  const trx = g.internAsset({ chain: 'tron', symbol: 'TRX', decimals: 6 });
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % n;
  };
  const naive: { s: number; d: number; a: number; amount: number; t: number }[] = [];
  const add = (): void => {
    const s = g.internNode(`n${rand(120)}`);
    const d = g.internNode(`n${rand(150)}`);
    const a = rand(3) === 0 ? trx : usdt;
    const amount = 1 + rand(1000);
    const t = 1_700_000_000 + rand(10_000);
    g.append(s, d, a, amount, t);
    naive.push({ s, d, a, amount, t });
  };
  const check = (): void => {
    for (let seq = 0; seq < naive.length; seq++) {
      const e = naive[seq] as (typeof naive)[number];
      assert.deepEqual(
        [g.src(seq), g.dst(seq), g.asset(seq), g.amount(seq), g.timestamp(seq)],
        [e.s, e.d, e.a, e.amount, e.t],
        `seq ${seq}`,
      );
    }
  };
  for (let i = 0; i < 1500; i++) add();
  g.compact();
  for (let i = 0; i < 700; i++) add(); // in the append buffer
  check();
  // A void reaches the compacted position and the buffered slot alike.
  for (const seq of [3, 999, 1600, 2100]) {
    g.voidTransfer(seq);
    (naive[seq] as { amount: number }).amount = 0;
  }
  check();
  g.compact();
  check();
  // The view's columns are in in-edge order: each node's range holds its receipts, oldest first.
  const v = g.view?.();
  assert.ok(v !== undefined);
  for (let n = 0; n < g.nodeCount; n++) {
    const seqs = naive.flatMap((e, seq) => (e.d === n ? [seq] : []));
    assert.deepEqual([...v.seq.subarray(v.inOff[n], v.inOff[n + 1])], seqs);
    const times = seqs.map((seq) => (naive[seq] as { t: number }).t);
    assert.equal(
      v.inSorted[n] === 1,
      times.every((t, i) => i === 0 || t >= (times[i - 1] as number)),
    );
    for (let k = v.inOff[n] as number; k < (v.inOff[n + 1] as number); k++) {
      const e = naive[v.seq[k] as number] as (typeof naive)[number];
      assert.deepEqual(
        [
          senderAt(v, k),
          receiverAt(v, k),
          v.rowAmount[2 * k],
          v.rowWords[4 * k + 2],
          (v.rowWords[4 * k + 3] as number) & 0xffff,
        ],
        [e.s, e.d, e.amount, e.t, e.a],
      );
    }
    const outs = naive.flatMap((e, seq) => (e.s === n ? [seq] : []));
    assert.deepEqual(
      [...v.outPos.subarray(v.outOff[n], v.outOff[n + 1])].map((k) => v.seq[k]),
      outs,
    );
  }
  for (let i = 0; i < 100; i++) add();
  g.truncate(1200); // below the compacted part: rebuilt from the transfers kept
  naive.length = 1200;
  assert.equal(g.transferCount, 1200);
  check();
  for (let n = 0; n < g.nodeCount; n++) {
    assert.deepEqual(
      edgesOf(g, n, 'in'),
      naive.flatMap((e, seq) => (e.d === n ? [seq] : [])),
    );
  }
});

test('graph: a position gives its sender and receiver, with senders past 16 bits and blocks of rows spanning many addresses without receipts', () => {
  const g = createTransferGraph();
  const usdt = g.internAsset({ chain: 'tron', symbol: 'USDT', decimals: 6 });
  for (let i = 0; i < 70_000; i++) g.internNode(`n${i}`);
  // Receivers are every 1,297th address (most addresses receive nothing), one to five receipts each.
  let seq = 0;
  for (let d = 0; d < 70_000; d += 1297)
    for (let r = 0; r <= d % 5; r++) g.append((d * 7 + r) % 70_000, d, usdt, 1 + seq++, 1_700_000_000);
  g.append(69_999, 69_998, usdt, 1, 1_700_000_000); // near the end
  g.compact();
  const v = g.view?.();
  assert.ok(v !== undefined);
  for (let k = 0; k < v.compacted; k++) {
    assert.equal(receiverAt(v, k), g.dst(v.seq[k] as number), `position ${k}`);
    assert.equal(senderAt(v, k), g.src(v.seq[k] as number), `position ${k}`);
  }
});
