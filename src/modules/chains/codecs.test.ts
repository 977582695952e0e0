import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sha256 } from '@noble/hashes/sha2.js';
import { base58, base58xrp, bech32, bech32m, createBase58check, hex } from '@scure/base';
import {
  BECH32_ALPHABET,
  convertBits,
  decodeBase58,
  decodeBech32,
  decodeCashaddr,
  decodeXrpBase58,
  encodeBase58check,
  encodeCashaddr,
  hasDoubleSha256Checksum,
  hasEip55Checksum,
  hexToBytes,
  toEip55,
} from './codecs.js';

/** Deterministic xorshift32 generator, so failures reproduce. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

function randomBytes(next: () => number, length: number, leadingZeros = 0): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = leadingZeros; i < length; i++) out[i] = next() & 0xff;
  return out;
}

describe('base58 (checked against @scure/base)', () => {
  test('decodeBase58 and decodeXrpBase58 invert the reference encoders', () => {
    const next = rng(58);
    for (let i = 0; i < 2000; i++) {
      const bytes = randomBytes(next, 1 + (next() % 40), next() % 4);
      assert.deepEqual(decodeBase58(base58.encode(bytes)), bytes);
      assert.deepEqual(decodeXrpBase58(base58xrp.encode(bytes)), bytes);
    }
  });

  test('characters outside the alphabet give undefined', () => {
    for (const s of ['0abc', 'abcO', 'Iabc', 'lll', 'ab c', 'aé']) assert.equal(decodeBase58(s), undefined);
    assert.equal(decodeXrpBase58('0rr'), undefined);
  });

  test('base58check encoding and checksum agree with the reference', () => {
    const reference = createBase58check(sha256);
    const next = rng(7);
    for (let i = 0; i < 500; i++) {
      const payload = randomBytes(next, 21);
      const encoded = encodeBase58check(payload);
      assert.equal(encoded, reference.encode(payload));
      const full = decodeBase58(encoded);
      assert.ok(full !== undefined && hasDoubleSha256Checksum(full));
      const at = next() % full.length;
      full[at] = (full[at] ?? 0) ^ (1 << (next() % 8));
      assert.equal(hasDoubleSha256Checksum(full), false);
    }
  });
});

describe('bech32 (checked against @scure/base)', () => {
  test('convertBits matches toWords / fromWords', () => {
    const next = rng(32);
    for (let i = 0; i < 1000; i++) {
      const bytes = randomBytes(next, next() % 70);
      const words = bech32.toWords(bytes);
      assert.deepEqual(convertBits(bytes, 8, 5, true), words);
      assert.deepEqual(Uint8Array.from(convertBits(words, 5, 8, false) ?? []), bytes);
    }
    assert.equal(convertBits([32], 5, 8, false), undefined); // out of range
    assert.equal(convertBits([1], 5, 8, false), undefined); // non-zero padding
  });

  test('decodeBech32 reads both variants and rejects every single-character change', () => {
    const next = rng(173);
    for (let i = 0; i < 300; i++) {
      const coder = i % 2 === 0 ? bech32 : bech32m;
      const words = Array.from({ length: 1 + (next() % 50) }, () => next() & 31);
      const s = coder.encode(['bc', 'ltc', 'bnb', 'x'][i % 4] ?? 'bc', words);
      const r = decodeBech32(s);
      assert.ok(r.ok, s);
      assert.equal(r.variant, i % 2 === 0 ? 'bech32' : 'bech32m');
      assert.deepEqual(r.words, words);
      const at = s.lastIndexOf('1') + 1 + (next() % (s.length - s.lastIndexOf('1') - 1));
      const old = BECH32_ALPHABET.indexOf(s[at] ?? '');
      const changed = s.slice(0, at) + BECH32_ALPHABET[(old + 1 + (next() % 31)) % 32] + s.slice(at + 1);
      const bad = decodeBech32(changed);
      assert.ok(!bad.ok && bad.checksum, changed);
    }
  });
});

describe('cashaddr', () => {
  test('round-trips every hash size and type; any single-character change breaks the checksum', () => {
    const next = rng(1);
    for (const size of [20, 24, 28, 32, 40, 48, 56, 64]) {
      for (const type of [0, 1, 2, 3]) {
        const hash = randomBytes(next, size);
        const payload = encodeCashaddr(type, hash);
        const r = decodeCashaddr(payload);
        assert.ok(r.ok, payload);
        assert.equal(r.type, type);
        assert.deepEqual(r.hash, hash);
        for (let at = 0; at < payload.length; at += 5) {
          const old = BECH32_ALPHABET.indexOf(payload[at] ?? '');
          const changed = payload.slice(0, at) + BECH32_ALPHABET[(old + 7) % 32] + payload.slice(at + 1);
          const bad = decodeCashaddr(changed);
          assert.ok(!bad.ok && bad.checksum, changed);
        }
      }
    }
  });
});

describe('hex and EIP-55', () => {
  test('hexToBytes matches the reference', () => {
    const next = rng(16);
    for (let i = 0; i < 200; i++) {
      const bytes = randomBytes(next, 21);
      assert.deepEqual(hexToBytes(hex.encode(bytes)), bytes);
      assert.deepEqual(hexToBytes(`0x${hex.encode(bytes).toUpperCase()}`, 2), bytes);
    }
  });

  test('toEip55 output always passes hasEip55Checksum; flipping any letter fails it', () => {
    const next = rng(55);
    for (let i = 0; i < 200; i++) {
      const body = hex.encode(randomBytes(next, 20));
      const mixed = toEip55(body).slice(2);
      assert.ok(hasEip55Checksum(mixed));
      const at = mixed.search(/[a-fA-F]/);
      if (at < 0) continue;
      const ch = mixed[at] ?? '';
      const flipped =
        mixed.slice(0, at) +
        (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase()) +
        mixed.slice(at + 1);
      assert.equal(hasEip55Checksum(flipped), false);
    }
    assert.equal(
      toEip55('5aaeb6053f3e94c9b9a09f33669435e7ef1beaed'),
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    );
  });
});
