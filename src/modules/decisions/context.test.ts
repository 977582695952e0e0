import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextFromJson, contextToJson } from './context.js';
import { testContext } from './testing.js';

const viaJson = (v: unknown) =>
  JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x))) as unknown;

test('contextToJson gives what a JSON round trip gives, bigints as numbers', () => {
  const ctx = testContext({ transfer: { amountUsd: 1234.5 } });
  const json = contextToJson(ctx);
  assert.deepEqual(json, viaJson(ctx));
  assert.equal(typeof (json as { customer: { kycLevel: unknown } }).customer.kycLevel, 'number');
  assert.deepEqual(contextFromJson(json), contextFromJson(viaJson(ctx)));
});

test('contextToJson follows JSON for awkward values: undefined, non-finite, dates, nested arrays', () => {
  const odd = {
    ...testContext({}),
    extra: {
      missing: undefined,
      fn: () => 1,
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      when: new Date('2026-03-01T00:00:00Z'),
      list: [1n, undefined, [2n, null], { a: undefined, b: 'x' }],
    },
  };
  const json = contextToJson(odd as never);
  assert.deepEqual(json, viaJson(odd));
  assert.deepEqual((json as { extra: unknown }).extra, {
    nan: null,
    inf: null,
    when: '2026-03-01T00:00:00.000Z',
    list: [1, null, [2, null], { b: 'x' }],
  });
});
