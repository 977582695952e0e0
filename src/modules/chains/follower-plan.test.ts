import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BlockRef, FollowerCheckpoint } from './follower.js';
import type { BlockHeader, RpcLog } from './follower-decode.js';
import {
  advanceCheckpoint,
  checkChain,
  findCommonAncestor,
  groupLogsByBlock,
  nextRange,
  rewindCheckpoint,
} from './follower-plan.js';

/** A hash that names its fork and height, so expectations read easily. */
const h = (fork: string, n: number) => `0x${fork.repeat(2)}${n.toString(16).padStart(62, '0')}`;

/** Consecutive headers of one fork, `from` to `to`, each the child of the one before. */
function chainOf(fork: string, from: number, to: number, parentFork = fork): BlockHeader[] {
  const out: BlockHeader[] = [];
  for (let n = from; n <= to; n++) {
    out.push({
      number: n,
      hash: h(fork, n),
      parentHash: n === from ? h(parentFork, n - 1) : h(fork, n - 1),
      timestamp: 1_700_000_000 + n,
    });
  }
  return out;
}

const refs = (headers: BlockHeader[]): BlockRef[] => headers.map((b) => ({ number: b.number, hash: b.hash }));

describe('nextRange', () => {
  const cases: [string, number, number, number, ReturnType<typeof nextRange>][] = [
    ['a full batch', 10, 100, 25, { from: 10, to: 34 }],
    ['a short last batch', 90, 100, 25, { from: 90, to: 100 }],
    ['one block left', 100, 100, 25, { from: 100, to: 100 }],
    ['caught up', 101, 100, 25, undefined],
    ['confirmed head below zero (young chain)', 0, -2, 25, undefined],
    ['batch size below one reads one block', 5, 9, 0, { from: 5, to: 5 }],
  ];
  for (const [name, next, target, batch, want] of cases) {
    test(name, () => assert.deepEqual(nextRange(next, target, batch), want));
  }
});

describe('checkChain', () => {
  const cp: BlockRef = { number: 9, hash: h('a', 9) };
  test('a batch continuing the checkpoint is accepted', () => {
    assert.deepEqual(checkChain(cp, chainOf('a', 10, 14)), { ok: true });
  });
  test('the first batch ever trusts its first parent', () => {
    assert.deepEqual(checkChain(undefined, chainOf('b', 0, 3, 'z')), { ok: true });
  });
  test("a first block whose parent is not the checkpoint's hash is a fork", () => {
    assert.deepEqual(checkChain(cp, chainOf('b', 10, 14)), { ok: false, kind: 'fork' });
  });
  test('a batch switching forks in the middle is inconsistent, not a fork', () => {
    const mixed = [...chainOf('a', 10, 11), ...chainOf('b', 12, 13)];
    const r = checkChain(cp, mixed);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.kind, 'inconsistent');
  });
  test('a gap in heights is inconsistent', () => {
    const gap = chainOf('a', 10, 13).filter((b) => b.number !== 11);
    assert.equal(!checkChain(cp, gap).ok && (checkChain(cp, gap) as { kind: string }).kind, 'inconsistent');
  });
  test('a batch not starting right above the checkpoint is inconsistent', () => {
    assert.equal((checkChain(cp, chainOf('a', 11, 12)) as { kind: string }).kind, 'inconsistent');
  });
  test('an empty batch is inconsistent', () => {
    assert.equal((checkChain(cp, []) as { kind: string }).kind, 'inconsistent');
  });
});

describe('groupLogsByBlock', () => {
  const headers = chainOf('a', 10, 12);
  const logAt = (n: number, fork = 'a'): RpcLog => ({
    address: `0x${'11'.repeat(20)}`,
    topics: [],
    data: '0x',
    logIndex: '0x0',
    transactionHash: `0x${'22'.repeat(32)}`,
    blockHash: h(fork, n).toUpperCase().replace('0X', '0x'),
    blockNumber: `0x${n.toString(16)}`,
  });
  test('groups by height, dropping removed logs', () => {
    const r = groupLogsByBlock([logAt(10), logAt(12), logAt(12), { ...logAt(11), removed: true }], headers);
    assert.ok(r.ok);
    assert.deepEqual(
      [...r.byBlock.entries()].map(([n, l]) => [n, l.length]),
      [
        [10, 1],
        [12, 2],
      ],
    );
  });
  test('a log from another fork than the block read is refused', () => {
    assert.equal(groupLogsByBlock([logAt(11, 'b')], headers).ok, false);
  });
  test('a log outside the range is refused', () => {
    assert.equal(groupLogsByBlock([logAt(13)], headers).ok, false);
  });
  test('a log without a block number is refused', () => {
    assert.equal(groupLogsByBlock([{ ...logAt(10), blockNumber: null }], headers).ok, false);
  });
});

describe('advanceCheckpoint and rewindCheckpoint', () => {
  test('the first advance starts the recent list', () => {
    assert.deepEqual(advanceCheckpoint(undefined, chainOf('a', 5, 6), 4), {
      number: 6,
      hash: h('a', 6),
      recent: refs(chainOf('a', 5, 6)),
    });
  });
  test('recent keeps the newest `keep` blocks, ending with the checkpoint', () => {
    const first = advanceCheckpoint(undefined, chainOf('a', 0, 4), 4);
    const second = advanceCheckpoint(first, chainOf('a', 5, 7), 4);
    assert.deepEqual(second, { number: 7, hash: h('a', 7), recent: refs(chainOf('a', 4, 7)) });
  });
  test('advancing over nothing keeps the checkpoint', () => {
    const cp = advanceCheckpoint(undefined, chainOf('a', 0, 1), 4);
    assert.equal(advanceCheckpoint(cp, [], 4), cp);
    assert.throws(() => advanceCheckpoint(undefined, [], 4), RangeError);
  });
  test('rewinding forgets the blocks above the ancestor', () => {
    const cp: FollowerCheckpoint = advanceCheckpoint(undefined, chainOf('a', 0, 9), 6);
    assert.deepEqual(rewindCheckpoint(cp, { number: 6, hash: h('a', 6) }), {
      number: 6,
      hash: h('a', 6),
      recent: refs(chainOf('a', 4, 6)),
    });
  });
});

describe('findCommonAncestor', () => {
  /** A node whose chain is fork `a` up to `forkAt`, then fork `b` up to `height`. */
  function node(forkAt: number, height: number) {
    const asked: number[] = [];
    return {
      asked,
      hashAt: async (n: number) => {
        asked.push(n);
        if (n > height) return undefined;
        return n <= forkAt ? h('a', n) : h('b', n);
      },
    };
  }
  const recent = refs(chainOf('a', 10, 20));

  test('finds the newest shared block, asking from the top down', async () => {
    const n = node(17, 25);
    assert.deepEqual(await findCommonAncestor(recent, n.hashAt), { number: 17, hash: h('a', 17) });
    assert.deepEqual(n.asked, [20, 19, 18, 17]);
  });
  test('a node now shorter than the checkpoint still yields the fork point', async () => {
    assert.deepEqual(await findCommonAncestor(recent, node(12, 14).hashAt), { number: 12, hash: h('a', 12) });
  });
  test('hashes from the node compare case-insensitively', async () => {
    const upper = async (n: number) => h('a', n).toUpperCase().replace('0X', '0x');
    assert.deepEqual(await findCommonAncestor(recent, upper), { number: 20, hash: h('a', 20) });
  });
  test('a reorg deeper than the kept hashes has no ancestor', async () => {
    assert.equal(await findCommonAncestor(recent, node(9, 30).hashAt), undefined);
  });
  test('no kept hashes, no ancestor', async () => {
    assert.equal(await findCommonAncestor([], node(9, 30).hashAt), undefined);
  });
});
