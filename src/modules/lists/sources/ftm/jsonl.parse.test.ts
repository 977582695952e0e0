import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CordonError } from '../../../../shared/errors.js';
import type { ListEntity, ParseWarning, SourceFile } from '../../model.js';
import { bytesSource, fileSource } from '../testing.js';
import { parseFtmJsonl } from './jsonl.parse.js';

const DATA = fileURLToPath(new URL('../../../../../../shared/data/opensanctions_ftm/', import.meta.url));
const ZAKHAROV = 'opensanctions:NK-aU5ybkbRFJucf8YMwsJvDw';
const ZALA = 'opensanctions:NK-abdzbEBkqyT29GyREbiURZ';
const KALASHNIKOV = 'opensanctions:NK-nR5AXM9AVPq4pQaSPSaVam';

async function parse(files: SourceFile[]): Promise<{ entities: ListEntity[]; warnings: ParseWarning[] }> {
  const entities: ListEntity[] = [];
  const warnings: ParseWarning[] = [];
  for await (const r of parseFtmJsonl(files, (w) => warnings.push(w))) {
    assert.equal(r.type, 'entity');
    if (r.type === 'entity') entities.push(r.entity);
  }
  return { entities, warnings };
}

function lines(...records: unknown[]): string {
  return `${records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n')}\n`;
}

function get(entities: ListEntity[], id: string): ListEntity {
  const e = entities.find((x) => x.id === id || x.sourceId === id);
  assert.ok(e, `${id} missing`);
  return e;
}

function kinds(entities: ListEntity[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of entities) out[e.kind] = (out[e.kind] ?? 0) + 1;
  return out;
}

const person = (id: string, name: string, extra: Record<string, string[]> = {}) => ({
  id,
  schema: 'Person',
  caption: name,
  properties: { name: [name], ...extra },
});

describe('parseFtmJsonl on the yente t1 fixture', async () => {
  const { entities, warnings } = await parse([fileSource(`${DATA}yente_t1_entities.ftm.json`)]);

  test('six entities: the Address record is not one', () => {
    assert.deepEqual(warnings, []);
    assert.equal(entities.length, 6);
    assert.deepEqual(kinds(entities), { organization: 2, person: 4 });
    for (const e of entities) {
      assert.equal(e.source, 'opensanctions');
      assert.equal(e.id, `opensanctions:${e.sourceId}`);
      assert.match(e.sourceId, /^NK-/);
    }
  });

  test('RAB „Inter Tobacco“ with its multilingual names', () => {
    const rab = get(entities, 'NK-2GdmHtZTeNXjNVrBGEXZNj');
    assert.equal(rab.kind, 'organization');
    assert.equal(rab.names.length, 12);
    assert.deepEqual(rab.names[0], { value: 'RAB „Inter Tobacco“', kind: 'primary' });
    assert.deepEqual(
      rab.names.filter((n) => n.kind === 'original_script').map((n) => n.value),
      [
        'Εταιρία περιορισμένης ευθύνης “Inter Tobacco”',
        'Общество с ограниченной ответственностью “Интер Тобако”',
        'Таварыства з абмежаванай адказнасцю “Інтэр Табак”',
        'Дружество с ограничена отговорност „Inter Tobacco“',
      ],
    );
    assert.ok(
      rab.names.some(
        (n) => n.value === 'Družba z omejeno odgovornostjo „Inter Tobacco“' && n.kind === 'strong_alias',
      ),
    );
    assert.deepEqual(rab.identifiers, [{ type: 'registration', value: '808000714' }]);
    assert.deepEqual(rab.countries, [{ country: 'BY', role: 'location' }]);
    assert.equal(rab.remarks, 'Belarus (Minsk Free Economic Zone)');
  });

  test('a person: birth date, gender, nationality, tax number', () => {
    const kuzmenko = get(entities, 'NK-2Ka3UvopqbpZmVDFjWd4LA');
    assert.equal(kuzmenko.kind, 'person');
    assert.equal(kuzmenko.names[0]?.value, 'Vitaly Yurievich KUZMENKO');
    assert.deepEqual(kuzmenko.dates, [{ kind: 'birth', value: '1971-01-22' }]);
    assert.equal(kuzmenko.gender, 'male');
    assert.deepEqual(kuzmenko.countries, [{ country: 'RU', role: 'nationality' }]);
    assert.deepEqual(kuzmenko.identifiers, [{ type: 'tax_id', value: '366510784303' }]);
  });
});

describe('parseFtmJsonl on the yente Zala cluster', async () => {
  const { entities, warnings } = await parse([fileSource(`${DATA}yente_zala_entities.ftm.json`)]);

  test('17 entities out of 91 records (links, sanctions, addresses folded in)', () => {
    assert.deepEqual(warnings, []);
    assert.equal(entities.length, 17);
    assert.deepEqual(kinds(entities), { organization: 11, person: 6 });
  });

  test('every relation points at an entity of the file', () => {
    const ids = new Set(entities.map((e) => e.id));
    for (const e of entities)
      for (const r of e.relations) assert.ok(ids.has(r.target), `${e.id} → ${r.target}`);
  });

  test('ownership becomes owned_by / owner_of on both ends', () => {
    const zala = get(entities, ZALA);
    const zakharov = get(entities, ZAKHAROV);
    assert.ok(
      zala.relations.some(
        (r) => r.type === 'owned_by' && r.target === KALASHNIKOV && r.note === 'Ownership: subsidiary of',
      ),
    );
    assert.ok(get(entities, KALASHNIKOV).relations.some((r) => r.type === 'owner_of' && r.target === ZALA));
    assert.ok(
      zala.relations.some(
        (r) =>
          r.type === 'owned_by' &&
          r.target === ZAKHAROV &&
          r.note === 'Ownership: 50%, 2015-11-25 to 2023-03-02',
      ),
    );
    assert.ok(zakharov.relations.some((r) => r.type === 'owner_of' && r.target === ZALA));
    // Directorship and Family are kept as related, with the link in the note.
    assert.ok(
      zakharov.relations.some(
        (r) => r.type === 'related' && r.target === ZALA && r.note === 'Directorship: Leader or official of',
      ),
    );
    assert.ok(zakharov.relations.some((r) => r.type === 'related' && r.note === 'Family: Family member of'));
  });

  test('sanctions become programs and the earliest listing date', () => {
    const zala = get(entities, ZALA);
    for (const p of [
      'EU-UKR',
      'US-RUSHAR',
      'GB-RUS',
      'SECO-UKRAINE',
      'CA-SEMA',
      'La Principauté de Monaco',
      'OFAC: Reciprocal',
    ]) {
      assert.ok(zala.programs.includes(p), p);
    }
    assert.equal(new Set(zala.programs).size, zala.programs.length);
    assert.equal(zala.listedOn, '2021-10-30');
  });

  test('names, identifiers and countries of Zala Aero and Zakharov', () => {
    const zala = get(entities, ZALA);
    assert.equal(zala.names[0]?.kind, 'primary');
    assert.ok(zala.names.some((n) => n.value === 'Zala Aero Group' && n.kind === 'strong_alias'));
    assert.ok(zala.names.some((n) => n.value === 'ЗАЛА АЭРО' && n.kind === 'original_script'));
    assert.ok(zala.names.some((n) => n.value === 'ザラ・アエロ・グループ' && n.kind === 'original_script'));
    assert.ok(zala.names.some((n) => n.value === 'ZALA' && n.kind === 'weak_alias'));
    assert.deepEqual(zala.dates, [{ kind: 'incorporation', value: '2010-12-24' }]);
    assert.ok(
      zala.identifiers.some((i) => i.type === 'tax_id' && i.value === '1841015504' && i.issuer === 'RU'),
    );
    assert.ok(
      zala.identifiers.some(
        (i) => i.type === 'registration' && i.value === '1101841007938' && i.issuer === 'RU',
      ),
    );
    assert.ok(zala.countries.some((c) => c.country === 'RU' && c.role === 'registration'));
    assert.ok(zala.addresses.length > 0);

    const zakharov = get(entities, ZAKHAROV);
    assert.equal(zakharov.kind, 'person');
    assert.equal(zakharov.gender, 'male');
    assert.deepEqual(zakharov.dates, [{ kind: 'birth', value: '1965-09-21' }]);
    assert.ok(zakharov.countries.some((c) => c.country === 'RU' && c.role === 'nationality'));
    assert.ok(
      zakharov.names.some(
        (n) => n.value === 'Александр Вячеславович Захаров' && n.kind === 'original_script',
      ),
    );
    const osetrova = get(entities, 'NK-2Tbri3s6GgNtAwsSXh4qpL');
    assert.ok(
      osetrova.names.some((n) => n.value === 'Maria Aleksandrovna Zakharova' && n.kind === 'former_name'),
    );
  });
});

describe('parseFtmJsonl contract', () => {
  test('a malformed line is a warning naming it; the rest of the file is read', async () => {
    const records = Array.from({ length: 19 }, (_, i) => person(`p${i}`, `Person ${i}`));
    const text = lines(...records.slice(0, 5), '{"id": "broken", ', ...records.slice(5));
    const { entities, warnings } = await parse([bytesSource('e.ftm.json', text)]);
    assert.equal(entities.length, 19);
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]?.file, 'e.ftm.json');
    assert.equal(warnings[0]?.line, 6);
    assert.match(warnings[0]?.message ?? '', /^malformed line skipped: /);
  });

  test('lines that are JSON but not FtM records count as malformed', async () => {
    const records = Array.from({ length: 10 }, (_, i) => person(`p${i}`, `Person ${i}`));
    const { entities, warnings } = await parse([bytesSource('e.json', lines(...records, '[1,2]'))]);
    assert.equal(entities.length, 10);
    assert.equal(warnings[0]?.line, 11);
    assert.match(warnings[0]?.message ?? '', /not a FollowTheMoney entity/);
  });

  test('more than 10% malformed lines refuse the file', async () => {
    const records = Array.from({ length: 8 }, (_, i) => person(`p${i}`, `Person ${i}`));
    await assert.rejects(
      parse([bytesSource('bad.json', lines(...records, 'nope', 'nope'))]),
      (err: unknown) => {
        assert.ok(err instanceof CordonError);
        assert.equal(err.code, 'lists.parse_error');
        assert.match(err.message, /^bad\.json: 2 of 10 lines are malformed/);
        return true;
      },
    );
    // Exactly 10% is still accepted.
    const ok = await parse([bytesSource('ok.json', lines(...records, person('p9', 'P9'), 'nope'))]);
    assert.equal(ok.entities.length, 9);
  });

  test('links may come before or after their entities, even in another file', async () => {
    const a = lines(
      { id: 'own1', schema: 'Ownership', properties: { owner: ['p1'], asset: ['c1'], percentage: ['100'] } },
      {
        id: 's1',
        schema: 'Sanction',
        properties: { entity: ['c1'], programId: ['US-OFAC'], listingDate: ['2022-03-01'] },
      },
      {
        id: 'w1',
        schema: 'CryptoWallet',
        caption: 'bc1q…',
        properties: { publicKey: ['bc1qxyz'], currency: ['XBT'], holder: ['p1'] },
      },
    );
    const b = lines(
      person('p1', 'Ann Owner', { passportNumber: ['X123'] }),
      {
        id: 'c1',
        schema: 'Company',
        caption: 'Acme',
        properties: { name: ['Acme'], jurisdiction: ['cy-trnc'], addressEntity: ['a1'] },
      },
      { id: 'a1', schema: 'Address', properties: { full: ['1 Main St, Nicosia'], city: ['Nicosia'] } },
      {
        id: 'id1',
        schema: 'Identification',
        properties: { holder: ['c1'], number: ['HE 123'], country: ['cy'], type: ['registration'] },
      },
      { id: 'n1', schema: 'Note', properties: { entity: ['c1'] } },
    );
    const { entities, warnings } = await parse([bytesSource('a.json', a), bytesSource('b.json', b)]);
    assert.deepEqual(
      entities.map((e) => [e.sourceId, e.kind]),
      [
        ['w1', 'wallet'],
        ['p1', 'person'],
        ['c1', 'organization'],
      ],
    );
    const [wallet, owner, company] = entities as [ListEntity, ListEntity, ListEntity];
    assert.deepEqual(wallet.cryptoAddresses, [{ currency: 'XBT', address: 'bc1qxyz' }]);
    assert.deepEqual(wallet.relations, [
      { type: 'owned_by', target: 'opensanctions:p1', note: 'crypto wallet holder' },
    ]);
    assert.deepEqual(owner.relations, [
      { type: 'owner_of', target: 'opensanctions:c1', note: 'Ownership: 100%' },
      { type: 'owner_of', target: 'opensanctions:w1', note: 'crypto wallet holder' },
    ]);
    assert.deepEqual(owner.identifiers, [{ type: 'passport', value: 'X123' }]);
    assert.deepEqual(company.relations, [
      { type: 'owned_by', target: 'opensanctions:p1', note: 'Ownership: 100%' },
    ]);
    assert.deepEqual(company.programs, ['US-OFAC']);
    assert.equal(company.listedOn, '2022-03-01');
    assert.deepEqual(company.countries, [{ country: 'cy-trnc', role: 'registration' }]);
    assert.deepEqual(company.addresses, [{ full: '1 Main St, Nicosia', city: 'Nicosia' }]);
    assert.deepEqual(company.identifiers, [{ type: 'registration', value: 'HE 123', issuer: 'CY' }]);
    assert.deepEqual(
      warnings.map((w) => w.message),
      ['1 Note record(s) skipped: the schema is not mapped'],
    );
  });

  test('relations to entities missing from the files are dropped with a warning', async () => {
    const text = lines(person('p1', 'Ann'), {
      id: 'f1',
      schema: 'Family',
      properties: { person: ['p1'], relative: ['ghost'] },
    });
    const { entities, warnings } = await parse([bytesSource('e.json', text)]);
    assert.deepEqual(entities[0]?.relations, []);
    assert.deepEqual(
      warnings.map((w) => w.message),
      ['1 relation(s) to entities not in the file(s) dropped'],
    );
  });

  test('lines and characters split across chunks', async () => {
    const bytes = new TextEncoder().encode(
      lines(person('p1', 'Александр Захаров'), person('p2', '汇旺')).replace('\n', '\r\n'),
    );
    const trickle: SourceFile = {
      name: 'trickle.json',
      async *open() {
        for (let i = 0; i < bytes.length; i += 3) yield bytes.slice(i, i + 3);
      },
    };
    const { entities } = await parse([trickle]);
    assert.deepEqual(
      entities.map((e) => e.names[0]?.value),
      ['Александр Захаров', '汇旺'],
    );
  });

  test('invalid UTF-8 is a parse error naming the line', async () => {
    const good = new TextEncoder().encode(lines(person('p1', 'Ann')));
    const bytes = new Uint8Array([...good, ...new TextEncoder().encode('{"id":"x'), 0xff, 0x0a]);
    await assert.rejects(parse([bytesSource('e.json', bytes)]), (err: unknown) => {
      assert.ok(err instanceof CordonError);
      assert.equal(err.message, 'e.json:2: invalid UTF-8');
      return true;
    });
  });

  test('an empty file is an error', async () => {
    await assert.rejects(parse([bytesSource('e.json', '\n\n')]), /holds no FollowTheMoney records/);
  });
});
