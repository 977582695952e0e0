import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalEntityJson, canonicalJson, contentHash } from './canonical.js';
import { emptyEntity, type ListEntity } from './model.js';

function sample(): ListEntity {
  const e = emptyEntity('ofac-sdn', '27307', 'organization');
  e.names.push(
    { value: 'LAZARUS GROUP', kind: 'primary' },
    { value: 'HIDDEN COBRA', kind: 'strong_alias', lang: 'en' },
  );
  e.dates.push({ kind: 'incorporation', value: '2007', note: 'circa' });
  e.countries.push({ country: 'KP', role: 'location' });
  e.identifiers.push({ type: 'website', value: 'example.invalid', issuer: undefined as unknown as string });
  e.addresses.push({ full: 'Pyongyang', country: 'KP' });
  e.cryptoAddresses.push({ currency: 'ETH', address: '0x098B716B8Aaf21512996dC57EB0615e2383E2f96' });
  e.relations.push({ type: 'related', target: 'ofac-sdn:1', note: 'linked' });
  e.programs.push('OFAC:DPRK3');
  e.remarks = 'a.k.a. test';
  return e;
}

test('the fast entity serialisation gives the same bytes as the generic canonical form', () => {
  const e = sample();
  assert.equal(canonicalEntityJson(e), canonicalJson(e));
  // key order of the input does not matter
  const shuffled = Object.fromEntries(Object.entries(e).reverse()) as unknown as ListEntity;
  assert.equal(canonicalEntityJson(shuffled), canonicalJson(e));
});

test('an unexpected field is kept (generic path), so it is hashed and stored too', () => {
  const e = { ...sample(), extra: { b: 1, a: 2 } } as unknown as ListEntity;
  assert.match(canonicalEntityJson(e), /"extra":\{"a":2,"b":1\}/);
  const nested = sample();
  (nested.names[0] as unknown as Record<string, unknown>).script = 'Latn';
  assert.match(canonicalEntityJson(nested), /"script":"Latn"/);
});

test('the content hash ignores order but not content', () => {
  const a = contentHash(
    [
      ['x', '1'],
      ['y', '2'],
    ],
    ['h1'],
  );
  assert.equal(
    a,
    contentHash(
      [
        ['y', '2'],
        ['x', '1'],
      ],
      ['h1'],
    ),
  );
  assert.notEqual(
    a,
    contentHash(
      [
        ['x', '1'],
        ['y', '3'],
      ],
      ['h1'],
    ),
  );
});
