import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Transfer } from '../transfer.js';
import { parseTypologyConfig } from './config.js';
import { detectTypologies } from './detect.js';
import { alertsOf, DAY, found, HOUR, quietMonth, tx } from './testing.js';

interface Chain {
  hops: number;
  peel?: number;
  keep?: number;
  gap?: number;
  funded?: boolean;
}

/** A chain from `origin`: each hop peels `peel` of what it holds to a shop and passes `keep` on. */
function peelChain(
  origin: string,
  { hops, peel = 0.05, keep, gap = 2 * HOUR, funded = true }: Chain,
): Transfer[] {
  const out: Transfer[] = [];
  let amount = 100_000;
  const at = 4 * DAY;
  if (funded) out.push(tx('funder', origin, amount, at - HOUR));
  let holder = origin;
  for (let i = 0; i < hops; i++) {
    const peeled = amount * peel;
    const next = `${origin}-hop${i + 1}`;
    out.push(tx(holder, `shop${i}`, peeled, at + i * gap));
    amount = keep === undefined ? amount - peeled : amount * keep;
    out.push(tx(holder, next, amount, at + i * gap));
    holder = next;
  }
  return out;
}

const cases: { name: string; transfers: Transfer[]; expect: string[] }[] = [
  {
    name: 'five peeling hops from a funded origin',
    transfers: peelChain('origin', { hops: 5 }),
    expect: ['origin:peel-chain'],
  },
  {
    name: 'the origin is found when its funding is not in the data',
    transfers: peelChain('origin', { hops: 4, funded: false }),
    expect: ['origin:peel-chain'],
  },
  { name: 'two peeling hops are too few', transfers: peelChain('origin', { hops: 2 }), expect: [] },
  {
    name: 'splitting in halves is not peeling',
    transfers: peelChain('origin', { hops: 5, peel: 0.45 }),
    expect: [],
  },
  {
    name: 'a hop passing on 60 % after a 5 % peel loses a third: not conserved',
    transfers: peelChain('origin', { hops: 5, keep: 0.6 }),
    expect: [],
  },
  {
    name: 'hops three days apart are not one chain',
    transfers: peelChain('origin', { hops: 5, gap: 3 * DAY }),
    expect: [],
  },
];
for (const c of cases)
  test(`peel-chain: ${c.name}`, () =>
    assert.deepEqual(found([...quietMonth(), ...c.transfers], 'peel-chain'), c.expect));

test('peel-chain: the alert has the chain and every peel, not the funding', () => {
  const chain = peelChain('origin', { hops: 6 });
  const [alert] = alertsOf([...quietMonth(), ...chain], 'peel-chain');
  assert.ok(alert);
  assert.equal(alert.metrics.peelingHops, 6);
  assert.equal(alert.metrics.peels, 6);
  for (const t of chain.slice(1)) assert.ok(alert.transfers.includes(t.id), t.id);
  assert.match(alert.explanation, /^100,000 USDT went down a chain of 6 peeling hops from origin/);
});

test('peel-chain: the hops are not also reported as pass-throughs', () => {
  const config = parseTypologyConfig({ typologies: ['peel-chain', 'rapid-pass-through'] });
  const alerts = detectTypologies([...quietMonth(), ...peelChain('origin', { hops: 6 })], config);
  assert.deepEqual(
    alerts.map((a) => a.typology),
    ['peel-chain'],
  );
});
