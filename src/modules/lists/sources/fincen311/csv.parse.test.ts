import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CordonError } from '../../../../shared/errors.js';
import type { ListEntity, ParseWarning, SourceFile } from '../../model.js';
import { bytesSource, fileSource } from '../testing.js';
import { parseFincen311Csv } from './csv.parse.js';

const DATA = fileURLToPath(new URL('../../../../../../shared/data/fincen311/', import.meta.url));
const HEADER =
  'Measure,Relationship,Type,Name,Alias,Country,Address,Registration number,Topics,Notes,Source URL';

async function parse(files: SourceFile[]): Promise<{ entities: ListEntity[]; warnings: ParseWarning[] }> {
  const entities: ListEntity[] = [];
  const warnings: ParseWarning[] = [];
  for await (const r of parseFincen311Csv(files, (w) => warnings.push(w))) {
    assert.equal(r.type, 'entity');
    if (r.type === 'entity') entities.push(r.entity);
  }
  return { entities, warnings };
}

function byId(entities: ListEntity[], sourceId: string): ListEntity {
  const e = entities.find((x) => x.sourceId === sourceId);
  assert.ok(e, `entity ${sourceId} missing`);
  return e;
}

function hasRelation(e: ListEntity, type: string, targetSourceId: string): boolean {
  return e.relations.some((r) => r.type === type && r.target === `fincen-311:${targetSourceId}`);
}

async function parseError(text: string | Uint8Array): Promise<CordonError> {
  try {
    await parse([bytesSource('measures.csv', text)]);
  } catch (err) {
    assert.ok(err instanceof CordonError, String(err));
    assert.equal(err.code, 'lists.parse_error');
    return err;
  }
  assert.fail('expected a parse error');
}

describe('parseFincen311Csv on the full curated file', async () => {
  const { entities, warnings } = await parse([fileSource(`${DATA}fincen_special_measures_details.csv`)]);

  test('groups the 490 rows into one entity per distinct name', () => {
    assert.equal(entities.length, 397);
    assert.equal(entities.filter((e) => e.kind === 'organization').length, 354);
    assert.equal(entities.filter((e) => e.kind === 'person').length, 43);
    assert.equal(new Set(entities.map((e) => e.id)).size, entities.length);
    for (const e of entities) {
      assert.equal(e.source, 'fincen-311');
      assert.equal(e.id, `fincen-311:${e.sourceId}`);
      assert.match(e.sourceId, /^[\p{Ll}\p{Lo}\p{N}]+(-[\p{Ll}\p{Lo}\p{N}]+)*$/u);
      assert.equal(e.programs[0], 'FinCEN-311');
      assert.ok(e.programs.some((p) => p.startsWith('FinCEN-311:')));
      assert.ok(e.sourceUrl?.startsWith('http'));
      assert.equal(e.names.filter((n) => n.kind === 'primary').length, 1);
    }
  });

  test('every relation points at an entity of the file', () => {
    const ids = new Set(entities.map((e) => e.id));
    for (const e of entities)
      for (const r of e.relations) assert.ok(ids.has(r.target), `${e.id} → ${r.target}`);
  });

  test('only the one country without an ISO code is reported', () => {
    assert.deepEqual(
      warnings.map((w) => w.message),
      ['country "Turkish Republic of Northern Cyprus" has no ISO code; kept as written'],
    );
  });

  test('the Huione Group and its arms, with their relations', () => {
    const group = byId(entities, 'huione-group');
    assert.deepEqual(
      group.names.map((n) => [n.value, n.kind]),
      [
        ['Huione Group', 'primary'],
        ['Huione Group Limited', 'strong_alias'],
      ],
    );
    assert.deepEqual(group.countries, [{ country: 'KH', role: 'registration' }]);
    assert.ok(group.programs.includes('FinCEN-311:Huione Group'));
    for (const arm of [
      'huione-pay-plc',
      'huione-crypto',
      'haowang-guarantee',
      'huione-international-payments',
      'huione-labs',
    ]) {
      assert.ok(hasRelation(byId(entities, arm), 'subsidiary_of', 'huione-group'), arm);
      assert.ok(hasRelation(group, 'parent_of', arm), arm);
    }
    for (const related of ['huione-pay-inc', 'huione-ltd']) {
      assert.ok(hasRelation(byId(entities, related), 'related', 'huione-group'), related);
      assert.ok(hasRelation(group, 'related', related), related);
    }

    const hpay = byId(entities, 'h-pay-service-plc');
    assert.deepEqual(hpay.identifiers, [{ type: 'registration', value: '00074959', issuer: 'KH' }]);
    assert.ok(hpay.names.some((n) => n.value === 'H-Pay' && n.kind === 'strong_alias'));
    assert.ok(hasRelation(hpay, 'owned_by', 'huione-group'));
    assert.ok(hasRelation(group, 'owner_of', 'h-pay-service-plc'));
    assert.ok(hasRelation(hpay, 'related', 'huione-pay-plc'));
    assert.ok(hasRelation(byId(entities, 'huione-pay-plc'), 'related', 'h-pay-service-plc'));
    assert.ok(hasRelation(byId(entities, 'tudou-guarantee'), 'related', 'h-pay-service-plc'));
    assert.deepEqual(byId(entities, 'panda-commercial-bank-plc').names[1], {
      value: 'Panda Bank',
      kind: 'strong_alias',
    });

    const haowang = byId(entities, 'haowang-guarantee');
    assert.deepEqual(haowang.names, [
      { value: 'Haowang Guarantee', kind: 'primary' },
      { value: 'Huione Guarantee', kind: 'former_name' },
    ]);
    const crypto = byId(entities, 'huione-crypto');
    assert.deepEqual(crypto.identifiers, [{ type: 'registration', value: 'KRS 0001043802', issuer: 'PL' }]);
    assert.deepEqual(
      crypto.names.map((n) => n.value),
      ['Huione Crypto', 'Huione Crypto Spółka Z Ograniczoną Odpowiedzialnością', 'Huione Exchange'],
    );
    assert.deepEqual(crypto.countries, [{ country: 'PL', role: 'registration' }]);
    assert.deepEqual(byId(entities, 'huione-pay-inc').countries, [{ country: 'CA', role: 'registration' }]);
  });

  test('entities named under several measures carry every measure', () => {
    assert.deepEqual(byId(entities, 'huione-pay-plc').programs, [
      'FinCEN-311',
      'FinCEN-311:H-Pay Service PLC',
      'FinCEN-311:Huione Group',
    ]);
    assert.equal(byId(entities, 'hizballah').programs.length, 4);
  });

  test('footnote asterisks are dropped and former names come from the notes', () => {
    const burma = byId(entities, 'burma');
    assert.equal(burma.names[0]?.value, 'Burma');
    assert.ok(burma.programs.includes('FinCEN-311:Burma'));
    assert.ok(hasRelation(byId(entities, 'united-wa-state-army'), 'related', 'burma'));
    const bitzlato = byId(entities, 'bitzlato');
    assert.deepEqual(
      bitzlato.names.map((n) => [n.value, n.kind]),
      [
        ['Bitzlato', 'primary'],
        ['Bitzlato Limited', 'strong_alias'],
        ['ChangeBot', 'former_name'],
      ],
    );
    assert.ok(
      byId(entities, 'skampa-casino-villahermosa').names.some(
        (n) => n.value === 'Venezzia Casino' && n.kind === 'former_name',
      ),
    );
  });

  test('spellings that differ only in punctuation share one entity', () => {
    const lux = byId(entities, 'ablv-bank-luxembourg-s-a');
    assert.deepEqual(
      lux.names.map((n) => n.value),
      ['ABLV Bank Luxembourg S.A.', 'ABLV Bank, Luxembourg, S.A.'],
    );
    assert.ok(hasRelation(lux, 'subsidiary_of', 'ablv-bank'));
  });

  test('class measures without a main entity emit their members unlinked', () => {
    const tornado = byId(entities, 'tornado-cash');
    assert.deepEqual(tornado.relations, []);
    assert.ok(tornado.programs.includes('FinCEN-311:Convertible Virtual Currency Mixing'));
    const person = byId(entities, 'minh-quoc-nguyen');
    assert.equal(person.kind, 'person');
    assert.deepEqual(person.countries, [{ country: 'VN', role: 'nationality' }]);
  });

  test('owners link with owner_of / owned_by', () => {
    assert.ok(hasRelation(byId(entities, 'sergey-sergeevich-ivanov'), 'owner_of', 'pm2btc'));
    assert.ok(hasRelation(byId(entities, 'pm2btc'), 'owned_by', 'sergey-sergeevich-ivanov'));
  });
});

describe('parseFincen311Csv on the Huione rows', () => {
  test('yields the eleven Huione entities', async () => {
    const { entities, warnings } = await parse([fileSource(`${DATA}huione_group_rows.csv`)]);
    assert.deepEqual(warnings, []);
    assert.deepEqual(entities.map((e) => e.sourceId).sort(), [
      'h-pay-service-plc',
      'haowang-guarantee',
      'huione-crypto',
      'huione-group',
      'huione-international-payments',
      'huione-labs',
      'huione-ltd',
      'huione-pay-inc',
      'huione-pay-plc',
      'panda-commercial-bank-plc',
      'tudou-guarantee',
    ]);
    const group = byId(entities, 'huione-group');
    assert.equal(group.relations.filter((r) => r.type === 'parent_of').length, 5);
    assert.ok(hasRelation(byId(entities, 'huione-pay-plc'), 'subsidiary_of', 'huione-group'));
  });
});

describe('parseFincen311Csv on bad input', () => {
  test('a missing column is named', async () => {
    const err = await parseError(`${HEADER.replace(',Topics', '')}\n`);
    assert.match(err.message, /^measures\.csv:1: bad header: missing column\(s\) "Topics"/);
    assert.equal(err.details.line, 1);
  });

  test('an unexpected column is named', async () => {
    const err = await parseError(`${HEADER},Extra\n`);
    assert.match(err.message, /unexpected column\(s\) "Extra"/);
  });

  test('columns out of order are refused', async () => {
    const err = await parseError(`${HEADER.replace('Measure,Relationship', 'Relationship,Measure')}\n`);
    assert.match(err.message, /columns out of order/);
  });

  test('a row with a wrong number of cells names its line', async () => {
    const err = await parseError(`${HEADER}\nA,self,,A,,,,,,,https://x\nB,self,,B,,,\n`);
    assert.equal(err.details.line, 3);
  });

  test('an unknown relationship names its line and the allowed values', async () => {
    const err = await parseError(
      `${HEADER}\nA,self,,A,,,,,,,https://x\nA,cousin,Company,B,,,,,,,https://x\n`,
    );
    assert.equal(err.details.line, 3);
    assert.match(
      err.message,
      /unknown Relationship "cousin"; expected one of self, subsidiary, owner, related, target/,
    );
  });

  test('invalid UTF-8 names the file and line', async () => {
    const good = new TextEncoder().encode(`${HEADER}\nA,self,,A,,,,,,,https://x\n`);
    const bytes = new Uint8Array([...good, 0x42, 0xff, 0x2c, 0x0a]);
    const err = await parseError(bytes);
    assert.equal(err.message, 'measures.csv:3: invalid UTF-8');
    assert.deepEqual(err.details, { file: 'measures.csv', line: 3 });
  });

  test('an empty file is an error', async () => {
    const err = await parseError('');
    assert.match(err.message, /empty/);
  });
});

describe('parseFincen311Csv on edge cases', () => {
  test('CRLF line ends, a BOM and quoted cells spanning lines', async () => {
    const text = `\uFEFF${HEADER}\r\nAcme Bank,self,,Acme Bank,"Acme; Acme Bank SA",France,"1 Rue X,\r\nParis",,,,https://x\r\nAcme Bank,subsidiary,Person,Jane Roe,,,,,,,https://x\r\n`;
    const { entities } = await parse([bytesSource('m.csv', text)]);
    assert.equal(entities.length, 2);
    const acme = byId(entities, 'acme-bank');
    assert.deepEqual(
      acme.names.map((n) => n.value),
      ['Acme Bank', 'Acme', 'Acme Bank SA'],
    );
    assert.deepEqual(acme.addresses, [{ full: '1 Rue X,\nParis', country: 'FR' }]);
    assert.ok(hasRelation(byId(entities, 'jane-roe'), 'subsidiary_of', 'acme-bank'));
  });
});
