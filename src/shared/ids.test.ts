import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newId, randomBase32 } from './ids.js';

test('ids are time-ordered, well formed and never repeat, across many pool refills', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 20_000; i++) {
    const id = newId('dec', 1_767_225_600_000 + i);
    assert.match(id, /^dec_[0-9a-hjkmnp-tv-z]{26}$/);
    assert.equal(seen.has(id.slice(14)), false, 'the random part repeated');
    seen.add(id.slice(14));
  }
  assert.ok(newId('x', 1000) < newId('x', 2000));
});

test('randomBase32 gives the length asked for, also beyond the pool size', () => {
  assert.equal(randomBase32(5).length, 5);
  const long = randomBase32(10_000);
  assert.equal(long.length, 10_000);
  assert.match(long, /^[0-9a-hjkmnp-tv-z]+$/);
  assert.ok(new Set(long).size > 20, 'the long string is random, not one repeated byte');
});
