import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Transfer } from '../transfer.js';
import { alertsOf, DAY, found, HOUR, quietMonth, tx } from './testing.js';

/** `source` pays `n` intermediaries, each passing `keep` of it to its sink, an hour later. */
function scatterGather(source: string, sinks: string[], n: number, keep = 0.98, at = 5 * DAY): Transfer[] {
  return Array.from({ length: n }, (_, i) => [
    tx(source, `mule${i}-${source}`, 3000 + i * 10, at + i * HOUR),
    tx(`mule${i}-${source}`, sinks[i % sinks.length] as string, (3000 + i * 10) * keep, at + (i + 1) * HOUR),
  ]).flat();
}

/** A merchant with steady takings all month (not a conduit). */
function shop(name: string): Transfer[] {
  return Array.from({ length: 24 }, (_, i) => tx(`buyer${i % 12}-${name}`, name, 30 + i, i * 30 * HOUR));
}

const cases: { name: string; transfers: Transfer[]; expect: string[] }[] = [
  {
    name: 'four intermediaries between one source and one sink',
    transfers: scatterGather('src', ['sink'], 4),
    expect: ['src:scatter-gather'],
  },
  { name: 'two intermediaries are too few', transfers: scatterGather('src', ['sink'], 2), expect: [] },
  {
    name: 'intermediaries that keep half are not passing the money on',
    transfers: scatterGather('src', ['sink'], 4, 0.5),
    expect: [],
  },
  {
    name: 'intermediaries paying different sinks gather nothing',
    transfers: scatterGather('src', ['k1', 'k2', 'k3', 'k4'], 4),
    expect: [],
  },
  {
    name: 'a customer paying shops that sweep to the same exchange is not a scatter-gather',
    transfers: [
      ...['shopA', 'shopB', 'shopC'].flatMap(shop),
      ...['shopA', 'shopB', 'shopC'].flatMap((s, i) => [
        tx('customer', s, 120 + i, 5 * DAY + i * HOUR),
        tx(s, 'exchange', 120 + i, 5 * DAY + (i + 2) * HOUR),
      ]),
    ],
    expect: [],
  },
  {
    name: 'a busy payer whose three payees pay one sink is a small share of its payees',
    transfers: [
      ...scatterGather('trader', ['sink'], 3),
      ...Array.from({ length: 12 }, (_, i) => tx('trader', `other${i}`, 500 + i, 5 * DAY + i * 20 * 60)),
      ...Array.from({ length: 12 }, (_, i) => tx(`payer${i}`, 'sink', 100 + i, 5 * DAY + i * 20 * 60)),
    ],
    expect: [],
  },
];
for (const c of cases)
  test(`scatter-gather: ${c.name}`, () =>
    assert.deepEqual(found([...quietMonth(), ...c.transfers], 'scatter-gather'), c.expect));

test('scatter-gather: the alert names the sink and both legs of every intermediary', () => {
  const pattern = scatterGather('src', ['sink'], 5);
  const [alert] = alertsOf([...quietMonth(), ...pattern], 'scatter-gather');
  assert.ok(alert);
  assert.deepEqual([...alert.transfers].sort(), pattern.map((t) => t.id).sort());
  assert.equal(alert.counterparties?.[0], 'sink');
  assert.equal(alert.metrics.intermediaries, 5);
  assert.match(
    alert.explanation,
    /^src split 15,100 USDT over 5 intermediaries, which passed 14,798 USDT on to sink/,
  );
});
