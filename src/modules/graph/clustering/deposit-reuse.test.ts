import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Transfer } from '../transfer.js';
import { createClusterer, restoreClusterer } from './clusterer.js';
import { isAccountChain } from './deposit-reuse.js';
import type { DepositReuseConfig } from './model.js';
import { lookupOf, usdt } from './testing.js';

const T0 = 1_700_000_000;
const MIN = 60;
const HOUR = 3600;
const attributions = lookupOf({
  'tron:HOT': { entityId: 'binance', entityName: 'Binance', category: 'exchange', confidence: 0.99 },
  'tron:HOT2': { entityId: 'okx', entityName: 'OKX', category: 'exchange', confidence: 0.99 },
  'tron:W1': { entityId: 'ofac-sdn:4242', entityName: 'Guarantee Co', category: 'sanctioned', confidence: 1 },
  'tron:CASINO': { entityId: 'casino', entityName: 'Casino', category: 'gambling', confidence: 0.9 },
});

/** W1 and W2 each pay D, and D sweeps each deposit to the Binance hot wallet within minutes. */
const clearPattern = (): Transfer[] => [
  usdt('W1', 'D', 1000, T0),
  usdt('D', 'HOT', 1000, T0 + 10 * MIN),
  usdt('W2', 'D', 500, T0 + 2 * HOUR),
  usdt('D', 'HOT', 500, T0 + 2 * HOUR + 5 * MIN),
];

const cases: {
  name: string;
  transfers: Transfer[];
  config?: Partial<DepositReuseConfig>;
  together?: [string, string][];
  apart?: [string, string][];
}[] = [
  {
    name: 'two wallets funding one deposit address that sweeps to an exchange are merged',
    transfers: clearPattern(),
    together: [['W1', 'W2']],
    apart: [
      ['W1', 'D'],
      ['W1', 'HOT'],
    ],
  },
  {
    name: 'deposits swept together in one sweep also merge',
    transfers: [
      usdt('W1', 'D', 300, T0),
      usdt('W2', 'D', 700, T0 + HOUR),
      usdt('D', 'HOT', 1000, T0 + 2 * HOUR),
    ],
    together: [['W1', 'W2']],
  },
  {
    name: 'no merge when the address does not forward to an exchange',
    transfers: [
      usdt('W1', 'D', 1000, T0),
      usdt('W2', 'D', 500, T0 + HOUR),
      usdt('D', 'SHOP', 1500, T0 + 2 * HOUR),
    ],
    apart: [['W1', 'W2']],
  },
  {
    name: 'no merge when the sweep comes after the forward delay',
    transfers: [
      usdt('W1', 'D', 1000, T0),
      usdt('W2', 'D', 500, T0 + HOUR),
      usdt('D', 'HOT', 1500, T0 + 3 * 24 * HOUR),
    ],
    apart: [['W1', 'W2']],
  },
  {
    name: 'no merge when the address keeps most of what it receives (forward ratio)',
    transfers: [
      usdt('W1', 'D', 1000, T0),
      usdt('W2', 'D', 1000, T0 + HOUR),
      usdt('D', 'HOT', 100, T0 + 2 * HOUR),
    ],
    apart: [['W1', 'W2']],
  },
  {
    name: 'no merge through a busy service: more senders than a personal deposit address has',
    transfers: [
      usdt('W1', 'D', 100, T0),
      usdt('W2', 'D', 100, T0 + MIN),
      usdt('W3', 'D', 100, T0 + 2 * MIN),
      usdt('W4', 'D', 100, T0 + 3 * MIN),
      usdt('D', 'HOT', 400, T0 + 10 * MIN),
    ],
    apart: [
      ['W1', 'W2'],
      ['W3', 'W4'],
    ],
  },
  {
    name: 'no merge when the "deposit address" is itself attributed (a service)',
    transfers: [
      usdt('W1', 'CASINO', 1000, T0),
      usdt('W2', 'CASINO', 500, T0 + HOUR),
      usdt('CASINO', 'HOT', 1500, T0 + 2 * HOUR),
    ],
    apart: [['W1', 'W2']],
  },
  {
    name: 'an exchange withdrawing into the address is not a customer wallet',
    transfers: [
      usdt('HOT2', 'D', 1000, T0),
      usdt('W2', 'D', 500, T0 + HOUR),
      usdt('D', 'HOT', 1500, T0 + 2 * HOUR),
    ],
    apart: [['HOT2', 'W2']],
  },
  {
    name: 'no merge when the address sweeps to two exchanges',
    transfers: [
      usdt('W1', 'D', 1000, T0),
      usdt('D', 'HOT', 1000, T0 + MIN),
      usdt('W2', 'D', 500, T0 + HOUR),
      usdt('D', 'HOT2', 500, T0 + HOUR + MIN),
    ],
    apart: [['W1', 'W2']],
  },
  {
    name: 'dust from an address poisoner merges nobody and is not counted as a customer',
    transfers: [
      usdt('W1', 'D', 1000, T0),
      usdt('D', 'HOT', 1000, T0 + MIN),
      usdt('POISON1', 'D', 0.001, T0 + 2 * MIN),
      usdt('POISON2', 'D', 0, T0 + 2 * MIN),
      usdt('POISON3', 'D', 0.002, T0 + 3 * MIN),
      usdt('POISON4', 'D', 0.001, T0 + 4 * MIN),
      usdt('W2', 'D', 500, T0 + HOUR),
      usdt('D', 'HOT', 500.004, T0 + HOUR + MIN),
    ],
    together: [['W1', 'W2']],
    apart: [
      ['W1', 'POISON1'],
      ['W2', 'POISON3'],
    ],
  },
  {
    name: 'assets are not mixed: a TRX deposit is not swept by a USDT sweep',
    transfers: [
      usdt('W1', 'D', 1000, T0),
      usdt('D', 'HOT', 1000, T0 + MIN),
      usdt('W2', 'D', 500, T0 + HOUR, 'TRX'),
      usdt('D', 'HOT', 500, T0 + HOUR + MIN),
    ],
    apart: [['W1', 'W2']],
  },
  {
    name: 'the sender limit is configuration',
    transfers: clearPattern(),
    config: { maxSenders: 1 },
    apart: [['W1', 'W2']],
  },
];

for (const c of cases) {
  test(`deposit reuse: ${c.name}`, () => {
    const cl = createClusterer({ attributions, depositReuse: c.config ?? {} });
    for (const t of c.transfers) cl.addTransfer(t);
    for (const [a, b] of c.together ?? [])
      assert.ok(cl.sameCluster(`tron:${a}`, `tron:${b}`), `${a} with ${b}`);
    for (const [a, b] of c.apart ?? [])
      assert.ok(!cl.sameCluster(`tron:${a}`, `tron:${b}`), `${a} apart from ${b}`);
  });
}

test("deposit reuse: the merge records the deposit and the sweep, and the second wallet inherits the first one's listing", () => {
  const cl = createClusterer({ attributions });
  const merged = clearPattern().flatMap((t) => cl.addTransfer(t).merged);
  assert.equal(merged.length, 1);
  const m = merged[0];
  assert.ok(m?.heuristic === 'deposit-reuse');
  assert.deepEqual(m.addresses, ['tron:W1', 'tron:W2']);
  assert.equal(m.detail.depositAddress, 'tron:D');
  assert.deepEqual(m.detail.exchange, { entityId: 'binance', entityName: 'Binance' });
  assert.deepEqual(
    m.detail.deposits.map((d) => [d.from, d.to, d.amountBase]),
    [
      ['tron:W1', 'tron:D', '1000000000'],
      ['tron:W2', 'tron:D', '500000000'],
    ],
  );
  assert.deepEqual(
    m.detail.forwards.map((f) => [f.from, f.to, f.amountBase, f.timestamp]),
    [
      ['tron:D', 'tron:HOT', '1000000000', T0 + 10 * MIN],
      ['tron:D', 'tron:HOT', '500000000', T0 + 2 * HOUR + 5 * MIN],
    ],
  );
  assert.equal(m.tx, m.detail.deposits[1]?.tx);
  assert.equal(m.timestamp, T0 + 2 * HOUR + 5 * MIN);
  assert.equal(m.detail.forwardRatio, 1);

  const a = cl.clusterOf('tron:W2').attributions[0];
  assert.equal(a?.entityId, 'ofac-sdn:4242');
  assert.equal(a?.confidence, 0.8);
  assert.deepEqual(
    a?.via.map((e) => e.id),
    [m.id],
  );
  // The exchange is not pulled into the user's cluster.
  assert.equal(cl.clusterOf('tron:W2').size, 2);
});

test('deposit reuse: merges through an address that later turns busy are revoked', () => {
  const cl = createClusterer({ attributions });
  for (const t of clearPattern()) cl.addTransfer(t);
  assert.ok(cl.sameCluster('tron:W1', 'tron:W2'));
  const late = [usdt('W3', 'D', 100, T0 + 3 * HOUR), usdt('W4', 'D', 100, T0 + 3 * HOUR + MIN)];
  const revoked = late.flatMap((t) => cl.addTransfer(t).revoked);
  assert.equal(revoked.length, 1);
  assert.match(revoked[0]?.merge.undone?.reason ?? '', /deposit address tron:D revoked: 4 senders/);
  assert.ok(!cl.sameCluster('tron:W1', 'tron:W2'));
  assert.equal(cl.merges({ depositAddress: 'tron:D' })[0]?.status, 'undone');
  assert.equal(cl.stats().busyDepositAddresses, 1);
});

test('deposit reuse: off when disabled, and only on account chains by default', () => {
  const off = createClusterer({ attributions, depositReuse: false });
  for (const t of clearPattern()) off.addTransfer(t);
  assert.ok(!off.sameCluster('tron:W1', 'tron:W2'));
  const on = createClusterer({ attributions });
  for (const t of clearPattern()) on.addTransfer({ ...t, chain: 'bitcoin' });
  assert.ok(!on.sameCluster('tron:W1', 'tron:W2'));
  assert.equal(isAccountChain('tron'), true);
  assert.equal(isAccountChain('base'), true);
  assert.equal(isAccountChain('bitcoin'), false);
  assert.equal(isAccountChain('ledger'), false);
});

test('deposit reuse: a sweep seen before the deposit it covers (out-of-order input) still counts', () => {
  const cl = createClusterer({ attributions });
  const [d1, f1, d2, f2] = clearPattern();
  for (const t of [f1, d1, f2, d2]) if (t) cl.addTransfer(t);
  assert.ok(cl.sameCluster('tron:W1', 'tron:W2'));
});

test('deposit reuse: the merge survives export and restore, and is not made twice', () => {
  const cl = createClusterer({ attributions });
  for (const t of clearPattern()) cl.addTransfer(t);
  const restored = restoreClusterer([...cl.exportLog()], { attributions });
  assert.ok(restored.sameCluster('tron:W1', 'tron:W2'));
  for (const t of clearPattern()) restored.addTransfer(t);
  assert.equal(restored.stats().merges.active, 1);
  assert.equal(restored.merges({ depositAddress: 'tron:D' }).length, 1);
});
