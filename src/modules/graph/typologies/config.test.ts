import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CordonError } from '../../../shared/errors.js';
import { DEFAULT_TYPOLOGY_CONFIG, parseDurationSeconds, parseTypologyConfig } from './config.js';
import { TYPOLOGIES } from './model.js';

test('config: nothing to override gives the defaults', () => {
  assert.equal(parseTypologyConfig(undefined), DEFAULT_TYPOLOGY_CONFIG);
  assert.deepEqual(parseTypologyConfig({}), DEFAULT_TYPOLOGY_CONFIG);
});

test('config: a nested override keeps the other fields of its section', () => {
  const c = parseTypologyConfig({ fanIn: { minCounterparties: 8 }, minScore: 0.6 });
  assert.equal(c.fanIn.minCounterparties, 8);
  assert.equal(c.fanIn.windowSeconds, DEFAULT_TYPOLOGY_CONFIG.fanIn.windowSeconds);
  assert.equal(c.fanOut.minCounterparties, DEFAULT_TYPOLOGY_CONFIG.fanOut.minCounterparties);
  assert.equal(c.minScore, 0.6);
});

test('config: structuring thresholds replace one symbol at a time, upper-cased', () => {
  const c = parseTypologyConfig({ structuring: { thresholds: { trx: [50_000], USDT: ['15000'] } } });
  assert.deepEqual(c.structuring.thresholds.TRX, [50_000]);
  assert.deepEqual(c.structuring.thresholds.USDT, [15_000]);
  assert.deepEqual(c.structuring.thresholds.USDC, [10_000, 3_000]);
});

test('config: typologies are kept in detector order', () => {
  assert.deepEqual(parseTypologyConfig({ typologies: ['fan-out', 'cycle'] }).typologies, [
    'cycle',
    'fan-out',
  ]);
  assert.deepEqual(DEFAULT_TYPOLOGY_CONFIG.typologies, TYPOLOGIES);
});

const bad: [string, unknown, RegExp][] = [
  ['an unknown section', { fanin: {} }, /fanin is not a typology setting/],
  ['an unknown field', { fanIn: { minSenders: 3 } }, /fanIn\.minSenders is not a setting/],
  [
    'a string for a number',
    { fanIn: { minCounterparties: '5' } },
    /fanIn\.minCounterparties must be a number/,
  ],
  ['a fractional count', { fanIn: { minCounterparties: 2.5 } }, /whole number/],
  ['a share above one', { passThrough: { minShare: 1.5 } }, /between 0 and 1/],
  ['a negative window', { cycle: { windowSeconds: -1 } }, /> 0 seconds/],
  ['an unknown typology', { typologies: ['smurfing'] }, /typologies must be a list of/],
  ['hops in the wrong order', { cycle: { minHops: 5, maxHops: 3 } }, /minHops ≤ maxHops/],
  ['a zero threshold', { structuring: { thresholds: { USDT: [0] } } }, /amounts must be > 0/],
  ['not an object', [1, 2], /config must be an object/],
];
for (const [name, value, message] of bad) {
  test(`config: rejects ${name}, naming the field`, () => {
    assert.throws(
      () => parseTypologyConfig(value),
      (e: unknown) =>
        e instanceof CordonError && e.code === 'config.invalid_typology' && message.test(e.message),
    );
  });
}

test('durations: units and plain seconds', () => {
  const cases: [string, number][] = [
    ['90', 90],
    ['90s', 90],
    ['45m', 2700],
    ['1.5h', 5400],
    ['3d', 259_200],
    ['1w', 604_800],
  ];
  for (const [text, seconds] of cases) assert.equal(parseDurationSeconds(text), seconds, text);
  for (const text of ['', 'soon', '-3h', '0', '3 days'])
    assert.throws(() => parseDurationSeconds(text, '--window'), /--window: .* is not a duration/, text);
});
