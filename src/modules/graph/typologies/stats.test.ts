import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, formatUnits, poissonTail, scoreOf, similarity } from './stats.js';

test('poissonTail: known values', () => {
  const cases: [number, number, number][] = [
    [0, 3, 1],
    [1, 1, 1 - Math.exp(-1)],
    [5, 0.3, 1.5785e-5],
    [10, 2, 4.6498e-5],
    [170, 150, 0.057888],
  ];
  for (const [k, lambda, p] of cases) {
    const got = poissonTail(k, lambda);
    assert.ok(Math.abs(got - p) / p < 0.01, `P(X ≥ ${k} | ${lambda}) = ${got}, expected ${p}`);
  }
  assert.equal(poissonTail(3, 0), 0);
});

test('similarity: equal amounts are 1, scattered ones fall to 0', () => {
  assert.equal(similarity([5, 5, 5]), 1);
  assert.ok(similarity([100, 101, 99]) > 0.98);
  assert.equal(similarity([1, 1000, 1, 1000, 1]), 0);
});

test('scores of raised alerts lie in [0.5, 1]', () => {
  assert.equal(scoreOf(-1), 0.5);
  assert.equal(scoreOf(0.5), 0.75);
  assert.equal(scoreOf(7), 1);
});

test('explanations print amounts and durations for people', () => {
  assert.equal(formatUnits(1_234_567.8, 'USDT'), '1,234,568 USDT');
  assert.equal(formatUnits(12.345, 'USD'), '12.35 USD');
  assert.equal(formatUnits(0.000123456, 'ETH'), '0.0001235 ETH');
  assert.equal(formatDuration(40), '40 s');
  assert.equal(formatDuration(2400), '40 min');
  assert.equal(formatDuration(5.5 * 3600), '5.5 h');
  assert.equal(formatDuration(3 * 86400), '3 days');
});
