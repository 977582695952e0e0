import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTransferGraph, type TransferGraph } from './graph.js';

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
  // 22 bytes of columns and 8 of CSR per transfer, plus 8 per node.
  assert.equal(m.columnBytes, 6000 * 22);
  assert.equal(m.csrBytes, 6000 * 8 + (g.nodeCount + 1) * 8);
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
