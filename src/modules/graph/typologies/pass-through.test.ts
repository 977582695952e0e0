import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Transfer } from '../transfer.js';
import { alertsOf, DAY, found, HOUR, MIN, quietMonth, tx } from './testing.js';

/** `from` pays `via` 5,000; `via` pays `to` `ratio` of it `delay` later. */
function pass(
  via: string,
  delay = HOUR,
  ratio = 0.99,
  from = `src-${via}`,
  to = `dst-${via}`,
  at = 8 * DAY,
): Transfer[] {
  return [tx(from, via, 5000, at), tx(via, to, 5000 * ratio, at + delay)];
}

/** A wallet with `n` counterparties: a service by the default rules. */
function service(name: string, n: number): Transfer[] {
  return Array.from({ length: n }, (_, i) => tx(`cust${i}-${name}`, name, 10 + i, (i % 28) * DAY + 5 * HOUR));
}

const cases: { name: string; transfers: Transfer[]; expect: string[] }[] = [
  { name: 'in and out within an hour at 99 %', transfers: pass('mule'), expect: ['mule:rapid-pass-through'] },
  {
    name: 'split over two payments',
    transfers: [...pass('mule', 20 * MIN, 0.5), tx('mule', 'other', 2450, 8 * DAY + HOUR)],
    expect: ['mule:rapid-pass-through'],
  },
  {
    name: 'three rounds are one alert',
    transfers: [0, 1, 2].flatMap((d) => pass('mule', HOUR, 0.98, `s${d}`, `d${d}`, (8 + d) * DAY)),
    expect: ['mule:rapid-pass-through'],
  },
  {
    name: 'paying back the sender is a refund',
    transfers: pass('mule', HOUR, 0.99, 'alice', 'alice'),
    expect: [],
  },
  { name: 'paying on 60 % is not passing the money through', transfers: pass('mule', HOUR, 0.6), expect: [] },
  { name: 'two days later is not rapid', transfers: pass('mule', 2 * DAY), expect: [] },
  {
    name: 'an address living on other income is not a conduit',
    transfers: [
      ...pass('trader'),
      ...Array.from({ length: 6 }, (_, i) => tx(`client${i}`, 'trader', 4000, (6 + i) * DAY + 3 * HOUR)),
    ],
    expect: [],
  },
  {
    name: 'sweeping a deposit to a service is exchange plumbing',
    transfers: [
      ...service('exchange', 150),
      tx('alice', 'deposit-alice', 700, 8 * DAY),
      tx('deposit-alice', 'exchange', 700, 8 * DAY + HOUR),
    ],
    expect: [],
  },
  {
    name: 'paying on a withdrawal from a service is ordinary',
    transfers: [
      ...service('exchange', 150),
      tx('exchange', 'bob', 700, 8 * DAY),
      tx('bob', 'landlord', 700, 8 * DAY + HOUR),
    ],
    expect: [],
  },
  {
    name: 'three addresses each passing money to one collector are its deposit addresses',
    transfers: ['d1', 'd2', 'd3'].flatMap((d, i) =>
      pass(d, HOUR, 1, `user${i}`, 'small-exchange', (5 + i) * DAY),
    ),
    expect: [],
  },
];
for (const c of cases)
  test(`rapid-pass-through: ${c.name}`, () =>
    assert.deepEqual(found([...quietMonth(), ...c.transfers], 'rapid-pass-through'), c.expect));

test('rapid-pass-through: the alert says how much, how fast and how often', () => {
  const rounds = [0, 2].flatMap((d) => pass('mule', 30 * MIN, 0.98, `s${d}`, `d${d}`, (8 + d) * DAY));
  const [alert] = alertsOf([...quietMonth(), ...rounds], 'rapid-pass-through');
  assert.ok(alert);
  assert.deepEqual([...alert.transfers].sort(), rounds.map((t) => t.id).sort());
  assert.equal(alert.metrics.passes, 2);
  assert.match(
    alert.explanation,
    /^mule passed on 9,800 USDT of 10,000 USDT it received, in 2 passes, holding it 30 min/,
  );
});
