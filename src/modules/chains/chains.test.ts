import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CHAINS,
  type Chain,
  chainFamily,
  EVM_CHAINS,
  isChain,
  isEvmChain,
  resolveChainCode,
  type TokenCode,
} from './chains.js';

describe('resolveChainCode', () => {
  const cases: [string, Chain | TokenCode][] = [
    ['XBT', 'bitcoin'],
    ['BTC', 'bitcoin'],
    ['ETH', 'ethereum'],
    ['ETC', 'ethereum-classic'],
    ['BSC', 'bsc'],
    ['BNB', 'bsc'],
    ['BEP20', 'bsc'],
    ['BEP-20', 'bsc'],
    ['BEP2', 'bnb-beacon'],
    ['ARB', 'arbitrum'],
    ['MATIC', 'polygon'],
    ['POL', 'polygon'],
    ['OP', 'optimism'],
    ['AVAX', 'avalanche'],
    ['TRX', 'tron'],
    ['TRON', 'tron'],
    ['TRC20', 'tron'],
    ['ERC20', 'ethereum'],
    ['LTC', 'litecoin'],
    ['BCH', 'bitcoin-cash'],
    ['BSV', 'bitcoin-sv'],
    ['BTG', 'bitcoin-gold'],
    ['DASH', 'dash'],
    ['ZEC', 'zcash'],
    ['DOGE', 'dogecoin'],
    ['SOL', 'solana'],
    ['XRP', 'xrp'],
    ['XMR', 'monero'],
    ['XVG', 'verge'],
    ['USDT', 'token'],
    ['USDC', 'token'],
    ['DAI', 'token'],
    ['BUSD', 'token'],
    ['USDH', 'token'],
  ];
  for (const [code, expected] of cases) {
    test(`${code} → ${expected}`, () => {
      assert.equal(resolveChainCode(code), expected);
      assert.equal(resolveChainCode(code.toLowerCase()), expected);
    });
  }

  test('is case-insensitive and ignores surrounding whitespace', () => {
    assert.equal(resolveChainCode('Xbt'), 'bitcoin');
    assert.equal(resolveChainCode(' trx\t'), 'tron');
    assert.equal(resolveChainCode('uSdT'), 'token');
  });

  test('accepts every canonical chain id, in any case', () => {
    for (const chain of CHAINS) {
      assert.equal(resolveChainCode(chain), chain);
      assert.equal(resolveChainCode(chain.toUpperCase()), chain);
    }
  });

  test('unknown, empty and oversized codes resolve to undefined', () => {
    for (const code of ['', ' ', 'FOO', 'BTCX', 'bitcoin cash', 'ethereum:', 'x'.repeat(10_000)]) {
      assert.equal(resolveChainCode(code), undefined, JSON.stringify(code.slice(0, 20)));
    }
  });
});

describe('chain registry', () => {
  test('chain ids are unique, lower-case kebab-case', () => {
    assert.equal(new Set(CHAINS).size, CHAINS.length);
    for (const chain of CHAINS) assert.match(chain, /^[a-z]+(-[a-z]+)*$/);
  });

  test('isEvmChain holds exactly for the EVM chains', () => {
    const evm = CHAINS.filter((c) => isEvmChain(c));
    assert.deepEqual(evm, [...EVM_CHAINS]);
    assert.deepEqual([...EVM_CHAINS].sort(), [
      'arbitrum',
      'avalanche',
      'base',
      'bsc',
      'ethereum',
      'ethereum-classic',
      'optimism',
      'polygon',
    ]);
    assert.equal(isEvmChain('tron'), false);
    assert.equal(isEvmChain('ETH'), false);
  });

  test('chainFamily', () => {
    for (const chain of EVM_CHAINS) assert.equal(chainFamily(chain), 'evm');
    const expected: [Chain, string][] = [
      ['bitcoin', 'bitcoin-like'],
      ['litecoin', 'bitcoin-like'],
      ['bitcoin-cash', 'bitcoin-like'],
      ['bitcoin-sv', 'bitcoin-like'],
      ['bitcoin-gold', 'bitcoin-like'],
      ['dash', 'bitcoin-like'],
      ['zcash', 'bitcoin-like'],
      ['dogecoin', 'bitcoin-like'],
      ['verge', 'bitcoin-like'],
      ['tron', 'tron'],
      ['solana', 'solana'],
      ['xrp', 'xrp'],
      ['monero', 'monero'],
      ['bnb-beacon', 'cosmos'],
    ];
    for (const [chain, family] of expected) assert.equal(chainFamily(chain), family, chain);
    assert.equal(expected.length + EVM_CHAINS.length, CHAINS.length);
  });

  test('isChain accepts only exact ids', () => {
    assert.equal(isChain('bitcoin'), true);
    assert.equal(isChain('Bitcoin'), false);
    assert.equal(isChain('BTC'), false);
  });
});
