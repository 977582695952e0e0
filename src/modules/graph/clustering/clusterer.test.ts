import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCordonError } from '../../../shared/errors.js';
import { createClusterer, restoreClusterer } from './clusterer.js';
import { lookupOf, spend, utxo } from './testing.js';

// A listed entity's published BTC address, and addresses nobody has listed.
const LISTED = 'bitcoin:1ListedRansomwareWallet';
const FRESH = 'bitcoin:1FreshNeverListed';
const lists = lookupOf({
  [LISTED]: { entityId: 'ofac-sdn:99001', entityName: 'Evil Corp', category: 'ransomware', confidence: 1 },
});
const btc = (label: string) => `bitcoin:${label}`;

test('fresh-address catch: co-spending with a listed address makes the fresh address inherit its attribution', () => {
  const c = createClusterer({ attributions: lists });
  // Before: the fresh address is unknown and carries nothing.
  assert.deepEqual(c.clusterOf(FRESH).attributions, []);
  const tx = utxo(
    'f00d',
    [
      ['1ListedRansomwareWallet', 40_000],
      ['1FreshNeverListed', 70_000],
    ],
    [['1Payee', 100_000]],
  );
  assert.equal(c.addUtxo(tx).action, 'merged');

  const view = c.clusterOf(FRESH);
  assert.equal(view.size, 2);
  assert.deepEqual([...view.members].sort(), [FRESH, LISTED].sort());
  assert.equal(view.attributions.length, 1);
  const a = view.attributions[0];
  assert.ok(a);
  assert.equal(a.entityId, 'ofac-sdn:99001');
  assert.equal(a.category, 'ransomware');
  assert.equal(a.member, LISTED);
  assert.equal(a.listedConfidence, 1);
  assert.equal(a.confidence, 0.95);
  assert.equal(a.via.length, 1);
  assert.equal(a.via[0]?.tx, 'f00d');
  assert.equal(a.via[0]?.heuristic, 'common-input');
  assert.deepEqual(a.via[0]?.detail, { chain: 'bitcoin', inputs: 2, distinctInputs: 2, outputs: 1 });
  // The payee received money; it is not an owner of the inputs.
  assert.deepEqual(c.clusterOf(btc('1Payee')).attributions, []);
});

test('fresh-address catch: a CoinJoin with the listed address does not taint its co-participants', () => {
  const c = createClusterer({ attributions: lists });
  const inputs = ['1ListedRansomwareWallet', '1FreshNeverListed', '1X', '1Y', '1Z'];
  const mix = utxo(
    'mix',
    inputs.map((a, i) => [a, 5_001_000 + i] as const),
    inputs.map((_, i) => [`1P${i}`, 5_000_000] as const),
  );
  const out = c.addUtxo(mix);
  assert.equal(out.action === 'skipped' && out.exclusion.reason, 'coinjoin');
  assert.equal(c.clusterOf(FRESH).known, false);
  assert.deepEqual(c.clusterOf(FRESH).attributions, []);
  assert.equal(c.exclusions()[0]?.tx, 'mix');
  assert.equal(c.stats().skipped.coinjoin, 1);
});

test('attributions: confidence is discounted per merge on the best path, and the path is listed in order', () => {
  const c = createClusterer({ attributions: lists });
  c.addUtxo(spend('t1', ['1ListedRansomwareWallet', '1Hop1']));
  c.addUtxo(spend('t2', ['1Hop1', '1Hop2']));
  c.addUtxo(spend('t3', ['1Hop2', '1FreshNeverListed']));
  const a = c.clusterOf(FRESH).attributions[0];
  assert.ok(a);
  assert.deepEqual(
    a.via.map((m) => m.tx),
    ['t3', 't2', 't1'],
  );
  assert.ok(Math.abs(a.confidence - 0.95 ** 3) < 1e-12);
  // A manual merge (factor 1) gives a better path than three common-input hops.
  c.mergeManually({
    addresses: [FRESH, LISTED],
    reason: 'same KYC',
    reference: 'case-7',
    timestamp: 1_700_000_500,
  });
  const b = c.clusterOf(FRESH).attributions[0];
  assert.equal(b?.confidence, 1);
  assert.deepEqual(
    b?.via.map((m) => m.heuristic),
    ['manual'],
  );
});

test('attributions: one entry per entity and category, counting the members that carry it', () => {
  const attributions = lookupOf({
    [btc('1A')]: { entityId: 'e1', category: 'scam', confidence: 0.6 },
    [btc('1B')]: { entityId: 'e1', category: 'scam', confidence: 0.9 },
    [btc('1C')]: { entityId: 'e2', category: 'darknet-market', confidence: 0.5 },
  });
  const c = createClusterer({ attributions });
  c.addUtxo(spend('t', ['1A', '1B', '1C', '1Q']));
  const got = c.clusterOf(btc('1Q')).attributions.map((a) => [a.entityId, a.member, a.members, a.confidence]);
  assert.deepEqual(got, [
    ['e1', btc('1B'), 2, 0.9 * 0.95],
    ['e2', btc('1C'), 1, 0.5 * 0.95],
  ]);
  // The listed address itself: its own attribution, no merge on the path.
  const own = c.clusterOf(btc('1B')).attributions[0];
  assert.equal(own?.confidence, 0.9);
  assert.deepEqual(own?.via, []);
});

const undoCases: { name: string; txs: [string, string[]][]; undo: string; together: string[][] }[] = [
  {
    name: 'undoing the bridge of a chain splits it in two',
    txs: [
      ['ab', ['1A', '1B']],
      ['bc', ['1B', '1C']],
      ['cd', ['1C', '1D']],
    ],
    undo: 'bc',
    together: [
      ['1A', '1B'],
      ['1C', '1D'],
    ],
  },
  {
    name: 'a merge backed by other evidence does not split',
    txs: [
      ['ab', ['1A', '1B']],
      ['bc', ['1B', '1C']],
      ['ac', ['1A', '1C']],
    ],
    undo: 'bc',
    together: [['1A', '1B', '1C']],
  },
  {
    name: 'undoing a multi-input merge frees every input',
    txs: [
      ['abc', ['1A', '1B', '1C']],
      ['de', ['1D', '1E']],
      ['cd', ['1C', '1D']],
    ],
    undo: 'abc',
    together: [['1A'], ['1B'], ['1C', '1D', '1E']],
  },
];

for (const u of undoCases) {
  test(`undoMerge: ${u.name}`, () => {
    const c = createClusterer();
    const ids = new Map<string, number>();
    for (const [tx, inputs] of u.txs) {
      const out = c.addUtxo(spend(tx, inputs));
      assert.ok(out.action === 'merged');
      ids.set(tx, out.merge.id);
    }
    const info = { reason: 'analyst: shared wallet', actor: 'ana', at: 1_700_001_000 };
    const result = c.undoMerge(ids.get(u.undo) as number, info);
    assert.equal(result.merge.status, 'undone');
    assert.deepEqual(result.merge.undone, info);
    assert.equal(result.parts, u.together.length);
    for (const group of u.together) {
      const view = c.clusterOf(btc(group[0] as string));
      assert.deepEqual([...view.members].sort(), group.map(btc).sort(), `group of ${group[0]}`);
    }
    assert.equal(c.stats().clusters, u.together.filter((g) => g.length > 1).length);
    // Seeing the transaction again does not re-create an undone merge.
    const again = c.addUtxo(spend(u.undo, u.txs.find(([t]) => t === u.undo)?.[1] ?? []));
    assert.equal(again.action === 'skipped' && again.exclusion.reason, 'undone');
  });
}

test('undoMerge: unknown and already undone ids are errors with kinds', () => {
  const c = createClusterer();
  const out = c.addUtxo(spend('ab', ['1A', '1B']));
  assert.ok(out.action === 'merged');
  c.undoMerge(out.merge.id);
  assert.throws(
    () => c.undoMerge(out.merge.id),
    (e) => isCordonError(e) && e.kind === 'conflict',
  );
  assert.throws(
    () => c.undoMerge(999),
    (e) => isCordonError(e) && e.kind === 'not_found',
  );
});

test('undo removes an inherited attribution, and the evidence stays in the log', () => {
  const c = createClusterer({ attributions: lists });
  const out = c.addUtxo(spend('f00d', ['1ListedRansomwareWallet', '1FreshNeverListed']));
  assert.ok(out.action === 'merged');
  c.undoMerge(out.merge.id, { reason: 'payjoin' });
  assert.deepEqual(c.clusterOf(FRESH).attributions, []);
  assert.equal(c.merges({ address: FRESH })[0]?.status, 'undone');
  assert.equal(c.merges({ status: 'active' }).length, 0);
});

test('a second transaction with the same inputs is a duplicate; clusterId is the oldest member', () => {
  const c = createClusterer();
  c.addUtxo(spend('x', ['1Zed', '1Bob']));
  const dup = c.addUtxo(spend('x', ['1Zed', '1Bob']));
  assert.equal(dup.action === 'skipped' && dup.exclusion.reason, 'duplicate');
  c.addUtxo(spend('y', ['1Bob', '1Amy']));
  assert.equal(c.clusterOf(btc('1Amy')).clusterId, btc('1Zed'));
  // When two clusters merge, the older one's id wins, whatever their sizes.
  c.addUtxo(spend('z', ['1Kim', '1Lee']));
  c.addUtxo(spend('w', ['1Lee', '1Amy']));
  assert.equal(c.clusterOf(btc('1Kim')).clusterId, btc('1Zed'));
  assert.ok(c.sameCluster(btc('1Kim'), btc('1Bob')));
  assert.ok(!c.sameCluster(btc('1Kim'), btc('1Payee')));
  const s = c.stats();
  assert.equal(s.addresses, 5);
  assert.equal(s.clusters, 1);
  assert.equal(s.largestCluster, 5);
  assert.equal(s.merges.active, 4);
  assert.equal(s.skipped.duplicate, 1);
});

test('a transaction hash seen on two forks is two transactions', () => {
  const c = createClusterer();
  c.addUtxo(spend('pre-fork', ['1A', '1B']));
  const bch = spend('pre-fork', ['1A', '1B']);
  const out = c.addUtxo({
    ...bch,
    chain: 'bitcoin-cash',
    inputs: bch.inputs.map((i) => ({ ...i, address: i.address.replace('bitcoin:', 'bitcoin-cash:') })),
  });
  assert.equal(out.action, 'merged');
  assert.equal(
    out.action === 'merged' && out.merge.heuristic === 'common-input' && out.merge.detail.chain,
    'bitcoin-cash',
  );
  assert.ok(c.sameCluster('bitcoin-cash:1A', 'bitcoin-cash:1B'));
});

test('clusterOf: members are capped, the queried address first', () => {
  const c = createClusterer({ memberLimit: 3 });
  c.addUtxo(
    spend(
      'big',
      Array.from({ length: 10 }, (_, i) => `1M${i}`),
    ),
  );
  const v = c.clusterOf(btc('1M7'));
  assert.equal(v.size, 10);
  assert.equal(v.members.length, 3);
  assert.equal(v.members[0], btc('1M7'));
  assert.equal(v.membersTruncated, true);
});

test('merges(filter): by address, heuristic, tx and status, newest first, paged', () => {
  const c = createClusterer();
  c.addUtxo(spend('t1', ['1A', '1B']));
  c.addUtxo(spend('t2', ['1B', '1C']));
  c.mergeManually({ addresses: [btc('1C'), btc('1D')], reason: 'KYC', reference: 'case-1', timestamp: 1 });
  c.undoMerge(1);
  const ids = (f: Parameters<typeof c.merges>[0]) => c.merges(f).map((m) => m.id);
  assert.deepEqual(ids({}), [3, 2, 1]);
  assert.deepEqual(ids({ address: btc('1B') }), [2, 1]);
  assert.deepEqual(ids({ heuristic: 'manual' }), [3]);
  assert.deepEqual(ids({ tx: 't2' }), [2]);
  assert.deepEqual(ids({ status: 'undone' }), [1]);
  assert.deepEqual(ids({ beforeId: 3, limit: 1 }), [2]);
  assert.deepEqual(ids({ address: btc('1Nobody') }), []);
});

test('mergeManually: needs two distinct addresses and a reason', () => {
  const c = createClusterer();
  const bad = [
    { addresses: [btc('1A'), btc('1A')], reason: 'x' },
    { addresses: [btc('1A'), btc('1B')], reason: ' ' },
  ];
  for (const b of bad) {
    assert.throws(
      () => c.mergeManually({ ...b, reference: 'r', timestamp: 1 }),
      (e) => isCordonError(e) && e.code === 'clustering.invalid_merge',
    );
  }
});

test('createClusterer: factors outside (0, 1] are refused', () => {
  assert.throws(
    () => createClusterer({ factors: { 'deposit-reuse': 1.5 } }),
    (e) => isCordonError(e) && e.kind === 'invalid',
  );
});

test('exportLog → restoreClusterer gives the same clusters, evidence and undone merges', () => {
  const c = createClusterer({ attributions: lists });
  c.addUtxo(spend('t1', ['1ListedRansomwareWallet', '1Hop']));
  c.addUtxo(spend('t2', ['1Hop', '1FreshNeverListed']));
  c.addUtxo(spend('t3', ['1Hop', '1Gone']));
  c.undoMerge(3, { reason: 'false positive' });
  const lines = [...c.exportLog()];
  assert.equal(lines.length, 3);
  const r = restoreClusterer(lines, { attributions: lists });
  assert.deepEqual(r.clusterOf(FRESH), c.clusterOf(FRESH));
  assert.deepEqual(r.merges(), c.merges());
  assert.equal(r.sameCluster(btc('1Gone'), btc('1Hop')), false);
  // The restored log still remembers what was undone, and ids continue.
  const again = r.addUtxo(spend('t3', ['1Hop', '1Gone']));
  assert.equal(again.action === 'skipped' && again.exclusion.reason, 'undone');
  const next = r.addUtxo(spend('t4', ['1Gone', '1New']));
  assert.equal(next.action === 'merged' && next.merge.id, 4);
});

test('restoreClusterer: a bad line is refused with its line number', () => {
  const good = JSON.stringify({
    id: 1,
    heuristic: 'common-input',
    tx: 't',
    addresses: [btc('1A'), btc('1B')],
    timestamp: 1,
    status: 'active',
    detail: { chain: 'bitcoin', inputs: 2, distinctInputs: 2, outputs: 1 },
  });
  const cases: [string[], string][] = [
    [[good, '{nope'], 'line 2: (line): not JSON'],
    [[good, '', good], 'line 3: id: 1 is not increasing'],
    [[good.replace('"common-input"', '"guess"')], 'line 1: heuristic'],
    [[good.replace(`"${btc('1B')}"`, `"${btc('1A')}"`)], 'line 1: addresses'],
    [[good.replace('"active"', '"undone"')], 'line 1: undone'],
    [[good.replace('"chain":"bitcoin",', '')], 'line 1: detail'],
  ];
  for (const [lines, message] of cases) {
    assert.throws(
      () => restoreClusterer(lines),
      (e) => isCordonError(e) && e.code === 'clustering.bad_log_line' && e.message.includes(message),
      message,
    );
  }
});

test('merges and undos in any order agree with clusters recomputed from the active merges', () => {
  let seed = 11;
  const rand = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % n;
  };
  const c = createClusterer();
  const n = 300;
  const key = (i: number) => btc(`1K${i}`);
  for (let step = 0; step < 1500; step++) {
    if (step % 5 === 4) {
      const active = c.merges({ status: 'active', limit: 10_000 });
      const m = active[rand(active.length)];
      if (m) c.undoMerge(m.id);
    } else {
      c.addUtxo(
        spend(
          `s${step}`,
          Array.from({ length: 2 + rand(3) }, () => `1K${rand(n)}`),
        ),
      );
    }
    if (step % 100 !== 99) continue;
    // Components of the active merges, computed naively.
    const parent = new Map<string, string>();
    const find = (a: string): string => {
      const p = parent.get(a) ?? a;
      return p === a ? a : find(p);
    };
    for (const m of c.merges({ status: 'active', limit: 10_000 })) {
      for (const a of m.addresses.slice(1)) {
        const ra = find(m.addresses[0] as string);
        const rb = find(a);
        if (ra !== rb) parent.set(rb, ra);
      }
    }
    const sizes = new Map<string, number>();
    for (let i = 0; i < n; i++) sizes.set(find(key(i)), (sizes.get(find(key(i))) ?? 0) + 1);
    const multi = [...sizes.values()].filter((s) => s > 1);
    for (let i = 0; i < n; i += 7) {
      const view = c.clusterOf(key(i));
      if (!view.known) continue;
      assert.equal(view.size, sizes.get(find(key(i))), `size of ${key(i)} at step ${step}`);
      const j = rand(n);
      assert.equal(
        c.sameCluster(key(i), key(j)),
        find(key(i)) === find(key(j)),
        `${i} ~ ${j} at step ${step}`,
      );
    }
    assert.equal(c.stats().clusters, multi.length, `clusters at step ${step}`);
    assert.equal(c.stats().largestCluster, Math.max(1, ...multi), `largest at step ${step}`);
  }
});
