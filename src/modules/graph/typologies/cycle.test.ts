import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Transfer } from '../transfer.js';
import { alertsOf, DAY, found, HOUR, MIN, quietMonth, tx } from './testing.js';

/** A ring through `nodes` starting at `at`, each hop keeping `keep` of the amount, `gap` apart. */
function ring(nodes: string[], amount: number, at: number, gap = 2 * HOUR, keep = 0.98): Transfer[] {
  return nodes.map((from, i) =>
    tx(from, nodes[(i + 1) % nodes.length] as string, amount * keep ** i, at + i * gap),
  );
}

/** A wallet with `n` counterparties: a service by the default rules. */
function service(name: string, n: number): Transfer[] {
  return Array.from({ length: n }, (_, i) => tx(`cust${i}`, name, 10 + i, (i % 28) * DAY + 5 * HOUR));
}

const cases: { name: string; transfers: Transfer[]; expect: string[] }[] = [
  {
    name: 'three hops back to the origin within a day',
    transfers: ring(['a', 'b', 'c'], 10_000, 3 * DAY),
    expect: ['a:cycle'],
  },
  {
    name: 'two hops (out and straight back)',
    transfers: ring(['a', 'b'], 5_000, 3 * DAY),
    expect: ['a:cycle'],
  },
  {
    name: 'six hops',
    transfers: ring(['a', 'b', 'c', 'd', 'e', 'f'], 50_000, 3 * DAY, 6 * HOUR),
    expect: ['a:cycle'],
  },
  {
    name: 'seven hops are more than the default maximum',
    transfers: ring(['a', 'b', 'c', 'd', 'e', 'f', 'g'], 50_000, 3 * DAY),
    expect: [],
  },
  {
    name: 'amounts that do not follow each other are not one flow',
    transfers: [
      tx('a', 'b', 10_000, 3 * DAY),
      tx('b', 'c', 3_000, 3 * DAY + HOUR),
      tx('c', 'a', 10_000, 3 * DAY + 2 * HOUR),
    ],
    expect: [],
  },
  {
    name: 'the hops must follow in time',
    transfers: [
      tx('a', 'b', 10_000, 3 * DAY + 2 * HOUR),
      tx('b', 'c', 9_900, 3 * DAY + HOUR),
      tx('c', 'a', 9_800, 3 * DAY),
    ],
    expect: [],
  },
  {
    name: 'a return after eight days is outside the window',
    transfers: ring(['a', 'b', 'c'], 10_000, 2 * DAY, 4 * DAY),
    expect: [],
  },
  {
    name: 'a round trip through a service is deposit and withdrawal',
    transfers: [
      ...service('exchange', 150),
      tx('a', 'exchange', 10_000, 3 * DAY),
      tx('exchange', 'a', 9_990, 3 * DAY + HOUR),
    ],
    expect: [],
  },
  {
    name: 'an intermediate that paid many others in between did not send the same money back',
    transfers: [
      tx('a', 'busy', 1_000, 3 * DAY),
      ...Array.from({ length: 5 }, (_, i) => tx('busy', `shop${i}`, 200 + i * 50, 3 * DAY + (i + 1) * MIN)),
      tx('busy', 'a', 990, 3 * DAY + HOUR),
    ],
    expect: [],
  },
];
for (const c of cases)
  test(`cycle: ${c.name}`, () =>
    assert.deepEqual(found([...quietMonth(), ...c.transfers], 'cycle'), c.expect));

test('cycle: one alert per cycle group, about the origin, with every hop', () => {
  const first = ring(['a', 'b', 'c', 'd'], 20_000, 5 * DAY);
  const [alert, ...rest] = alertsOf([...quietMonth(), ...first], 'cycle');
  assert.equal(rest.length, 0);
  assert.ok(alert);
  assert.equal(alert.subject, 'a');
  assert.deepEqual(
    alert.transfers,
    first.map((t) => t.id),
  );
  assert.deepEqual(alert.counterparties, ['b', 'c', 'd']);
  assert.match(
    alert.explanation,
    /20,000 USDT left a and 18,824 USDT came back in 4 hops within 6 h: a → b → c → d → a/,
  );
});

test('cycle: rounds sharing transfers are one alert; rounds a week apart are two', () => {
  const twice = [
    ...ring(['a', 'b', 'c'], 10_000, 3 * DAY),
    tx('a', 'b', 9_700, 3 * DAY + 5 * HOUR),
    tx('b', 'c', 9_650, 3 * DAY + 6 * HOUR),
  ];
  assert.deepEqual(found([...quietMonth(), ...twice], 'cycle'), ['a:cycle']);
  const apart = [...ring(['a', 'b', 'c'], 10_000, 3 * DAY), ...ring(['a', 'b', 'c'], 8_000, 15 * DAY)];
  assert.deepEqual(found([...quietMonth(), ...apart], 'cycle'), ['a:cycle', 'a:cycle']);
});

test('cycle: the hop ratio is configuration', () => {
  const lossy = ring(['a', 'b', 'c'], 10_000, 3 * DAY, HOUR, 0.85);
  assert.deepEqual(found([...quietMonth(), ...lossy], 'cycle'), []);
  assert.deepEqual(found([...quietMonth(), ...lossy], 'cycle', { cycle: { minHopRatio: 0.8 } }), ['a:cycle']);
});
