import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Transfer } from '../transfer.js';
import { alertsOf, DAY, found, HOUR, quietMonth, tx } from './testing.js';

/** `n` distinct senders paying `to` between `at` and `at + spread`. */
function fanIn(to: string, n: number, at: number, spread: number, amount = 1000, prefix = 's'): Transfer[] {
  return Array.from({ length: n }, (_, i) =>
    tx(`${prefix}${i}-${to}`, to, amount + i, at + (spread * i) / Math.max(1, n - 1)),
  );
}

/** An exchange-like wallet: `perDay` different customers deposit every day for 30 days. */
function steadyHub(hub: string, perDay: number): Transfer[] {
  const out: Transfer[] = [];
  for (let d = 0; d < 30; d++)
    for (let k = 0; k < perDay; k++)
      out.push(tx(`cust${(d * perDay + k) % 300}`, hub, 50 + k, d * DAY + k * 2 * HOUR));
  return out;
}

describe('fan-in', () => {
  const cases: { name: string; transfers: Transfer[]; expect: string[] }[] = [
    {
      name: 'six senders within six hours',
      transfers: fanIn('hub', 6, 5 * DAY, 6 * HOUR),
      expect: ['hub:fan-in'],
    },
    { name: 'four senders are too few', transfers: fanIn('hub', 4, 5 * DAY, HOUR), expect: [] },
    {
      name: 'six senders spread over twelve days are no burst',
      transfers: fanIn('hub', 6, 2 * DAY, 12 * DAY),
      expect: [],
    },
    {
      name: 'one sender paying six times is not a fan',
      transfers: Array.from({ length: 6 }, (_, i) => tx('same', 'hub', 900, 5 * DAY + i * HOUR)),
      expect: [],
    },
    {
      name: 'a steady exchange deposit wallet is not a fan-in, whatever its busiest day',
      transfers: steadyHub('exchange', 8),
      expect: [],
    },
    {
      name: 'a burst into a mostly quiet address is one, despite its other traffic',
      transfers: [
        ...fanIn('collector', 8, 10 * DAY, 3 * HOUR),
        tx('friend1', 'collector', 40, 2 * DAY),
        tx('friend2', 'collector', 60, 20 * DAY),
        tx('friend3', 'collector', 70, 27 * DAY),
      ],
      expect: ['collector:fan-in'],
    },
    {
      name: 'three senders in USDT and three in TRX are two small fans, not one',
      transfers: [
        ...Array.from({ length: 3 }, (_, i) => tx(`u${i}`, 'hub', 100, 5 * DAY + i * HOUR, 'USDT')),
        ...Array.from({ length: 3 }, (_, i) => tx(`t${i}`, 'hub', 100, 5 * DAY + i * HOUR, 'TRX')),
      ],
      expect: [],
    },
    {
      name: 'two bursts ten days apart are two alerts',
      transfers: [
        ...fanIn('hub', 10, 3 * DAY, 2 * HOUR, 1000, 'a'),
        ...fanIn('hub', 10, 13 * DAY, 2 * HOUR, 1000, 'b'),
      ],
      expect: ['hub:fan-in', 'hub:fan-in'],
    },
    {
      name: 'overlapping windows of one burst are one alert',
      transfers: fanIn('hub', 15, 3 * DAY, 5 * DAY),
      expect: ['hub:fan-in'],
    },
  ];
  for (const c of cases)
    test(c.name, () => assert.deepEqual(found([...quietMonth(), ...c.transfers], 'fan-in'), c.expect));

  test('the alert names every transfer of the burst and explains it', () => {
    const burst = fanIn('hub', 7, 4 * DAY, 4 * HOUR);
    const [alert] = alertsOf([...quietMonth(), ...burst], 'fan-in');
    assert.ok(alert);
    assert.deepEqual([...alert.transfers].sort(), burst.map((t) => t.id).sort());
    assert.match(alert.explanation, /^7 distinct senders paid 7,021 USDT into hub within 4 h/);
    assert.ok(alert.score >= 0.5 && alert.score <= 1);
    assert.equal(alert.metrics.counterparties, 7);
  });

  test('the thresholds are configuration', () => {
    const burst = [...quietMonth(), ...fanIn('hub', 6, 5 * DAY, HOUR)];
    assert.deepEqual(found(burst, 'fan-in', { fanIn: { minCounterparties: 7 } }), []);
    const small = [...quietMonth(), ...fanIn('hub', 4, 5 * DAY, HOUR)];
    assert.deepEqual(found(small, 'fan-in'), []);
    assert.deepEqual(
      found(small, 'fan-in', { fanIn: { minCounterparties: 4 }, burst: { maxPValue: 0.001 } }),
      ['hub:fan-in'],
    );
  });
});

describe('fan-out', () => {
  const fanOut = (from: string, n: number, at: number, spread: number) =>
    Array.from({ length: n }, (_, i) => tx(from, `r${i}-${from}`, 700 + i, at + (spread * i) / (n - 1)));
  const cases: { name: string; transfers: Transfer[]; expect: string[] }[] = [
    {
      name: 'eight receivers within a day',
      transfers: fanOut('payer', 8, 6 * DAY, 20 * HOUR),
      expect: ['payer:fan-out'],
    },
    { name: 'four receivers are too few', transfers: fanOut('payer', 4, 6 * DAY, HOUR), expect: [] },
    {
      name: 'eight receivers over three weeks are no burst',
      transfers: fanOut('payer', 8, DAY, 21 * DAY),
      expect: [],
    },
    {
      name: 'an exchange paying withdrawals all month is not a fan-out',
      transfers: Array.from({ length: 240 }, (_, i) =>
        tx('exchange', `c${i % 200}`, 80 + (i % 13), i * 3 * HOUR),
      ),
      expect: [],
    },
  ];
  for (const c of cases)
    test(c.name, () => assert.deepEqual(found([...quietMonth(), ...c.transfers], 'fan-out'), c.expect));
});
