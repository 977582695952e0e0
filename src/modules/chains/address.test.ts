import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { base58, base58xmr, hex } from '@scure/base';
import { type AddressErrorCode, addressKey, inferChains, normalizeAddress } from './address.js';
import { type Chain, EVM_CHAINS, resolveChainCode } from './chains.js';

// ---- real sanctioned addresses -----------------------------------------------------------------

const DATA = new URL('../../../../shared/data/ofac_crypto/', import.meta.url);
const B10C_DIR = new URL('0xb10c_lists_2024-09-27/', DATA);
const SDN_CSV = new URL('ofac_sdn_crypto_addresses_2026-09-18_nonBTC.csv', DATA);

interface Listed {
  source: string;
  currency: string;
  address: string;
}

function loadListed(): Listed[] {
  const out: Listed[] = [];
  for (const file of readdirSync(B10C_DIR).sort()) {
    const m = /^sanctioned_addresses_([A-Z0-9]+)\.txt$/.exec(file);
    if (!m?.[1]) continue;
    for (const line of readFileSync(new URL(file, B10C_DIR), 'utf8').split('\n')) {
      if (line.trim() !== '') out.push({ source: '0xb10c', currency: m[1], address: line.trim() });
    }
  }
  const lines = readFileSync(SDN_CSV, 'utf8').split('\n');
  assert.equal(lines[0], 'chain,address,name,program');
  for (const line of lines.slice(1)) {
    if (line.trim() === '') continue;
    const [currency = '', address = ''] = line.split(',', 2);
    out.push({ source: 'sdn-2026', currency, address });
  }
  return out;
}

/**
 * Listed addresses that do not validate for their listed currency, with the expected code. Both are
 * errors in the source list (OFAC's sdn_advanced.xml as extracted by 0xB10C), not in the codecs.
 */
const KNOWN_BAD: ReadonlyMap<string, AddressErrorCode> = new Map<string, AddressErrorCode>([
  // A TRON address (valid base58check, version 0x41) listed under XBT.
  ['XBT TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq', 'address.chain_mismatch'],
  // 64 hex digits under XMR: a transaction id / key, not a Monero address.
  ['XMR 5be5543ff73456ab9f2d207887e2af87322c651ea1a873c5b25b7ffae456c320', 'address.invalid_format'],
]);

/** Chains a listed currency may resolve to (tokens: wherever the address format points). */
function allowedChains(currency: string): readonly Chain[] | 'any' {
  const target = resolveChainCode(currency);
  assert.ok(target !== undefined, `unknown listed currency ${currency}`);
  if (target === 'token') return 'any';
  if (currency === 'BNB') return ['bsc', 'bnb-beacon'];
  return [target];
}

describe('every real sanctioned address validates for its listed currency', () => {
  const listed = loadListed();

  test('both sources are present and complete', () => {
    assert.equal(listed.filter((l) => l.source === '0xb10c').length, 654);
    assert.equal(listed.filter((l) => l.source === 'sdn-2026').length, 507);
  });

  for (const source of ['0xb10c', 'sdn-2026']) {
    test(`${source}: all addresses but the known list errors`, (t) => {
      const counts = new Map<string, { ok: number; bad: number }>();
      for (const { currency, address } of listed.filter((l) => l.source === source)) {
        const r = normalizeAddress(address, currency);
        const count = counts.get(currency) ?? { ok: 0, bad: 0 };
        counts.set(currency, count);
        const known = KNOWN_BAD.get(`${currency} ${address}`);
        if (known !== undefined) {
          assert.equal(r.ok, false, `${currency} ${address} was expected to fail`);
          assert.equal(r.ok ? undefined : r.code, known, `${currency} ${address}`);
          count.bad++;
          t.diagnostic(`${currency} ${address}: ${r.ok ? '' : `${r.code}: ${r.reason}`}`);
          continue;
        }
        assert.ok(r.ok, `${currency} ${address}: ${r.ok ? '' : `${r.code}: ${r.reason}`}`);
        const allowed = allowedChains(currency);
        if (allowed !== 'any') assert.ok(allowed.includes(r.chain), `${currency} ${address} → ${r.chain}`);
        // Normalising the normalized form with the resolved chain is a fixed point.
        const again = normalizeAddress(r.normalized, r.chain);
        assert.ok(again.ok && again.key === r.key && again.normalized === r.normalized, r.normalized);
        count.ok++;
      }
      const summary = [...counts]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([c, n]) => `${c} ${n.ok}/${n.ok + n.bad}`)
        .join(', ');
      t.diagnostic(`${source}: ${summary}`);
    });
  }

  test('every mixed-case ETH address passes EIP-55 and loses validity when one letter flips case', () => {
    const mixed = listed.filter(
      (l) => l.currency === 'ETH' && /[a-f]/.test(l.address.slice(2)) && /[A-F]/.test(l.address),
    );
    assert.ok(mixed.length >= 100, `only ${mixed.length} mixed-case ETH addresses`);
    for (const { address } of mixed) {
      assert.ok(normalizeAddress(address, 'ETH').ok, address);
      const i = address.slice(2).search(/[a-fA-F]/) + 2;
      const ch = address[i] ?? '';
      const flipped =
        address.slice(0, i) +
        (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase()) +
        address.slice(i + 1);
      const r = normalizeAddress(flipped, 'ETH');
      assert.equal(r.ok ? 'ok' : r.code, 'address.invalid_checksum', flipped);
    }
  });

  test('USDT lists carry Ethereum, TRON and Omni (bitcoin) addresses', () => {
    const chains = new Set<string>();
    for (const l of listed.filter((x) => x.currency === 'USDT')) {
      const r = normalizeAddress(l.address, 'USDT');
      if (r.ok) chains.add(r.chain);
    }
    assert.deepEqual([...chains].sort(), ['bitcoin', 'ethereum', 'tron']);
  });
});

// ---- EVM ---------------------------------------------------------------------------------------

describe('EVM addresses', () => {
  const SIM_HYON_SOP = '0x4f47bc496083c727c5fbe3ce9cdf2b0f6496270c'; // listed under ETH, ARB and BSC

  test('EIP-55 test vectors pass; the all-lower and all-upper forms too', () => {
    for (const a of [
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
      '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
      '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
    ]) {
      const lower = `0x${a.slice(2).toLowerCase()}`;
      for (const form of [a, lower, `0x${a.slice(2).toUpperCase()}`]) {
        const r = normalizeAddress(form);
        assert.ok(r.ok, form);
        assert.deepEqual(r, {
          ok: true,
          chain: 'ethereum',
          family: 'evm',
          normalized: lower,
          key: `evm:${lower}`,
        });
      }
    }
  });

  test('a flipped letter case fails with address.invalid_checksum', () => {
    const r = normalizeAddress('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD', 'ETH');
    assert.equal(r.ok ? 'ok' : r.code, 'address.invalid_checksum');
  });

  test('one address on ETH, BSC, ARB (and without hint) is one key; the chain follows the hint', () => {
    const eth = normalizeAddress(SIM_HYON_SOP, 'ETH');
    const bsc = normalizeAddress(SIM_HYON_SOP, 'BSC');
    const arb = normalizeAddress(SIM_HYON_SOP, 'ARB');
    assert.ok(eth.ok && bsc.ok && arb.ok);
    assert.equal(eth.key, `evm:${SIM_HYON_SOP}`);
    assert.equal(bsc.key, eth.key);
    assert.equal(arb.key, eth.key);
    assert.equal(addressKey(SIM_HYON_SOP), eth.key);
    assert.equal(addressKey(SIM_HYON_SOP.toUpperCase().replace('0X', '0x'), 'MATIC'), eth.key);
    assert.deepEqual([eth.chain, bsc.chain, arb.chain], ['ethereum', 'bsc', 'arbitrum']);
    for (const chain of EVM_CHAINS) assert.equal(addressKey(SIM_HYON_SOP, chain), eth.key);
  });

  test('an address-poisoning look-alike (same first 6 and last 4 characters) gets a different key', () => {
    const real = SIM_HYON_SOP;
    const lookAlike = `${real.slice(0, 6)}${'e'.repeat(32)}${real.slice(-4)}`;
    assert.equal(lookAlike.length, 42);
    const a = normalizeAddress(real);
    const b = normalizeAddress(lookAlike);
    assert.ok(a.ok && b.ok);
    assert.notEqual(a.key, b.key);
  });

  test('malformed hex is invalid_format', () => {
    for (const a of [
      '0x4f47bc496083c727c5fbe3ce9cdf2b0f6496270', // 39 digits
      '0x4f47bc496083c727c5fbe3ce9cdf2b0f6496270c0', // 41 digits
      '0x4f47bc496083c727c5fbe3ce9cdf2b0f6496270g',
      '0X4f47bc496083c727c5fbe3ce9cdf2b0f6496270c',
      '4f47bc496083c727c5fbe3ce9cdf2b0f6496270c',
    ]) {
      const r = normalizeAddress(a, 'ETH');
      assert.equal(r.ok ? 'ok' : r.code, 'address.invalid_format', a);
    }
  });

  test('inferChains lists every EVM chain, Ethereum first', () => {
    assert.deepEqual(inferChains(SIM_HYON_SOP), [...EVM_CHAINS]);
    assert.equal(inferChains(SIM_HYON_SOP)[0], 'ethereum');
  });
});

// ---- TRON --------------------------------------------------------------------------------------

describe('TRON addresses', () => {
  const TRON = 'TBHTJqAy4DhHhmT3dNceJYNRz4SdLofLre'; // 0xB10C TRX list
  const hexForm = hex.encode(base58.decode(TRON).subarray(0, 21));

  test('hex form (41…, 0x41…, either case) and base58 give the same key and normalized form', () => {
    assert.ok(hexForm.startsWith('41') && hexForm.length === 42);
    const b58 = normalizeAddress(TRON, 'TRX');
    assert.ok(b58.ok);
    assert.equal(b58.key, `tron:${TRON}`);
    for (const form of [hexForm, `0x${hexForm}`, hexForm.toUpperCase(), `0x${hexForm.toUpperCase()}`]) {
      const r = normalizeAddress(form, 'TRX');
      assert.deepEqual(r, b58, form);
      assert.deepEqual(normalizeAddress(form), b58, form);
    }
  });

  test('TRX and TRON hints and USDT (TRC-20) accept a TRON address', () => {
    for (const hint of ['TRX', 'tron', 'TRC20', 'USDT', 'USDH']) {
      const r = normalizeAddress(TRON, hint);
      assert.ok(r.ok && r.chain === 'tron' && r.family === 'tron', hint);
    }
  });

  test('TRON and EVM hints refuse each other with address.chain_mismatch naming both', () => {
    const a = normalizeAddress(TRON, 'ETH');
    assert.ok(!a.ok);
    assert.equal(a.code, 'address.chain_mismatch');
    assert.match(a.reason, /tron/);
    assert.match(a.reason, /ethereum/);
    const b = normalizeAddress('0x4f47bc496083c727c5fbe3ce9cdf2b0f6496270c', 'TRX');
    assert.ok(!b.ok && b.code === 'address.chain_mismatch');
    assert.match(b.reason, /ethereum.*tron/);
  });

  test('a hex form that is not 41 + 40 digits is rejected', () => {
    const r = normalizeAddress(`0x42${hexForm.slice(2)}`, 'TRX');
    assert.equal(r.ok ? 'ok' : r.code, 'address.invalid_format');
  });
});

// ---- bech32, cashaddr, base58check ---------------------------------------------------------------

describe('bech32 / bech32m (BIP-173, BIP-350)', () => {
  const P2WPKH = 'bc1q05aktddf9ce4p7hh3stgsf253m4vweu7nkhtmw'; // 0xB10C XBT list
  const P2WSH = 'bc1q4rzdtlt0uslyw86cp29sctl6ct29g9a95cuup7pn5md9ddj7xgmqpp5m73'; // 0xB10C XBT list

  test('upper-case input is normalised to lower case, with the same key', () => {
    for (const a of [P2WPKH, P2WSH]) {
      const lower = normalizeAddress(a, 'XBT');
      const upper = normalizeAddress(a.toUpperCase(), 'XBT');
      assert.ok(lower.ok && upper.ok);
      assert.equal(upper.normalized, a);
      assert.equal(upper.key, `bitcoin:${a}`);
      assert.deepEqual(upper, lower);
    }
  });

  test('mixed case is rejected', () => {
    const r = normalizeAddress(`BC1Q${P2WPKH.slice(4)}`);
    assert.equal(r.ok ? 'ok' : r.code, 'address.invalid_format');
  });

  test('valid BIP-173 / BIP-350 vectors', () => {
    for (const a of [
      'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4',
      'bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y',
      'BC1SW50QGDZ25J',
      'bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs',
      'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
    ]) {
      const r = normalizeAddress(a, 'BTC');
      assert.ok(r.ok, `${a}: ${r.ok ? '' : r.reason}`);
      assert.equal(r.normalized, a.toLowerCase());
    }
  });

  test('invalid BIP-173 / BIP-350 vectors', () => {
    const cases: [string, string][] = [
      ['bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd', 'address.invalid_checksum'], // v1 with bech32
      ['BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL', 'address.invalid_checksum'], // v16 with bech32
      ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh', 'address.invalid_checksum'], // v0 with bech32m
      ['bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4', 'address.invalid_format'], // 'o'
      ['BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R', 'address.invalid_format'], // v17
      ['bc1pw5dgrnzv', 'address.invalid_format'], // 1-byte program
      ['BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P', 'address.invalid_format'], // v0 16-byte program
      ['bc1gmk9yu', 'address.invalid_format'], // empty data
      ['tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx', 'address.invalid_format'], // testnet
      [`${P2WPKH.slice(0, -1)}x`, 'address.invalid_checksum'],
    ];
    for (const [a, code] of cases) {
      const r = normalizeAddress(a, 'BTC');
      assert.equal(r.ok ? 'ok' : r.code, code, a);
    }
  });

  test('litecoin ltc1 and BNB Beacon Chain bnb1 addresses', () => {
    const ltc = normalizeAddress('LTC1QR8NTSEDQ8TV0SVMXQHZVDCDL5K7KNTDMNHWEP7', 'LTC');
    assert.ok(ltc.ok);
    assert.equal(ltc.key, 'litecoin:ltc1qr8ntsedq8tv0svmxqhzvdcdl5k7kntdmnhwep7');
    assert.deepEqual(inferChains('ltc1qr8ntsedq8tv0svmxqhzvdcdl5k7kntdmnhwep7'), ['litecoin']);
    const bnb = normalizeAddress('bnb136ns6lfw4zs5hg4n85vdthaad7hq5m4gtkgf23', 'BNB');
    assert.ok(bnb.ok && bnb.chain === 'bnb-beacon');
    const asBsc = normalizeAddress('bnb136ns6lfw4zs5hg4n85vdthaad7hq5m4gtkgf23', 'BSC');
    assert.equal(asBsc.ok ? 'ok' : asBsc.code, 'address.chain_mismatch');
  });
});

describe('Bitcoin Cash cashaddr', () => {
  // Pairs from the cashaddr specification: legacy base58 ↔ cashaddr of the same hash.
  const pairs: [string, string][] = [
    ['1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu', 'qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a'],
    ['1KXrWXciRDZUpQwQmuM1DbwsKDLYAYsVLR', 'qr95sy3j9xwd2ap32xkykttr4cvcu7as4y0qverfuy'],
    ['16w1D5WRVKJuZUsSRzdLp9w3YGcgoxDXb', 'qqq3728yw0y47sqn6l2na30mcw6zm78dzqre909m2r'],
    ['3CWFddi6m4ndiGyKqzYvsFYagqDLPVMTzC', 'ppm2qsznhks23z7629mms6s4cwef74vcwvn0h829pq'],
  ];

  test('legacy and cashaddr (with or without prefix, either case) of one hash share a key', () => {
    for (const [legacy, cash] of pairs) {
      const expected = normalizeAddress(`bitcoincash:${cash}`);
      assert.ok(expected.ok, cash);
      assert.equal(expected.key, `bitcoin-cash:${cash}`);
      assert.equal(expected.normalized, `bitcoincash:${cash}`);
      for (const form of [cash, cash.toUpperCase(), `BITCOINCASH:${cash.toUpperCase()}`]) {
        assert.deepEqual(normalizeAddress(form, 'BCH'), expected, form);
      }
      assert.deepEqual(normalizeAddress(legacy, 'BCH'), expected, legacy);
      // Without a hint a legacy address reads as bitcoin first.
      assert.equal(addressKey(legacy), `bitcoin:${legacy}`);
    }
  });

  test('real BCH cashaddrs validate; a changed character is invalid_checksum', () => {
    const cash = 'qpf2cphc5dkuclkqur7lhj2yuqq9pk3hmukle77vhq'; // 0xB10C BCH list
    assert.ok(normalizeAddress(cash, 'BCH').ok);
    const bad = `${cash.slice(0, 10)}${cash[10] === 'q' ? 'p' : 'q'}${cash.slice(11)}`;
    const r = normalizeAddress(bad, 'BCH');
    assert.equal(r.ok ? 'ok' : r.code, 'address.invalid_checksum');
  });

  test('unknown prefixes, testnet prefixes and mixed case are rejected', () => {
    for (const a of [
      'bchtest:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a',
      'bitcoin:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a',
      'bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6A',
      'bitcoincash::qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a',
    ]) {
      const r = normalizeAddress(a, 'BCH');
      assert.equal(r.ok ? 'ok' : r.code, 'address.invalid_format', a);
    }
  });
});

/** Replaces the character at `pos` by its neighbour in the alphabet (the lower one when possible). */
function mutate(address: string, alphabet: string, pos: number): string {
  const at = pos < 0 ? address.length + pos : pos;
  const i = alphabet.indexOf(address[at] ?? '');
  assert.ok(i >= 0);
  return address.slice(0, at) + alphabet[i > 0 ? i - 1 : i + 1] + address.slice(at + 1);
}

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const XRP = 'rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz';

describe('base58check chains', () => {
  // Real listed addresses: [hint, address, chain, key].
  const real: [string, string, Chain][] = [
    ['XBT', '123WBUDmSJv4GctdVEz6Qq6z8nXSKrJ4KX', 'bitcoin'],
    ['XBT', '31nadacWrgPeAQxKRMabhn3fPhnhi3hjKa', 'bitcoin'],
    ['LTC', 'LNf2JDiuunBz7GMDKFYHN4rq5meXWxiwfb', 'litecoin'],
    ['LTC', 'M8yFL6SFC6TreATegTyuSYkDfDRbisdpT3', 'litecoin'],
    ['BCH', '18M8bJWMzWHDBMxoLqjHHAffdRy4SrzkfB', 'bitcoin-cash'],
    ['BSV', '12sjrrhoFEsedNRhtgwvvRqjFTh8fZTDX9', 'bitcoin-sv'],
    ['BTG', 'GPwg61XoHqQPNmAucFACuQ5H9sGCDv9TpS', 'bitcoin-gold'],
    ['DASH', 'XnPFsRWTaSgiVauosEwQ6dEitGYXgwznz2', 'dash'],
    ['ZEC', 't1MMXtBrSp1XG38Lx9cePcNUCJj5vdWfUWL', 'zcash'],
    ['DOGE', 'DHzAVdEoL3PjGeLWNdEJwwMA1CeQ9J9Cpo', 'dogecoin'],
    ['XVG', 'DFFJhnQNZf8rf67tYnesPu7MuGUpYtzv7Z', 'verge'],
    ['TRX', 'TBHTJqAy4DhHhmT3dNceJYNRz4SdLofLre', 'tron'],
    ['XRP', 'rnXyVQzgxZe7TR1EPzTkGj2jxH4LMJYh66', 'xrp'],
  ];

  for (const [hint, address, chain] of real) {
    test(`${hint} ${address}: valid as ${chain}; one changed character is invalid_checksum`, () => {
      const r = normalizeAddress(address, hint);
      assert.ok(r.ok && r.chain === chain, `${address}: ${JSON.stringify(r)}`);
      if (chain !== 'bitcoin-cash') {
        assert.equal(r.normalized, address);
        assert.equal(r.key, `${chain}:${address}`);
      }
      const alphabet = chain === 'xrp' ? XRP : B58;
      for (const pos of [-1, 10]) {
        const bad = mutate(address, alphabet, pos);
        const b = normalizeAddress(bad, hint);
        assert.equal(b.ok ? 'ok' : b.code, 'address.invalid_checksum', bad);
        const unhinted = normalizeAddress(bad);
        assert.equal(unhinted.ok ? 'ok' : unhinted.code, 'address.invalid_checksum', bad);
      }
    });
  }

  test('base58 keys are case-sensitive', () => {
    const a = 'LNf2JDiuunBz7GMDKFYHN4rq5meXWxiwfb';
    const swapped = `${a.slice(0, 5)}${a.slice(5).toLowerCase()}`;
    assert.notEqual(addressKey(a, 'LTC'), addressKey(swapped, 'LTC'));
  });

  test('testnet versions are rejected', () => {
    for (const a of ['mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn', '2MzQwSSnBHWHqSAqtTVQ6v47XtaisrJa1Vc']) {
      const r = normalizeAddress(a, 'BTC');
      assert.ok(!r.ok);
      assert.equal(r.code, 'address.invalid_format');
      assert.match(r.reason, /testnet/);
    }
  });

  test('a listed chain the address does not belong to is chain_mismatch naming both', () => {
    const cases: [string, string, RegExp][] = [
      ['LNf2JDiuunBz7GMDKFYHN4rq5meXWxiwfb', 'BTC', /litecoin.*bitcoin/],
      ['XnPFsRWTaSgiVauosEwQ6dEitGYXgwznz2', 'DOGE', /dash.*dogecoin/],
      ['DHzAVdEoL3PjGeLWNdEJwwMA1CeQ9J9Cpo', 'LTC', /dogecoin, verge.*litecoin/],
      ['123WBUDmSJv4GctdVEz6Qq6z8nXSKrJ4KX', 'LTC', /bitcoin.*litecoin/],
      ['rnXyVQzgxZe7TR1EPzTkGj2jxH4LMJYh66', 'SOL', /xrp.*solana/],
      ['42RLPACwZPx3vYYmxSueqsogfynBDqXK298EDsNoyoHi', 'ETH', /solana.*ethereum/],
    ];
    for (const [a, hint, reason] of cases) {
      const r = normalizeAddress(a, hint);
      assert.ok(!r.ok, a);
      assert.equal(r.code, 'address.chain_mismatch', a);
      assert.match(r.reason, reason);
    }
  });

  test('P2SH 3… is valid on Litecoin too (legacy form)', () => {
    const r = normalizeAddress('31nadacWrgPeAQxKRMabhn3fPhnhi3hjKa', 'LTC');
    assert.ok(r.ok && r.chain === 'litecoin');
    assert.equal(r.key, 'litecoin:31nadacWrgPeAQxKRMabhn3fPhnhi3hjKa');
  });

  test('USDT on Omni: a bitcoin address listed under USDT reads as bitcoin', () => {
    const r = normalizeAddress('16iWn2J1McqjToYLHSsAyS6En3QA8YQ91H', 'USDT');
    assert.ok(r.ok && r.chain === 'bitcoin');
  });
});

// ---- Monero, Solana ------------------------------------------------------------------------------

describe('Monero', () => {
  const STANDARD =
    '49HqitRzdnhYjgTEAhgGpCfsjdTeMbUTU6cyR4JV1R7k2Eej9rGT8JpFiYDa4tZM6RZiFrHmMzgSrhHEqpDYKBe5B2ufNsL';
  const SUBADDRESS =
    '884Bz8UH63aYsjVdkfWfScRYWZGGNbjFL7pztqvWNSrtYT4reFSwyvkCj9KEGUtheHhhMUj87ciTBFyzoesrMJ4L1FvSoxL';

  test('standard and subaddress validate, keys are case-sensitive', () => {
    for (const a of [STANDARD, SUBADDRESS]) {
      const r = normalizeAddress(a, 'XMR');
      assert.ok(r.ok && r.chain === 'monero' && r.family === 'monero');
      assert.equal(r.key, `monero:${a}`);
      assert.deepEqual(inferChains(a), ['monero']);
    }
  });

  test('an integrated address (106 characters) validates', () => {
    const std = base58xmr.decode(STANDARD);
    const body = new Uint8Array(73);
    body[0] = 19;
    body.set(std.subarray(1, 65), 1);
    body.set([1, 2, 3, 4, 5, 6, 7, 8], 65);
    const full = new Uint8Array(77);
    full.set(body);
    full.set(keccak_256(body).subarray(0, 4), 73);
    const integrated = base58xmr.encode(full);
    assert.equal(integrated.length, 106);
    assert.ok(normalizeAddress(integrated, 'XMR').ok);
    // The network byte must match the length: 19 is not valid in 95 characters.
    const r = normalizeAddress(integrated.slice(0, 95), 'XMR');
    assert.ok(!r.ok);
  });

  test('a changed character fails (checksum), a wrong network byte fails (format)', () => {
    const bad = mutate(STANDARD, B58, 20);
    const r = normalizeAddress(bad, 'XMR');
    assert.equal(r.ok ? 'ok' : r.code, 'address.invalid_checksum');
    const stagenet = `5${STANDARD.slice(1)}`;
    assert.equal(normalizeAddress(stagenet, 'XMR').ok, false);
  });
});

describe('Solana', () => {
  const SOL = [
    '42RLPACwZPx3vYYmxSueqsogfynBDqXK298EDsNoyoHi',
    '6wjqWWra8ombzaw6VHrG5xpQ972jCYF6bbHiFCbWmr4U',
    'Fc1EwQUZyTEagaDvA1utHXCcZNyG1x2PLt2DfNu1cJdH',
    'FuCC7GoYwt5TsNTjWL23Xx9UKCvC18chjMEFPL3vJDCC',
  ];

  test('32-byte base58 is solana, inferred only when nothing else fits', () => {
    for (const a of SOL) {
      assert.deepEqual(inferChains(a), ['solana']);
      const r = normalizeAddress(a, 'SOL');
      assert.ok(r.ok && r.key === `solana:${a}`);
    }
    assert.deepEqual(inferChains('11111111111111111111111111111111'), ['solana']); // system program
    assert.ok(!inferChains('123WBUDmSJv4GctdVEz6Qq6z8nXSKrJ4KX').includes('solana'));
  });

  test('base58 of another size is invalid_format', () => {
    const r = normalizeAddress(SOL[0]?.slice(0, 40) ?? '', 'SOL');
    assert.equal(r.ok ? 'ok' : r.code, 'address.invalid_format');
  });
});

// ---- inference, hints, bad input -----------------------------------------------------------------

describe('inferChains', () => {
  const cases: [string, Chain[]][] = [
    ['123WBUDmSJv4GctdVEz6Qq6z8nXSKrJ4KX', ['bitcoin', 'bitcoin-cash', 'bitcoin-sv']],
    ['31nadacWrgPeAQxKRMabhn3fPhnhi3hjKa', ['bitcoin', 'bitcoin-cash', 'bitcoin-sv', 'litecoin']],
    ['bc1q05aktddf9ce4p7hh3stgsf253m4vweu7nkhtmw', ['bitcoin']],
    ['LNf2JDiuunBz7GMDKFYHN4rq5meXWxiwfb', ['litecoin']],
    ['M8yFL6SFC6TreATegTyuSYkDfDRbisdpT3', ['litecoin']],
    ['XnPFsRWTaSgiVauosEwQ6dEitGYXgwznz2', ['dash']],
    ['t1MMXtBrSp1XG38Lx9cePcNUCJj5vdWfUWL', ['zcash']],
    ['DHzAVdEoL3PjGeLWNdEJwwMA1CeQ9J9Cpo', ['dogecoin', 'verge']],
    ['GPwg61XoHqQPNmAucFACuQ5H9sGCDv9TpS', ['bitcoin-gold']],
    ['TBHTJqAy4DhHhmT3dNceJYNRz4SdLofLre', ['tron']],
    ['rnXyVQzgxZe7TR1EPzTkGj2jxH4LMJYh66', ['xrp']],
    ['qpf2cphc5dkuclkqur7lhj2yuqq9pk3hmukle77vhq', ['bitcoin-cash']],
    ['not an address', []],
    ['', []],
  ];
  for (const [a, chains] of cases) {
    test(`${a || '(empty)'} → ${chains.join(', ') || 'none'}`, () => {
      assert.deepEqual(inferChains(a), chains);
      if (chains[0] !== undefined) {
        const r = normalizeAddress(a);
        assert.ok(r.ok && r.chain === chains[0]);
      }
    });
  }
});

describe('chain hints', () => {
  test('an unknown hint is address.unknown_chain, whatever the address', () => {
    for (const hint of ['FOO', '', 'bitcoin cash', 'x'.repeat(1000)]) {
      const r = normalizeAddress('123WBUDmSJv4GctdVEz6Qq6z8nXSKrJ4KX', hint);
      assert.equal(r.ok ? 'ok' : r.code, 'address.unknown_chain', hint.slice(0, 10));
      assert.equal(addressKey('123WBUDmSJv4GctdVEz6Qq6z8nXSKrJ4KX', hint), undefined);
    }
  });

  test('token hints resolve by address format', () => {
    const cases: [string, string, Chain][] = [
      ['USDT', '0x19aa5fe80d33a56d56c78e82ea5e50e5d80b4dff', 'ethereum'],
      ['USDC', '0x983a81ca6FB1e441266D2FbcB7D8E530AC2E05A2', 'ethereum'],
      ['DAI', '0x983a81ca6fb1e441266d2fbcb7d8e530ac2e05a2', 'ethereum'],
      ['USDT', 'TA3941uFAvmVibSkQ6fMJXxmaSNovX86mz', 'tron'],
      ['USDT', '3E6ZCKRrsdPc35chA9Eftp1h3DLW18NFNV', 'bitcoin'],
    ];
    for (const [hint, a, chain] of cases) {
      const r = normalizeAddress(a, hint);
      assert.ok(r.ok && r.chain === chain, `${hint} ${a}`);
    }
  });

  test('a token hint does not rescue an invalid address', () => {
    const r = normalizeAddress('0x983a81ca6FB1e441266D2FbcB7D8E530AC2E05a2', 'USDC');
    assert.equal(r.ok ? 'ok' : r.code, 'address.invalid_checksum');
  });
});

describe('bad input', () => {
  const cases: [string, string][] = [
    ['empty', ''],
    ['whitespace only', '   \t'],
    ['10 kB', `1${'A'.repeat(10_240)}`],
    ['130 characters', 'A'.repeat(130)],
    ['space inside', '123WBUDmSJv4Gctd VEz6Qq6z8nXSKrJ4KX'],
    ['tab inside', '0x4f47bc496083c727c5fbe3\tce9cdf2b0f6496270c'],
    ['newline inside', 'TBHTJqAy4DhHhmT3dNce\nJYNRz4SdLofLre'],
    ['zero-width space inside', 'TBHTJqAy4DhHhmT3dNce\u200bJYNRz4SdLofLre'],
    ['non-ASCII look-alike', 'TBHTJqAy4DhHhmT3dNceJYNRz4SdLofLrе'], // Cyrillic е
    ['punctuation', '123WBUDmSJv4GctdVEz6Qq6z8nXSKrJ4KX!'],
    ['base58 excluded letters', '123WBUDmSJv4GctdVEz6Qq6z8nXSKrJ40l'],
    ['random word', 'hello'],
  ];
  for (const [name, input] of cases) {
    test(`${name} is address.invalid_format, with and without a hint`, () => {
      for (const hint of [undefined, 'BTC', 'USDT']) {
        const r = normalizeAddress(input, hint);
        assert.equal(r.ok ? 'ok' : r.code, 'address.invalid_format', `${name} / ${hint}`);
        assert.ok(!r.ok && r.reason.length > 0 && r.reason.length < 200);
      }
      assert.deepEqual(inferChains(input), []);
      assert.equal(addressKey(input), undefined);
    });
  }

  test('a non-string value (from unchecked JSON) is invalid_format, not an exception', () => {
    for (const v of [undefined, null, 42, {}]) {
      const r = normalizeAddress(v as unknown as string, 'BTC');
      assert.equal(r.ok ? 'ok' : r.code, 'address.invalid_format');
    }
  });

  test('surrounding whitespace is trimmed', () => {
    const r = normalizeAddress('  TBHTJqAy4DhHhmT3dNceJYNRz4SdLofLre\n', 'TRX');
    assert.ok(r.ok && r.normalized === 'TBHTJqAy4DhHhmT3dNceJYNRz4SdLofLre');
  });

  test('a 10 kB input is rejected quickly', () => {
    const big = 'x'.repeat(10_240);
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) normalizeAddress(big, 'BTC');
    assert.ok(performance.now() - t0 < 1000);
  });
});
