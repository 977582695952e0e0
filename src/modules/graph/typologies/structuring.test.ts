import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Transfer } from '../transfer.js';
import { alertsOf, DAY, found, HOUR, quietMonth, tx } from './testing.js';

/** `from` sends each amount to `to`, a day apart. */
function sends(from: string, to: string | string[], amounts: number[], asset = 'USDT'): Transfer[] {
  const targets = Array.isArray(to) ? to : [to];
  return amounts.map((a, i) =>
    tx(from, targets[i % targets.length] as string, a, (4 + i) * DAY + 3 * HOUR, asset),
  );
}

const cases: { name: string; transfers: Transfer[]; expect: string[] }[] = [
  {
    name: 'three amounts just under 10,000',
    transfers: sends('s', 'bank', [9500, 9800, 9200]),
    expect: ['s:structuring'],
  },
  {
    name: 'just under the 3,000 travel-rule line',
    transfers: sends('s', ['a', 'b'], [2950, 2900, 2990, 2800]),
    expect: ['s:structuring'],
  },
  { name: 'two are not repeated enough', transfers: sends('s', 'bank', [9500, 9800]), expect: [] },
  {
    name: 'amounts above the threshold are not under it',
    transfers: sends('s', 'bank', [10_500, 10_800, 10_200]),
    expect: [],
  },
  {
    name: 'exactly 10,000 is not under 10,000',
    transfers: sends('s', 'bank', [10_000, 10_000, 10_000]),
    expect: [],
  },
  {
    name: 'one base unit under is',
    transfers: sends('s', 'bank', [9999.999999, 9999.999999, 9999.999999]),
    expect: ['s:structuring'],
  },
  {
    name: 'one just above for four just under is no bunching',
    transfers: sends('s', 'bank', [9500, 9800, 10_100, 9300, 9600]),
    expect: [],
  },
  {
    name: 'amounts a little further below the band count neither for nor against',
    transfers: sends('s', 'bank', [9100, 8200, 9600, 8500, 9900, 8700, 8100]),
    expect: ['s:structuring'],
  },
  {
    name: 'amounts far below the line count against',
    transfers: sends('s', 'bank', [9100, 5200, 9600, 4500, 9900, 6700, 3100]),
    expect: [],
  },
  {
    name: 'an asset without thresholds is not checked',
    transfers: sends('s', 'bank', [9500, 9800, 9200], 'TRX'),
    expect: [],
  },
  {
    name: 'a busy payer with three such amounts among many others is not structuring',
    transfers: [
      ...sends('s', 'bank', [9500, 9800, 9200]),
      ...Array.from({ length: 6 }, (_, i) => tx('s', `shop${i}`, 120 + i, (4 + i) * DAY)),
    ],
    expect: [],
  },
  {
    name: 'several senders each sending just under to one receiver is smurfing: the receiver',
    transfers: ['m1', 'm2', 'm3', 'm4'].map((m, i) => tx(m, 'collector', 9400 + i * 100, 5 * DAY + i * HOUR)),
    expect: ['collector:structuring'],
  },
];
for (const c of cases)
  test(`structuring: ${c.name}`, () =>
    assert.deepEqual(found([...quietMonth(), ...c.transfers], 'structuring'), c.expect));

test('structuring: thresholds per asset are configuration', () => {
  const trx = sends('s', 'bank', [49_000, 48_500, 49_900], 'TRX');
  assert.deepEqual(
    found([...quietMonth(), ...trx], 'structuring', { structuring: { thresholds: { TRX: [50_000] } } }),
    ['s:structuring'],
  );
  const usdt = sends('s', 'bank', [9500, 9800, 9200]);
  assert.deepEqual(
    found([...quietMonth(), ...usdt], 'structuring', { structuring: { thresholds: { USDT: [] } } }),
    [],
  );
});

test('structuring: the alert names the threshold and the amounts', () => {
  const pattern = sends('s', ['a', 'b', 'c'], [9500, 9800, 9200, 9900]);
  const [alert] = alertsOf([...quietMonth(), ...pattern], 'structuring');
  assert.ok(alert);
  assert.deepEqual([...alert.transfers].sort(), pattern.map((t) => t.id).sort());
  assert.equal(alert.metrics.threshold, 10_000);
  assert.match(
    alert.explanation,
    /^s sent 4 amounts just under 10,000 USDT \(38,400 USDT in all, to 3 receivers\) within 3 days; 0 just above/,
  );
});
