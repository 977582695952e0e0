import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  contextFromJson,
  contextToJson,
  emptyAggregates,
  ZERO_CATEGORY,
  ZERO_CATEGORY_JSON,
} from './context.js';
import { buildDecisionContext } from './pipeline.js';
import { exposureReport, hit, TRON, testContext, testCustomer } from './testing.js';
import { normalizeTransferRequest } from './transfer-input.js';

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

test('contextToJson of a built context: a JSON round trip, unexposed categories shared, JSON.stringify needs no replacer', () => {
  const hitA = {
    entityId: 'e1',
    entityName: 'E1',
    category: 'scam',
    source: 'vendor',
    versionId: 'v',
    confidence: 1,
  };
  const ctx = buildDecisionContext({
    customer: testCustomer(),
    transfer: normalizeTransferRequest({
      kind: 'deposit',
      clientId: 'd1',
      customerId: 'c1',
      chain: 'tron',
      asset: 'USDT',
      amount: '9500',
      counterparties: [TRON.clean, TRON.huione],
      tx: 'tx1',
      priceUsd: '1',
    }),
    screening: [
      { ok: true, key: `tron:${TRON.clean}`, hits: [] },
      { ok: true, key: `tron:${TRON.huione}`, hits: [hitA] },
    ],
    exposure: new Map([
      [
        `tron:${TRON.clean}`,
        exposureReport(`tron:${TRON.clean}`, 'incoming', [
          { entityId: 'm1', category: 'mixer', minHops: 2, share: 0.25 },
        ]),
      ],
    ]),
    aggregates: emptyAggregates(24),
    nowMs: Date.parse('2026-03-01T12:00:00Z'),
  });
  assert.equal(ctx.exposure.categories.sanctioned, ZERO_CATEGORY);
  assert.notEqual(ctx.exposure.categories.scam, ZERO_CATEGORY);
  const json = contextToJson(ctx) as { exposure: { categories: Record<string, unknown> } };
  assert.deepEqual(json, viaJson(ctx));
  assert.equal(JSON.stringify(json), JSON.stringify(viaJson(ctx)));
  assert.equal(json.exposure.categories.sanctioned, ZERO_CATEGORY_JSON);
});

test('contextToJson copies a section that is not plain data the JSON way (NaN, undefined, a date)', () => {
  const ctx = testContext({});
  const odd = {
    ...ctx,
    transfer: { ...ctx.transfer, amount: Number.NaN, extra: undefined, at: new Date(0) },
    screening: {
      ...ctx.screening,
      hits: [{ ...hit('scam', 'vendor'), confidence: Number.POSITIVE_INFINITY }],
    },
    customer: { ...ctx.customer, residence: undefined, createdAt: new Date(0) },
  };
  assert.deepEqual(contextToJson(odd as never), viaJson(odd));
});
