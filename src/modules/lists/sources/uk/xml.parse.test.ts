// No real UK Sanctions List export is available offline: testdata/sample.xml is hand-made in the
// shape of the FCDO's UK-Sanctions-List.xml (Designations/Designation, Name1..Name6, NonLatinNames,
// IndividualDetails, EntityDetails, ShipDetails, dd/mm/yyyy dates, a UTF-8 byte order mark), with
// invented people, companies and ships. The bad-input files next to it are hand-made too.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { SourceFile } from '../../model.js';
import { bytesSource, fileSource, isParseError, parseAll, parseUntilError } from '../testing.js';
import { parseUkXml } from './xml.parse.js';

const testdata = (name: string) => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));

const parse = (files: SourceFile[]) => parseAll(parseUkXml, files);

/** Asserts a `lists.parse_error` naming `file` (and `line` when given) whose message matches. */
const rejectsWith = (files: SourceFile[], file: string, message: RegExp, line?: number) =>
  assert.rejects(parse(files), isParseError(file, message, { line }));

const designation = (inner: string) =>
  `<Designations>\n<Designation><UniqueID>X1</UniqueID><RegimeName>Russia</RegimeName>${inner}</Designation>\n</Designations>`;

describe('parseUkXml on a hand-made UK Sanctions List', () => {
  const result = parse([fileSource(testdata('sample.xml'))]);

  it('yields an individual, an entity and a ship, without warnings', async () => {
    const { entities, warnings } = await result;
    assert.deepEqual(
      entities.map((e) => [e.id, e.kind]),
      [
        ['uk-sanctions:RUS9001', 'person'],
        ['uk-sanctions:AFG9002', 'organization'],
        ['uk-sanctions:DPR9003', 'vessel'],
      ],
    );
    assert.deepEqual(warnings, []);
  });

  it('maps an individual field by field', async () => {
    const { entities } = await result;
    assert.deepEqual(entities[0], {
      id: 'uk-sanctions:RUS9001',
      source: 'uk-sanctions',
      sourceId: 'RUS9001',
      kind: 'person',
      names: [
        { value: 'Pavel Sergeyevich EXAMPLOV', kind: 'primary' },
        { value: 'Pavel EKZAMPLOV', kind: 'strong_alias' },
        { value: 'Pasha the Example', kind: 'weak_alias' },
        { value: 'Pavel S. Examplov-Smith', kind: 'strong_alias' },
        { value: 'Павел Сергеевич ЭКЗАМПЛОВ', kind: 'original_script', lang: 'ru' },
      ],
      dates: [
        { kind: 'birth', value: '1965' },
        { kind: 'birth', value: '1966-07-12' },
        { kind: 'birth', value: '1967' },
      ],
      countries: [
        { country: 'RU', role: 'residence' },
        { country: 'RU', role: 'nationality' },
        { country: 'CY', role: 'nationality' },
        { country: 'RU', role: 'birth' },
      ],
      identifiers: [
        { type: 'ofsi_group_id', value: '99001' },
        { type: 'passport', value: '750000001' },
        { type: 'national_id', value: '590400000001' },
      ],
      addresses: [
        { full: '10 Sample Embankment, Moscow, 119019, Russia', postalCode: '119019', country: 'RU' },
      ],
      programs: ['UK:Russia'],
      cryptoAddresses: [],
      relations: [],
      placesOfBirth: ['Perm, Russia'],
      listedOn: '2022-03-15',
      gender: 'male',
      remarks:
        '(UK Sanctions List Ref):RUS9001. (UK Statement of Reasons):See below.\n' +
        'Statement of reasons: Involved in obtaining a benefit from the Government of Russia.\n' +
        'Position: Chairman of Example Holding',
    });
  });

  it('maps an entity: primary name first wherever it is listed, contacts and registration numbers', async () => {
    const { entities } = await result;
    const e = entities[1];
    assert.ok(e);
    assert.deepEqual(e.names, [
      { value: 'SAMPLE MONEY EXCHANGE', kind: 'primary' },
      { value: 'Haji Sample & Sons Money Exchange', kind: 'strong_alias' },
      { value: 'صرافی نمونه', kind: 'original_script' },
    ]);
    assert.deepEqual(e.programs, ['UK:The Afghanistan (Sanctions) (EU Exit) Regulations 2020']);
    assert.deepEqual(e.identifiers, [
      { type: 'un_reference', value: 'TAe.990' },
      { type: 'ofsi_group_id', value: '99002' },
      { type: 'registration', value: 'MSP-099' },
      { type: 'phone', value: '+93-700-000-000' },
      { type: 'email', value: 'exchange@example.org' },
    ]);
    assert.deepEqual(e.addresses, [
      { full: 'Sample Market, 2nd Floor, Kandahar Province, Afghanistan', country: 'AF' },
      { full: 'Chaman, Pakistan', country: 'PK' },
    ]);
    assert.deepEqual(e.countries, [
      { country: 'AF', role: 'location' },
      { country: 'PK', role: 'location' },
    ]);
    assert.equal(e.listedOn, '2012-06-29');
    assert.equal(e.remarks, 'Money service provider licence 099.\nParent company: Sample Holding');
  });

  it('maps a ship: IMO number without its prefix, flag as registration country', async () => {
    const { entities } = await result;
    const e = entities[2];
    assert.ok(e);
    assert.deepEqual(e.identifiers, [{ type: 'imo', value: '9000003' }]);
    assert.deepEqual(e.countries, [{ country: 'KP', role: 'registration' }]);
    assert.deepEqual(
      e.names.map((n) => n.kind),
      ['primary', 'strong_alias'],
    );
  });
});

describe('parseUkXml dates and odd input', () => {
  it('reads dd/mm/yyyy with unknown parts, and ISO dates', async () => {
    const xml = designation(
      '<DateDesignated>2022-03-15T00:00:00</DateDesignated><IndividualEntityShip>Individual</IndividualEntityShip>' +
        '<Names><Name><Name6>A</Name6><NameType>Primary Name</NameType></Name></Names>' +
        '<IndividualDetails><Individual><DOBs><DOB>00/00/1965</DOB><DOB>00/07/1966</DOB><DOB>1/2/1970</DOB>' +
        '<DOB>00/00/0000</DOB><DOB>31/02/1971</DOB><DOB>00/00/1965</DOB></DOBs></Individual></IndividualDetails>',
    );
    const { entities, warnings } = await parse([bytesSource('dates.xml', xml)]);
    assert.equal(entities[0]?.listedOn, '2022-03-15');
    assert.deepEqual(
      entities[0]?.dates.map((d) => d.value),
      ['1965', '1966-07', '1970-02-01'],
    );
    assert.deepEqual(
      warnings.map((w) => w.message),
      ['X1: DOB "00/00/0000" is not a date', 'X1: DOB "31/02/1971" is not a date'],
    );
  });

  it('warns on unknown kinds and name types, and without a primary name uses the first name', async () => {
    const xml = designation(
      '<IndividualEntityShip>Aircraft</IndividualEntityShip>' +
        '<Names><Name><Name6>B</Name6><NameType>ALias</NameType></Name>' +
        '<Name><Name6>C</Name6><NameType>Nickname</NameType></Name></Names>',
    );
    const { entities, warnings } = await parse([bytesSource('odd.xml', xml)]);
    assert.equal(entities[0]?.kind, 'organization');
    assert.deepEqual(entities[0]?.names, [
      { value: 'B', kind: 'primary' },
      { value: 'C', kind: 'strong_alias' },
    ]);
    assert.deepEqual(
      warnings.map((w) => [w.line, w.message]),
      [
        [2, 'X1: unknown IndividualEntityShip "Aircraft", kept as an organization'],
        [2, 'X1: name "C" has unknown NameType "nickname", kept as a strong alias'],
        [2, 'X1: no Primary Name, "B" used'],
      ],
    );
  });

  it('warns when the list holds no designations', async () => {
    const { entities, warnings } = await parse([
      bytesSource('none.xml', '<Designations><DateGenerated>01/01/2026</DateGenerated></Designations>'),
    ]);
    assert.equal(entities.length, 0);
    assert.deepEqual(warnings, [
      { file: 'none.xml', element: 'Designations', message: 'no Designation in the file' },
    ]);
  });

  it('rejects a designation without UniqueID or without any name', async () => {
    await rejectsWith(
      [bytesSource('noid.xml', '<Designations>\n\n<Designation><Names/></Designation></Designations>')],
      'noid.xml',
      /Designation without UniqueID/,
      3,
    );
    await rejectsWith(
      [bytesSource('noname.xml', designation('<Names/>'))],
      'noname.xml',
      /X1 has no name/,
      2,
    );
  });
});

describe('parseUkXml on bad input', () => {
  it('rejects a truncated file, naming file and line, after yielding the designations before the cut', async () => {
    const { ids, error } = await parseUntilError(parseUkXml, [fileSource(testdata('truncated.xml'))]);
    assert.deepEqual(ids, ['DPR9003']);
    isParseError('truncated.xml', /truncated\.xml:17: malformed XML/, { line: 17 })(error);
  });

  it('rejects the former OFSI consolidated list (another root element)', async () => {
    await rejectsWith(
      [fileSource(testdata('wrong-root.xml'))],
      'wrong-root.xml',
      /root element is <ArrayOfFinancialSanctionsTarget>, expected <Designations>/,
      2,
    );
  });

  it('rejects a binary (zip) file', async () => {
    await rejectsWith([fileSource(testdata('binary.xml'))], 'binary.xml', /not UTF-8 text/, 1);
  });

  it('rejects an empty file', async () => {
    await rejectsWith([fileSource(testdata('empty.xml'))], 'empty.xml', /the file is empty/);
  });

  it('rejects a duplicate UniqueID', async () => {
    await rejectsWith(
      [fileSource(testdata('duplicate-id.xml'))],
      'duplicate-id.xml',
      /UniqueID RUS9001 appears twice \(first at duplicate-id\.xml:3\)/,
      9,
    );
  });
});
