import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { normalizeAddress } from './address.js';
import {
  blockHeader,
  blockTransfers,
  type DecodeContext,
  decodeTransferLog,
  ERC20_TRANSFER_TOPIC,
  evmAddressKey,
  type RpcBlock,
  type RpcLog,
  type RpcReceipt,
  tokenTable,
  tronAddressFromHex,
  tronAddressKey,
  tronAddressToHex,
  valueTransactionHashes,
} from './follower-decode.js';

const TOKEN = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
const ALICE = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const BOB = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8';
const TX1 = `0x${'11'.repeat(32)}`;
const TX2 = `0x${'22'.repeat(32)}`;
const BLOCK_HASH = `0x${'bb'.repeat(32)}`;

const topicOf = (address: string) => `0x${'0'.repeat(24)}${address.slice(2)}`;
const word = (n: bigint) => `0x${n.toString(16).padStart(64, '0')}`;

const ctx: DecodeContext = {
  chain: 'ethereum',
  tokens: tokenTable('ethereum', [{ contract: TOKEN, symbol: 'usdt', decimals: 6 }]),
  native: { symbol: 'ETH', decimals: 18 },
  addressKey: evmAddressKey,
};

function log(over: Partial<RpcLog> = {}): RpcLog {
  return {
    address: TOKEN,
    topics: [ERC20_TRANSFER_TOPIC, topicOf(ALICE), topicOf(BOB)],
    data: word(1_250_500_000n),
    logIndex: '0x3',
    transactionHash: TX1,
    blockHash: BLOCK_HASH,
    blockNumber: '0x10',
    ...over,
  };
}

describe('ERC-20 transfer topic', () => {
  test('is keccak256 of the event signature', () => {
    const digest = Buffer.from(keccak_256(new TextEncoder().encode('Transfer(address,address,uint256)')));
    assert.equal(ERC20_TRANSFER_TOPIC, `0x${digest.toString('hex')}`);
  });
});

describe('decodeTransferLog', () => {
  test('a configured token transfer becomes a transfer with id <tx>:<logIndex> and evm keys', () => {
    const d = decodeTransferLog(log(), 1_700_000_000, ctx);
    assert.deepEqual(d, {
      ok: true,
      logIndex: 3,
      transfer: {
        id: `${TX1}:3`,
        chain: 'ethereum',
        asset: 'USDT',
        decimals: 6,
        from: `evm:${ALICE}`,
        to: `evm:${BOB}`,
        amountBase: 1_250_500_000n,
        timestamp: 1_700_000_000,
        tx: TX1,
      },
    });
  });

  test('amounts above 2^53 stay exact', () => {
    const big = 2n ** 200n + 1n;
    const d = decodeTransferLog(log({ data: word(big) }), 1, ctx);
    assert.ok(d.ok);
    assert.equal(d.transfer.amountBase, big);
  });

  test('upper-case hex in the node answer gives the same lower-case keys and ids', () => {
    const d = decodeTransferLog(
      log({
        address: TOKEN.toUpperCase().replace('0X', '0x'),
        transactionHash: TX1.toUpperCase().replace('0X', '0x'),
      }),
      1,
      ctx,
    );
    assert.ok(d.ok);
    assert.equal(d.transfer.id, `${TX1}:3`);
  });

  const skips: [string, Partial<RpcLog>, string][] = [
    ['another contract', { address: BOB }, 'not-configured'],
    [
      'an ERC-721 transfer (token id as a fourth topic)',
      { topics: [ERC20_TRANSFER_TOPIC, topicOf(ALICE), topicOf(BOB), word(7n)], data: '0x' },
      'not-erc20-transfer',
    ],
    [
      'another event of the token',
      { topics: [`0x${'8c'.repeat(32)}`, topicOf(ALICE), topicOf(BOB)] },
      'not-erc20-transfer',
    ],
    ['a log removed by the node', { removed: true }, 'removed'],
    [
      'an address topic with non-zero padding',
      { topics: [ERC20_TRANSFER_TOPIC, `0x${'ff'.repeat(12)}${ALICE.slice(2)}`, topicOf(BOB)] },
      'malformed',
    ],
    ['data that is not one word', { data: `${word(5n)}00` }, 'malformed'],
    ['a pending log without index', { logIndex: null }, 'malformed'],
    ['a zero amount (address-poisoning dust)', { data: word(0n) }, 'zero-amount'],
  ];
  for (const [name, over, reason] of skips) {
    test(`skips ${name}`, () => {
      assert.deepEqual(decodeTransferLog(log(over), 1, ctx), { ok: false, reason });
    });
  }
});

describe('TRON addresses', () => {
  // USDT's TRON contract, and the all-zero address.
  const pairs: [hex41: string, base58: string][] = [
    ['41a614f803b6fd780986a42c78ec9c7f77e6ded13c', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'],
    ['410000000000000000000000000000000000000000', 'T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb'],
  ];
  for (const [hex41, base58] of pairs) {
    test(`${base58} ⇔ ${hex41}`, () => {
      const jsonRpc = `0x${hex41.slice(2)}`;
      assert.equal(tronAddressFromHex(jsonRpc), base58);
      assert.equal(tronAddressFromHex(jsonRpc.toUpperCase().replace('0X', '0x')), base58);
      assert.equal(tronAddressKey(jsonRpc), `tron:${base58}`);
      // the key is the one the rest of cordon computes for either spelling
      const fromBase58 = normalizeAddress(base58, 'tron');
      const fromHex = normalizeAddress(hex41, 'tron');
      assert.ok(fromBase58.ok && fromHex.ok);
      assert.equal(fromBase58.key, tronAddressKey(jsonRpc));
      assert.equal(fromHex.key, tronAddressKey(jsonRpc));
      for (const spelling of [base58, hex41, `0x${hex41}`, jsonRpc]) {
        assert.equal(tronAddressToHex(spelling), jsonRpc, spelling);
      }
    });
  }

  test('a base58 address with a broken checksum or the wrong version is refused', () => {
    assert.equal(tronAddressToHex('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u'), undefined);
    assert.equal(tronAddressToHex('1BoatSLRHtKNngkdXEeobR76b53LETtpyT'), undefined);
    assert.equal(tronAddressToHex('42a614f803b6fd780986a42c78ec9c7f77e6ded13c'), undefined);
  });

  test('a TRON follower decodes logs into tron: keys', () => {
    const tron: DecodeContext = {
      chain: 'tron',
      tokens: tokenTable('tron', [
        { contract: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', symbol: 'USDT', decimals: 6 },
      ]),
      native: { symbol: 'TRX', decimals: 6 },
      addressKey: tronAddressKey,
    };
    const d = decodeTransferLog(
      log({
        address: '0xa614f803b6fd780986a42c78ec9c7f77e6ded13c',
        topics: [
          ERC20_TRANSFER_TOPIC,
          topicOf(`0x${'00'.repeat(20)}`),
          topicOf('0xa614f803b6fd780986a42c78ec9c7f77e6ded13c'),
        ],
      }),
      1,
      tron,
    );
    assert.ok(d.ok);
    assert.equal(d.transfer.from, 'tron:T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb');
    assert.equal(d.transfer.to, 'tron:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t');
    assert.equal(d.transfer.chain, 'tron');
  });
});

describe('tokenTable', () => {
  test('keys TRON contracts given in base58 or hex by their JSON-RPC form', () => {
    const t = tokenTable('tron', [
      { contract: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', symbol: 'USDT', decimals: 6 },
      { contract: '0x410000000000000000000000000000000000000000', symbol: 'ZERO', decimals: 0 },
    ]);
    assert.deepEqual([...t.keys()], ['0xa614f803b6fd780986a42c78ec9c7f77e6ded13c', `0x${'00'.repeat(20)}`]);
  });

  const bad: [
    string,
    Parameters<typeof tokenTable>[0],
    { contract: string; symbol: string; decimals: number },
  ][] = [
    [
      'a TRON address on ethereum',
      'ethereum',
      { contract: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', symbol: 'USDT', decimals: 6 },
    ],
    [
      'a failing EIP-55 checksum',
      'ethereum',
      { contract: '0xdAC17F958D2ee523a2206206994597C13D831ec8', symbol: 'USDT', decimals: 6 },
    ],
    ['negative decimals', 'ethereum', { contract: TOKEN, symbol: 'USDT', decimals: -1 }],
    ['fractional decimals', 'ethereum', { contract: TOKEN, symbol: 'USDT', decimals: 1.5 }],
    ['an empty symbol', 'ethereum', { contract: TOKEN, symbol: ' ', decimals: 6 }],
  ];
  for (const [name, chain, token] of bad) {
    test(`refuses ${name}`, () => {
      assert.throws(() => tokenTable(chain, [token]), { code: 'follower.invalid_token' });
    });
  }

  test('refuses one contract listed twice in two spellings', () => {
    assert.throws(
      () =>
        tokenTable('ethereum', [
          { contract: TOKEN, symbol: 'A', decimals: 6 },
          { contract: TOKEN.toUpperCase().replace('0X', '0x'), symbol: 'B', decimals: 6 },
        ]),
      { code: 'follower.invalid_token' },
    );
  });
});

describe('blockTransfers', () => {
  const block = (transactions: RpcBlock['transactions']): RpcBlock => ({
    number: '0x10',
    hash: BLOCK_HASH,
    parentHash: `0x${'aa'.repeat(32)}`,
    timestamp: '0x6553f100',
    transactions,
  });
  const ok: RpcReceipt = { transactionHash: TX1, blockHash: BLOCK_HASH, status: '0x1' };

  test('reads the header', () => {
    assert.deepEqual(blockHeader(block([])), {
      number: 16,
      hash: BLOCK_HASH,
      parentHash: `0x${'aa'.repeat(32)}`,
      timestamp: 0x6553f100,
    });
  });

  test('a native transfer precedes its own token logs, which follow log order; value-free txs give none', () => {
    const b = block([
      { hash: TX2, from: BOB, to: TOKEN, value: '0x0' },
      { hash: TX1, from: ALICE, to: BOB, value: '0xde0b6b3a7640000' },
    ]);
    assert.deepEqual(valueTransactionHashes(b), [TX1]);
    const logs = [
      log({ logIndex: '0x5', transactionHash: TX1 }),
      log({ logIndex: '0x1', transactionHash: TX2 }),
      log({ logIndex: '0x4', transactionHash: TX1 }),
    ];
    const got = blockTransfers(b, logs, new Map([[TX1, ok]]), ctx);
    assert.deepEqual(
      got.transfers.map((t) => [t.id, t.asset, t.amountBase]),
      [
        [`${TX2}:1`, 'USDT', 1_250_500_000n],
        [`${TX1}:native`, 'ETH', 10n ** 18n],
        [`${TX1}:4`, 'USDT', 1_250_500_000n],
        [`${TX1}:5`, 'USDT', 1_250_500_000n],
      ],
    );
    assert.equal(got.transfers[1]?.timestamp, 0x6553f100);
  });

  test('a failed transaction moved no value', () => {
    const b = block([{ hash: TX1, from: ALICE, to: BOB, value: '0x1' }]);
    const got = blockTransfers(b, [], new Map([[TX1, { ...ok, status: '0x0' }]]), ctx);
    assert.deepEqual(got.transfers, []);
  });

  test('a receipt without status (before Byzantium) counts as success', () => {
    const b = block([{ hash: TX1, from: ALICE, to: BOB, value: '0x1' }]);
    const got = blockTransfers(b, [], new Map([[TX1, { transactionHash: TX1 }]]), ctx);
    assert.equal(got.transfers.length, 1);
  });

  test('value sent with a contract creation goes to the created contract', () => {
    const b = block([{ hash: TX1, from: ALICE, to: null, value: '0x5' }]);
    const got = blockTransfers(b, [], new Map([[TX1, { ...ok, contractAddress: TOKEN }]]), ctx);
    assert.equal(got.transfers[0]?.to, `evm:${TOKEN}`);
  });

  test('native transfers can be switched off', () => {
    const b = block([{ hash: TX1, from: ALICE, to: BOB, value: '0x1' }]);
    assert.deepEqual(blockTransfers(b, [], new Map(), { ...ctx, native: undefined }).transfers, []);
  });

  test('counts skipped logs by reason', () => {
    const b = block([{ hash: TX1, from: ALICE, to: TOKEN, value: '0x0' }]);
    const got = blockTransfers(b, [log({ data: word(0n) }), log({ address: BOB })], new Map(), ctx);
    assert.deepEqual(got.skipped, { 'zero-amount': 1, 'not-configured': 1 });
  });

  const broken: [string, RpcBlock, RpcLog[], Map<string, RpcReceipt>][] = [
    ['transaction hashes instead of objects', block([TX1]), [], new Map()],
    [
      'a value transaction without its receipt',
      block([{ hash: TX1, from: ALICE, to: BOB, value: '0x1' }]),
      [],
      new Map(),
    ],
    ['a log of a transaction not in the block', block([]), [log()], new Map()],
    ['a non-hex value', block([{ hash: TX1, from: ALICE, to: BOB, value: '12' }]), [], new Map()],
  ];
  for (const [name, b, logs, receipts] of broken) {
    test(`refuses ${name}`, () => {
      assert.throws(() => blockTransfers(b, logs, receipts, ctx), { code: 'follower.bad_rpc_answer' });
    });
  }

  test('refuses a block without a hash (pending)', () => {
    assert.throws(() => blockHeader({ ...block([]), hash: null }), { code: 'follower.bad_rpc_answer' });
  });
});
