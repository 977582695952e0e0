import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { normalizeAddress } from '../chains/index.js';
import { type AddressRow, buildAddressIndex } from './address-index.js';

const FEED = fileURLToPath(
  new URL(
    '../../../../shared/data/ofac_crypto/ofac_sdn_crypto_addresses_2026-09-18_nonBTC.csv',
    import.meta.url,
  ),
);

function rowsFromFeed(): AddressRow[] {
  const out: AddressRow[] = [];
  for (const line of readFileSync(FEED, 'utf8').split('\n').slice(1)) {
    const [currency, address, name] = line.split(',');
    if (!currency || !address) continue;
    const n = normalizeAddress(address, currency);
    if (!n.ok) continue;
    out.push({
      versionId: 'ofac-crypto@test',
      source: 'ofac-crypto',
      currency,
      address,
      addressKey: n.key,
      entityId: name ?? 'OFAC SDN',
      category: 'sanctioned',
      confidence: 1,
      attributedBy: 'OFAC',
      validFrom: null,
      validTo: null,
    });
  }
  return out;
}

describe('address index on the 2026 OFAC feed', () => {
  const index = buildAddressIndex(rowsFromFeed(), (id) => id);
  const tron = 'TA3rH2A7iHnm6pKH8gr9cK1EZnShnmZdFg'; // ISIL Khorasan, listed under TRX

  test('a listed TRON address hits, with entity, category, list and version', () => {
    const r = index.screen(tron);
    assert.ok(r.ok);
    assert.equal(r.chain, 'tron');
    assert.deepEqual(
      r.hits.map((h) => [h.entityName, h.category, h.source, h.versionId]),
      [['ISIL Khorasan', 'sanctioned', 'ofac-crypto', 'ofac-crypto@test']],
    );
  });

  test('EVM: any case, any EVM chain hint, one hit', () => {
    const listed = readFileSync(FEED, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('ETH,'))
      ?.split(',')[1] as string;
    for (const [address, chain] of [
      [listed, undefined],
      [listed.toUpperCase().replace('0X', '0x'), 'ETH'],
      [listed, 'BSC'],
      [listed, 'arbitrum'],
      [listed, 'USDT'],
    ] as const) {
      const r = index.screen(address, chain);
      assert.ok(r.ok, `${address} ${chain}`);
      assert.ok(r.hits.length >= 1, `${chain ?? 'inferred'} finds the listing`);
    }
  });

  test('an address-poisoning look-alike (same first 6 and last 4 characters) does not match', () => {
    const middle = tron.slice(6, -4);
    const swapped = `${tron.slice(0, 6)}${[...middle].reverse().join('')}${tron.slice(-4)}`;
    const r = index.screen(swapped, 'TRX');
    assert.equal(r.ok, false, 'a look-alike fails its checksum');
    const evm = '0x098b716b8aaf21512996dc57eb0615e2383e2f96';
    const lookalike = `${evm.slice(0, 8)}${'0'.repeat(28)}${evm.slice(-6)}`;
    const r2 = index.screen(lookalike);
    assert.ok(r2.ok);
    assert.equal(r2.hits.length, 0);
  });

  test('invalid input is an error naming the problem, never a hit', () => {
    for (const [address, chain, code] of [
      ['', undefined, 'address.invalid_format'],
      ['x'.repeat(10_000), undefined, 'address.invalid_format'],
      [tron.replace('A3r', 'A3R'), 'TRX', 'address.invalid_checksum'],
      [tron, 'DOGEFAKECHAIN', 'address.unknown_chain'],
    ] as const) {
      const r = index.screen(address, chain);
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.code, code, `${address.slice(0, 20)} ${chain}`);
    }
  });
});

describe('address index: screening with the caller’s own check', () => {
  const index = buildAddressIndex(rowsFromFeed(), (id) => id);

  test('what normalizeAddress gave for the same arguments screens as screening from scratch', () => {
    const listed = 'TA3rH2A7iHnm6pKH8gr9cK1EZnShnmZdFg';
    for (const [address, chain] of [
      [listed, 'tron'],
      ['TKgJqZ1HCjDLH68VmB2ccYkkbkSRsLGk58', 'tron'],
      ['0x52908400098527886e0f7030069857d2e4169ee7', 'ethereum'],
    ] as const) {
      const checked = normalizeAddress(address, chain);
      assert.ok(checked.ok);
      assert.deepEqual(index.screen(address, chain, checked), index.screen(address, chain));
    }
    const hit = index.screen(listed, 'tron', normalizeAddress(listed, 'tron') as never);
    assert.ok(hit.ok && hit.hits.length === 1);
  });

  test('the check is used, not redone: the index looks up the key it is given', () => {
    const listed = normalizeAddress('TA3rH2A7iHnm6pKH8gr9cK1EZnShnmZdFg', 'tron');
    const clean = normalizeAddress('TKgJqZ1HCjDLH68VmB2ccYkkbkSRsLGk58', 'tron');
    assert.ok(listed.ok && clean.ok);
    // A caller that lied would be believed: the contract is that `checked` is the same call's answer.
    const r = index.screen('TKgJqZ1HCjDLH68VmB2ccYkkbkSRsLGk58', 'tron', listed);
    assert.ok(r.ok);
    assert.equal(r.hits.length, 1);
    assert.equal(index.screen('TKgJqZ1HCjDLH68VmB2ccYkkbkSRsLGk58', 'tron', clean).ok, true);
  });
});
