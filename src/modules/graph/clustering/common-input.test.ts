import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeCommonInput } from './common-input.js';
import { DEFAULT_COINJOIN } from './model.js';
import { utxo } from './testing.js';

const BTC = 100_000_000;
type Leg = readonly [string, number];
const repeat = (n: number, f: (i: number) => Leg): Leg[] => Array.from({ length: n }, (_, i) => f(i));

const cases: {
  name: string;
  tx: ReturnType<typeof utxo>;
  expected: 'merge' | 'single-input' | 'single-owner' | 'coinjoin';
  pattern?: string;
}[] = [
  {
    name: 'an ordinary payment with two inputs merges them',
    tx: utxo(
      'pay',
      [
        ['1A', 30_000],
        ['1B', 50_000],
      ],
      [
        ['1Shop', 70_000],
        ['1Change', 9_000],
      ],
    ),
    expected: 'merge',
  },
  {
    name: 'a consolidation of many inputs into one output merges them all',
    tx: utxo(
      'consolidate',
      repeat(40, (i) => [`1In${i}`, 10_000]),
      [['1Cold', 399_000]],
    ),
    expected: 'merge',
  },
  {
    name: 'a batch payout with two equal outputs is not a mix (needs three)',
    tx: utxo(
      'batch',
      [
        ['1A', BTC],
        ['1B', BTC],
        ['1C', BTC],
      ],
      [
        ['1X', 50_000],
        ['1Y', 50_000],
        ['1Z', 2 * BTC],
      ],
    ),
    expected: 'merge',
  },
  {
    name: 'one input: nothing to merge',
    tx: utxo('single', [['1A', 10_000]], [['1B', 9_000]]),
    expected: 'single-input',
  },
  {
    name: 'several inputs from one address: nothing to merge',
    tx: utxo(
      'same',
      [
        ['1A', 10_000],
        ['1A', 20_000],
      ],
      [['1B', 29_000]],
    ),
    expected: 'single-owner',
  },
  {
    name: 'Whirlpool 5 × 5: five inputs, five equal outputs',
    tx: utxo(
      'whirlpool',
      repeat(5, (i) => [`1W${i}`, 5_000_000 + i * 1000]),
      repeat(5, (i) => [`1P${i}`, 5_000_000]),
    ),
    expected: 'coinjoin',
    pattern: 'equal-outputs',
  },
  {
    name: 'JoinMarket: three takers, three equal outputs and two change outputs',
    tx: utxo(
      'joinmarket',
      [
        ['1J0', 30_000_000],
        ['1J1', 12_000_000],
        ['1J2', 11_000_000],
        ['1J3', 20_000_000],
      ],
      [
        ['1O0', 10_000_000],
        ['1O1', 10_000_000],
        ['1O2', 10_000_000],
        ['1C0', 19_990_000],
        ['1C1', 1_990_000],
      ],
    ),
    expected: 'coinjoin',
    pattern: 'equal-outputs',
  },
  {
    name: 'Wasabi 1: many inputs, 0.1 BTC outputs are half the outputs, the rest change',
    tx: utxo(
      'wasabi1',
      repeat(60, (i) => [`1Wa${i}`, 12_000_000 + i * 7]),
      [...repeat(50, (i) => [`1Mix${i}`, 10_000_000]), ...repeat(45, (i) => [`1Ch${i}`, 1_000_000 + i])],
    ),
    expected: 'coinjoin',
    pattern: 'equal-outputs',
  },
  {
    name: 'Wasabi 2: standard denominations, each repeated, no single majority amount',
    tx: utxo(
      'wasabi2',
      repeat(30, (i) => [`1Ww${i}`, 3_000_000 + i * 11]),
      [
        ...repeat(6, (i) => [`1D${i}`, 5_000_000]),
        ...repeat(6, (i) => [`1E${i}`, 2_000_000]),
        ...repeat(6, (i) => [`1F${i}`, 1_000_000]),
        ...repeat(6, (i) => [`1G${i}`, 100_000 + i]),
      ],
    ),
    expected: 'coinjoin',
    pattern: 'multi-denomination',
  },
];

for (const c of cases) {
  test(`analyzeCommonInput: ${c.name}`, () => {
    const d = analyzeCommonInput(c.tx, DEFAULT_COINJOIN);
    assert.equal(d.kind, c.expected, d.kind === 'merge' ? 'merged' : d.explanation);
    if (d.kind === 'merge') {
      assert.deepEqual(d.addresses, [...new Set(c.tx.inputs.map((i) => i.address))]);
    }
    if (d.kind === 'coinjoin') {
      assert.equal(d.match.pattern, c.pattern);
      assert.match(d.explanation, /^CoinJoin \(/);
    }
  });
}

test('analyzeCommonInput: the explanation gives the figures of the match', () => {
  const d = analyzeCommonInput(
    utxo(
      'w',
      repeat(5, (i) => [`1W${i}`, 5_001_000]),
      repeat(5, (i) => [`1P${i}`, 5_000_000]),
    ),
    DEFAULT_COINJOIN,
  );
  assert.equal(d.kind, 'coinjoin');
  assert.equal(
    d.kind === 'coinjoin' && d.explanation,
    'CoinJoin (equal-outputs): 5 distinct inputs, 5 of 5 outputs of 5000000; inputs not merged',
  );
});

test('analyzeCommonInput: thresholds are configuration', () => {
  const tx = utxo(
    't',
    [
      ['1A', 1],
      ['1B', 1],
      ['1C', 1],
    ],
    [
      ['1X', 7],
      ['1Y', 7],
      ['1Z', 7],
    ],
  );
  assert.equal(analyzeCommonInput(tx, DEFAULT_COINJOIN).kind, 'coinjoin');
  assert.equal(analyzeCommonInput(tx, { ...DEFAULT_COINJOIN, minEqualOutputs: 4 }).kind, 'merge');
});
