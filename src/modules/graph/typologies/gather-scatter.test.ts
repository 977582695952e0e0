import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Transfer } from '../transfer.js';
import { alertsOf, DAY, found, HOUR, quietMonth, tx } from './testing.js';

/** `ins` senders pay `hub`, then `hub` pays `outs` receivers `flow` of the total. */
function gatherScatter(hub: string, ins: number, outs: number, flow = 0.97, at = 6 * DAY): Transfer[] {
  const gathered = Array.from({ length: ins }, (_, i) =>
    tx(`in${i}-${hub}`, hub, 2000 + i * 100, at + i * HOUR),
  );
  const total = gathered.reduce((s, t) => s + Number(t.amountBase) / 1e6, 0);
  const paid = Array.from({ length: outs }, (_, i) =>
    tx(hub, `out${i}-${hub}`, (total * flow) / outs, at + (ins + 2 + i) * HOUR),
  );
  return [...gathered, ...paid];
}

const cases: { name: string; transfers: Transfer[]; expect: string[] }[] = [
  {
    name: 'four in, four out, 97 % passed on',
    transfers: gatherScatter('hub', 4, 4),
    expect: ['hub:gather-scatter'],
  },
  {
    name: 'three in, three out is the minimum',
    transfers: gatherScatter('hub', 3, 3),
    expect: ['hub:gather-scatter'],
  },
  { name: 'two in is too few', transfers: gatherScatter('hub', 2, 4), expect: [] },
  {
    name: 'paying out a third of what came in is not passing it on',
    transfers: gatherScatter('hub', 4, 4, 0.3),
    expect: [],
  },
  {
    name: 'paying out before collecting is not gather-scatter',
    transfers: [
      ...Array.from({ length: 4 }, (_, i) => tx('hub', `out${i}`, 2000, 6 * DAY + i * HOUR)),
      ...Array.from({ length: 4 }, (_, i) => tx(`in${i}`, 'hub', 2000, 6 * DAY + (6 + i) * HOUR)),
    ],
    expect: [],
  },
  {
    name: 'money passing through in rounds never gathers',
    transfers: Array.from({ length: 4 }, (_, i) => [
      tx(`in${i}`, 'hub', 5000 + i, 6 * DAY + i * 10 * HOUR),
      tx('hub', `out${i}`, 4990 + i, 6 * DAY + i * 10 * HOUR + 30 * 60),
    ]).flat(),
    expect: [],
  },
  {
    name: 'a hot wallet taking deposits and paying withdrawals all month is not one',
    transfers: Array.from({ length: 30 * 6 }, (_, i) =>
      i % 2 === 0
        ? tx(`dep${i % 150}`, 'hot', 100 + (i % 7), i * 4 * HOUR)
        : tx('hot', `wd${i % 150}`, 100 + (i % 5), i * 4 * HOUR),
    ),
    expect: [],
  },
];
for (const c of cases)
  test(`gather-scatter: ${c.name}`, () =>
    assert.deepEqual(found([...quietMonth(), ...c.transfers], 'gather-scatter'), c.expect));

test('gather-scatter: the alert has both sides and their totals', () => {
  const pattern = gatherScatter('hub', 5, 3);
  const [alert] = alertsOf([...quietMonth(), ...pattern], 'gather-scatter');
  assert.ok(alert);
  assert.deepEqual([...alert.transfers].sort(), pattern.map((t) => t.id).sort());
  assert.equal(alert.metrics.senders, 5);
  assert.equal(alert.metrics.receivers, 3);
  assert.match(
    alert.explanation,
    /^hub collected 11,000 USDT from 5 senders and paid 10,670 USDT out to 3 receivers/,
  );
});
