import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ListEntity } from '../../model.js';
import { fileSource } from '../testing.js';
import { parseFincen311Csv } from './csv.parse.js';
import { builtinHuioneSource, HUIONE_DESIGNATIONS } from './huione.js';

const ROWS = fileURLToPath(
  new URL('../../../../../../shared/data/fincen311/huione_group_rows.csv', import.meta.url),
);
const GROUP = 'fincen-311:huione-group';

function entity(id: string): ListEntity {
  const e = HUIONE_DESIGNATIONS.find((x) => x.id === `fincen-311:${id}`);
  assert.ok(e, `${id} missing`);
  return e;
}

function names(e: ListEntity): Set<string> {
  return new Set(e.names.map((n) => n.value.toLowerCase()));
}

describe('HUIONE_DESIGNATIONS', () => {
  test('eleven organizations under the Huione Group measure', () => {
    assert.equal(HUIONE_DESIGNATIONS.length, 11);
    assert.equal(new Set(HUIONE_DESIGNATIONS.map((e) => e.id)).size, 11);
    for (const e of HUIONE_DESIGNATIONS) {
      assert.equal(e.source, 'fincen-311');
      assert.equal(e.id, `fincen-311:${e.sourceId}`);
      assert.equal(e.kind, 'organization');
      assert.deepEqual(e.programs, ['FinCEN-311', 'FinCEN-311:Huione Group']);
      assert.match(
        e.sourceUrl ?? '',
        /^https:\/\/www\.federalregister\.gov\/d\/(2025-07837|2025-19571|2026-12794)$/,
      );
      assert.equal(e.names.filter((n) => n.kind === 'primary').length, 1);
      assert.ok(e.remarks);
    }
  });

  test('every name of the curated Huione rows is in the set, by name or alias', async () => {
    const known = new Set(HUIONE_DESIGNATIONS.flatMap((e) => [...names(e)]));
    const parsed: ListEntity[] = [];
    for await (const r of parseFincen311Csv([fileSource(ROWS)], () => {}))
      if (r.type === 'entity') parsed.push(r.entity);
    assert.equal(parsed.length, 11);
    for (const p of parsed) {
      for (const n of p.names)
        assert.ok(known.has(n.value.toLowerCase()), `${n.value} (${p.sourceId}) not in the built-in set`);
      // The built-in ids are the ids the CSV parser gives the same entities.
      assert.ok(
        HUIONE_DESIGNATIONS.some((e) => e.id === p.id),
        p.id,
      );
    }
  });

  test('every relation target exists in the set', () => {
    const ids = new Set(HUIONE_DESIGNATIONS.map((e) => e.id));
    for (const e of HUIONE_DESIGNATIONS) {
      assert.ok(e.relations.length > 0, e.id);
      for (const r of e.relations) {
        assert.ok(ids.has(r.target), `${e.id} → ${r.target}`);
        assert.notEqual(r.target, e.id);
      }
    }
  });

  test('from any arm the relations reach the group', () => {
    const byId = new Map(HUIONE_DESIGNATIONS.map((e) => [e.id, e]));
    for (const start of HUIONE_DESIGNATIONS) {
      const seen = new Set([start.id]);
      const queue = [start.id];
      while (queue.length > 0) {
        const id = queue.shift() as string;
        for (const r of byId.get(id)?.relations ?? []) {
          if (!seen.has(r.target)) {
            seen.add(r.target);
            queue.push(r.target);
          }
        }
      }
      assert.ok(seen.has(GROUP), start.id);
      assert.ok(
        start.id === GROUP || start.relations.some((r) => r.target === GROUP),
        `${start.id} links the group directly`,
      );
    }
  });

  test('relations come in matching pairs', () => {
    const inverse: Record<string, string> = {
      subsidiary_of: 'parent_of',
      parent_of: 'subsidiary_of',
      rebrand_of: 'rebranded_as',
      rebranded_as: 'rebrand_of',
      related: 'related',
      owner_of: 'owned_by',
      owned_by: 'owner_of',
    };
    for (const e of HUIONE_DESIGNATIONS) {
      for (const r of e.relations) {
        const other = HUIONE_DESIGNATIONS.find((x) => x.id === r.target);
        assert.ok(
          other?.relations.some((back) => back.target === e.id && back.type === inverse[r.type]),
          `${e.id} ${r.type} ${r.target} has no inverse`,
        );
      }
    }
  });

  test('the group, its script name and its arms', () => {
    const group = entity('huione-group');
    assert.deepEqual(group.names[0], { value: 'Huione Group', kind: 'primary' });
    assert.ok(group.names.some((n) => n.value === 'Huione Group Limited' && n.kind === 'strong_alias'));
    assert.ok(group.names.some((n) => n.value === '汇旺' && n.kind === 'original_script' && n.lang === 'zh'));
    assert.ok(group.names.some((n) => n.value === 'Huiwang'));
    assert.deepEqual(
      group.countries.map((c) => c.country),
      ['KH', 'HK'],
    );
    for (const arm of [
      'huione-pay-plc',
      'h-pay-service-plc',
      'huione-crypto',
      'haowang-guarantee',
      'huione-labs',
      'huione-international-payments',
    ]) {
      assert.ok(
        entity(arm).relations.some((r) => r.type === 'subsidiary_of' && r.target === GROUP),
        arm,
      );
      assert.ok(
        group.relations.some((r) => r.type === 'parent_of' && r.target === `fincen-311:${arm}`),
        arm,
      );
    }
  });

  test('H-Pay is the rebrand of Huione Pay', () => {
    const hpay = entity('h-pay-service-plc');
    assert.ok(
      hpay.relations.some((r) => r.type === 'rebrand_of' && r.target === 'fincen-311:huione-pay-plc'),
    );
    assert.ok(
      entity('huione-pay-plc').relations.some((r) => r.type === 'rebranded_as' && r.target === hpay.id),
    );
    assert.deepEqual(hpay.identifiers, [{ type: 'registration', value: '00074959', issuer: 'KH' }]);
    assert.ok(names(hpay).has('h-pay'));
    assert.match(entity('huione-pay-plc').remarks ?? '', /revoked as of March 2025/);
  });

  test('Haowang Guarantee keeps its former name, in Latin and Chinese script', () => {
    const haowang = entity('haowang-guarantee');
    assert.deepEqual(
      haowang.names.filter((n) => n.kind === 'former_name').map((n) => n.value),
      ['Huione Guarantee', '汇旺担保'],
    );
    assert.match(haowang.remarks ?? '', /19 October 2024/);
  });

  test('Huione Crypto: Polish registration and its aliases', () => {
    const crypto = entity('huione-crypto');
    assert.deepEqual(crypto.identifiers, [{ type: 'registration', value: '0001043802', issuer: 'PL' }]);
    for (const n of [
      'Huione Exchange',
      'Huione Crypto Sp. z o.o.',
      'Huione Crypto Spółka Z Ograniczoną Odpowiedzialnością',
    ]) {
      assert.ok(names(crypto).has(n.toLowerCase()), n);
    }
    assert.match(entity('huione-labs').remarks ?? '', /USDH/);
    assert.deepEqual(entity('huione-pay-inc').countries, [{ country: 'CA', role: 'registration' }]);
  });
});

describe('builtinHuioneSource', () => {
  test('yields the set as entity records, as copies', () => {
    const records = builtinHuioneSource();
    assert.equal(records.length, HUIONE_DESIGNATIONS.length);
    const first = records[0];
    assert.ok(first && first.type === 'entity');
    if (first.type === 'entity') {
      assert.deepEqual(first.entity, HUIONE_DESIGNATIONS[0]);
      first.entity.names.push({ value: 'changed', kind: 'weak_alias' });
      assert.ok(!HUIONE_DESIGNATIONS[0]?.names.some((n) => n.value === 'changed'));
    }
  });
});
