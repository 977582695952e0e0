// No real EU FSF export is available offline: testdata/sample.xml is hand-made in the published
// xmlFullSanctionsList_1_1 shape (namespace, attribute names, nested regulation/regulationSummary),
// with invented people and companies. The bad-input files next to it are hand-made too.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { SourceFile } from '../../model.js';
import { bytesSource, fileSource, isParseError, parseAll, parseUntilError } from '../testing.js';
import { parseEuXml } from './xml.parse.js';

const testdata = (name: string) => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));

const parse = (files: SourceFile[]) => parseAll(parseEuXml, files);

/** Asserts a `lists.parse_error` naming `file` (and `line` when given) whose message matches. */
const rejectsWith = (files: SourceFile[], file: string, message: RegExp, line?: number) =>
  assert.rejects(parse(files), isParseError(file, message, { line }));

const NS = 'http://eu.europa.ec/fpi/fsd/export';

describe('parseEuXml on a hand-made FSF export', () => {
  const result = parse([fileSource(testdata('sample.xml'))]);

  it('yields the three entities in file order, without warnings', async () => {
    const { entities, warnings } = await result;
    assert.deepEqual(
      entities.map((e) => [e.id, e.kind]),
      [
        ['eu-fsf:900101', 'person'],
        ['eu-fsf:900202', 'organization'],
        ['eu-fsf:900303', 'person'],
      ],
    );
    assert.deepEqual(warnings, []);
  });

  it('maps a person with a Cyrillic alias field by field', async () => {
    const { entities } = await result;
    assert.deepEqual(entities[0], {
      id: 'eu-fsf:900101',
      source: 'eu-fsf',
      sourceId: '900101',
      kind: 'person',
      names: [
        { value: 'Ivan Petrovich SAMPLEV', kind: 'primary' },
        { value: 'Иван Петрович САМПЛЕВ', kind: 'original_script', lang: 'ru' },
        { value: 'Ivan Samplev', kind: 'strong_alias' },
        { value: 'Vanya', kind: 'weak_alias' },
      ],
      dates: [{ kind: 'birth', value: '1965-03-14' }],
      countries: [
        { country: 'RU', role: 'citizenship' },
        { country: 'RU', role: 'birth' },
        { country: 'RU', role: 'residence' },
      ],
      identifiers: [
        { type: 'eu_reference', value: 'EU.9001.11' },
        { type: 'passport', value: '720000001', issuer: 'RU' },
        { type: 'tax_id', value: '771200000001' },
      ],
      addresses: [
        {
          full: 'Okhotny Ryad 1, Moscow, 103265, RUSSIAN FEDERATION',
          street: 'Okhotny Ryad 1',
          city: 'Moscow',
          postalCode: '103265',
          country: 'RU',
        },
      ],
      programs: ['EU:UKR'],
      cryptoAddresses: [],
      relations: [],
      placesOfBirth: ['Tula, RUSSIAN FEDERATION'],
      gender: 'male',
      listedOn: '2022-02-23',
      sourceUrl: 'https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32022R0261&qid=1',
      remarks: 'Member of the State Duma.\nFunction: Member of the State Duma',
    });
  });

  it('maps an enterprise: every programme once, repeated names once, listed on its first regulation', async () => {
    const { entities } = await result;
    const e = entities[1];
    assert.ok(e);
    assert.equal(e.kind, 'organization');
    assert.deepEqual(e.names, [
      { value: 'Example Defence Works JSC', kind: 'primary' },
      { value: 'АО «Пример Оборонный Завод»', kind: 'original_script', lang: 'ru' },
    ]);
    assert.deepEqual(e.programs, ['EU:UKR', 'EU:RUS']);
    assert.equal(e.listedOn, '2014-07-31');
    assert.deepEqual(e.identifiers, [
      { type: 'eu_reference', value: 'EU.9002.22' },
      { type: 'registration', value: '1027700000001', issuer: 'RU' },
    ]);
    assert.deepEqual(e.countries, [{ country: 'RU', role: 'location' }]);
    assert.deepEqual(e.dates, []);
    assert.equal(e.gender, undefined);
  });

  it('joins name parts when wholeName is blank, drops unknown countries, keeps circa and year ranges', async () => {
    const { entities } = await result;
    const e = entities[2];
    assert.ok(e);
    assert.deepEqual(e.names, [
      { value: 'Abu Example', kind: 'primary' },
      { value: 'أبو مثال', kind: 'original_script', lang: 'ar' },
    ]);
    assert.deepEqual(e.countries, []);
    assert.deepEqual(e.dates, [
      { kind: 'birth', value: '1971', note: 'circa' },
      { kind: 'birth', value: '1968', note: 'between 1968 and 1970' },
      { kind: 'birth', value: '1969', note: 'between 1968 and 1970' },
      { kind: 'birth', value: '1970', note: 'between 1968 and 1970' },
    ]);
    assert.deepEqual(e.identifiers, [
      { type: 'eu_reference', value: 'EU.9003.33' },
      { type: 'un_reference', value: 'QDi.999' },
    ]);
    assert.deepEqual(e.programs, ['EU:TAQA']);
    assert.equal(e.listedOn, '2002-05-29');
    assert.equal(e.remarks, 'UNSC RESOLUTION 2253 BASIS');
  });
});

describe('parseEuXml on odd but readable input', () => {
  it('warns on a missing namespace and an unknown subject type', async () => {
    const xml =
      '<export generationDate="2026-01-01">\n<sanctionEntity logicalId="1">' +
      '<regulation programme="SYR"/><subjectType code="vessel"/><nameAlias wholeName="MV Sample" strong="true"/>' +
      '</sanctionEntity></export>';
    const { entities, warnings } = await parse([bytesSource('odd.xml', xml)]);
    assert.equal(entities[0]?.kind, 'organization');
    assert.deepEqual(
      warnings.map((w) => [w.line, w.message]),
      [
        [1, `root namespace is "", expected "${NS}"`],
        [2, '1: unknown subjectType "vessel", kept as an organization'],
      ],
    );
  });

  it('warns when the export holds no entities', async () => {
    const { entities, warnings } = await parse([bytesSource('none.xml', `<export xmlns="${NS}"/>`)]);
    assert.equal(entities.length, 0);
    assert.deepEqual(warnings, [
      { file: 'none.xml', element: 'export', message: 'no sanctionEntity in the file' },
    ]);
  });

  it('rejects an entity without logicalId or without any name', async () => {
    const noId = `<export xmlns="${NS}">\n<sanctionEntity><nameAlias wholeName="X"/></sanctionEntity></export>`;
    await rejectsWith([bytesSource('noid.xml', noId)], 'noid.xml', /sanctionEntity without logicalId/, 2);
    const noName = `<export xmlns="${NS}"><sanctionEntity logicalId="5"><nameAlias wholeName=" "/></sanctionEntity></export>`;
    await rejectsWith([bytesSource('noname.xml', noName)], 'noname.xml', /5 has no nameAlias with a name/, 1);
  });
});

describe('parseEuXml on bad input', () => {
  it('rejects a truncated file, naming file and line, after yielding the entities before the cut', async () => {
    const { ids, error } = await parseUntilError(parseEuXml, [fileSource(testdata('truncated.xml'))]);
    assert.deepEqual(ids, ['900202']);
    isParseError('truncated.xml', /truncated\.xml:12: malformed XML/, { line: 12 })(error);
  });

  it('rejects a document with another root element', async () => {
    await rejectsWith(
      [fileSource(testdata('wrong-root.xml'))],
      'wrong-root.xml',
      /root element is <CONSOLIDATED_LIST>, expected <export>/,
      2,
    );
  });

  it('rejects a binary (gzip) file', async () => {
    await rejectsWith([fileSource(testdata('binary.xml'))], 'binary.xml', /not UTF-8 text/, 1);
  });

  it('rejects an empty file', async () => {
    await rejectsWith([fileSource(testdata('empty.xml'))], 'empty.xml', /the file is empty/);
  });

  it('rejects a duplicate logicalId', async () => {
    await rejectsWith(
      [fileSource(testdata('duplicate-id.xml'))],
      'duplicate-id.xml',
      /logicalId 900202 appears twice \(first at duplicate-id\.xml:3\)/,
      8,
    );
  });
});
