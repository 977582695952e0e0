import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatAmount, parseAmount } from './amount.js';

test('parseAmount: decimal strings and numbers become exact base units', () => {
  const cases: [unknown, number, bigint][] = [
    ['1250.00', 6, 1_250_000_000n],
    ['1250.5', 6, 1_250_500_000n],
    [' 7 ', 0, 7n],
    ['0.000001', 6, 1n],
    [1e-7, 8, 10n],
    [12.5, 2, 1250n],
    [1e21, 0, 10n ** 21n],
    ['1.000000000000000001', 18, 10n ** 18n + 1n],
    ['5.', 2, 500n],
  ];
  for (const [value, decimals, base] of cases) {
    assert.deepEqual(parseAmount(value, decimals), { ok: true, base }, String(value));
  }
});

test('parseAmount: names what is wrong and never rounds', () => {
  const cases: [unknown, number, string][] = [
    ['-1', 6, 'negative'],
    [-0.5, 6, 'negative'],
    ['abc', 6, 'not_numeric'],
    ['1e5', 6, 'not_numeric'],
    ['', 6, 'not_numeric'],
    [null, 6, 'not_numeric'],
    [Number.NaN, 6, 'not_numeric'],
    ['0.0000001', 6, 'too_precise'],
    ['0', 6, 'zero'],
    ['0.000', 6, 'zero'],
    ['9'.repeat(70), 0, 'too_large'],
    ['1'.padEnd(40, '0'), 0, 'too_large'],
  ];
  for (const [value, decimals, error] of cases) {
    const r = parseAmount(value, decimals);
    assert.equal(r.ok, false, String(value));
    if (!r.ok) assert.equal(r.error, error, String(value));
  }
  assert.deepEqual(parseAmount('0', 6, true), { ok: true, base: 0n });
});

test('formatAmount: trims trailing zeros and round-trips', () => {
  assert.equal(formatAmount(1_250_000_000n, 6), '1250');
  assert.equal(formatAmount(1_250_500_000n, 6), '1250.5');
  assert.equal(formatAmount(1n, 18), '0.000000000000000001');
  assert.equal(formatAmount(-15n, 1), '-1.5');
  for (const s of ['0.1', '123456789.123456', '1']) {
    const r = parseAmount(s, 6);
    assert.ok(r.ok);
    if (r.ok) assert.equal(formatAmount(r.base, 6), s);
  }
});
