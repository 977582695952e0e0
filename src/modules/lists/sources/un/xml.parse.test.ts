import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { SourceFile } from '../../model.js';
import {
  bytesSource,
  chunkedSource,
  fileSource,
  isParseError,
  parseAll,
  parseUntilError,
} from '../testing.js';
import { parseUnXml } from './xml.parse.js';

const REAL = fileURLToPath(
  new URL('../../../../../../shared/data/un/UN_consolidated_2026-02-27.xml', import.meta.url),
);
const testdata = (name: string) => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));

const parse = (files: SourceFile[]) => parseAll(parseUnXml, files);

/** Asserts a `lists.parse_error` naming `file` (and `line` when given) whose message matches. */
const rejectsWith = (files: SourceFile[], file: string, message: RegExp, line?: number) =>
  assert.rejects(parse(files), isParseError(file, message, { line }));

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

describe('parseUnXml on the real consolidated list (2026-02-27)', {
  skip: !existsSync(REAL) && 'file absent',
}, () => {
  const result = parse([fileSource(REAL)]);

  it('yields every individual and entity, ids unique', async () => {
    const { entities } = await result;
    assert.equal(entities.length, 1003);
    assert.deepEqual(
      countBy(entities, (e) => e.kind),
      { person: 730, organization: 273 },
    );
    assert.equal(new Set(entities.map((e) => e.id)).size, 1003);
    assert.ok(entities.every((e) => e.source === 'un-sc' && e.id === `un-sc:${e.sourceId}`));
    assert.ok(
      entities.every((e) => /^[A-Z]{2}[ie]\.\d{3}$/.test(e.sourceId)),
      'REFERENCE_NUMBER shape',
    );
    assert.ok(entities.every((e) => e.programs.length === 1 && e.programs[0]?.startsWith('UN:')));
    assert.ok(entities.every((e) => e.listedOn && /^\d{4}-\d{2}-\d{2}$/.test(e.listedOn)));
  });

  it('counts names by kind', async () => {
    const { entities } = await result;
    const names = entities.flatMap((e) => e.names);
    // README: 378 NAME_ORIGINAL_SCRIPT; alias QUALITY Good 1,524 / a.k.a. 594 / Low 615 / f.k.a. 19.
    // Aliases listing variants as "A; B" become one name each (46 more strong, 2 more weak); a name
    // repeating one already given for the entity is kept once (15 strong, 1 former, 1 original-script
    // name that is the Latin primary name).
    assert.deepEqual(
      countBy(names, (n) => n.kind),
      {
        primary: 1003,
        original_script: 377,
        strong_alias: 1524 + 594 + 46 - 15,
        weak_alias: 615 + 2,
        former_name: 19 - 1,
      },
    );
    assert.equal(entities.filter((e) => e.names.some((n) => n.kind === 'original_script')).length, 377);
    assert.ok(entities.every((e) => e.names[0]?.kind === 'primary'));
  });

  it('maps programs, nationalities and dates', async () => {
    const { entities } = await result;
    const programs = countBy(entities, (e) => e.programs[0] ?? '');
    assert.equal(programs['UN:Al-Qaida'], 341);
    assert.equal(programs['UN:DPRK'], 155);
    assert.equal(programs['UN:Taliban'], 140);
    const nationalities = entities.flatMap((e) => e.countries.filter((c) => c.role === 'nationality'));
    assert.equal(nationalities.filter((c) => c.country === 'AF').length, 130);
    assert.equal(nationalities.filter((c) => c.country === 'KP').length, 79);
    // Only "former Soviet Union" has no ISO code; "na" (not available) is dropped.
    assert.deepEqual(
      nationalities.filter((c) => !/^[A-Z]{2}$/.test(c.country)).map((c) => c.country),
      ['former Soviet Union'],
    );
    const dates = entities.flatMap((e) => e.dates);
    assert.ok(dates.every((d) => /^\d{4}(-\d{2}(-\d{2})?)?$/.test(d.value)));
    assert.equal(entities.filter((e) => e.gender === 'male').length, 52);
    assert.equal(entities.filter((e) => e.gender === 'female').length, 2);
  });

  it('warns only about the two birth dates that carry no usable year', async () => {
    const { warnings } = await result;
    assert.deepEqual(
      warnings.map((w) => w.message),
      [
        'LYi.022: date of birth "30-35 years old" has no usable year',
        'QDi.291: date of birth "24/06/1402 (Hijri Calendar)" has no usable year',
      ],
    );
    assert.ok(warnings.every((w) => w.file === 'UN_consolidated_2026-02-27.xml' && (w.line ?? 0) > 0));
  });

  it('maps QDi.428 field by field', async () => {
    const { entities } = await result;
    const e = entities.find((x) => x.sourceId === 'QDi.428');
    assert.ok(e);
    assert.deepEqual(e, {
      id: 'un-sc:QDi.428',
      source: 'un-sc',
      sourceId: 'QDi.428',
      kind: 'person',
      names: [
        { value: 'JAMAL HUSSEIN HASSAN ZEINIYE', kind: 'primary' },
        { value: 'جمال حسين حسن زينيه', kind: 'original_script' },
        { value: 'Jamal Husayn Zayniyah', kind: 'strong_alias' },
        { value: 'Abu Malek El Talleh', kind: 'weak_alias' },
        { value: 'Abu Hussein', kind: 'weak_alias' },
        { value: 'abu-Malik al-Ansari', kind: 'weak_alias' },
        { value: 'Abu-Malik al-Shami', kind: 'weak_alias' },
        { value: 'Abu-Malik al-Talli', kind: 'weak_alias' },
      ],
      dates: [
        { kind: 'birth', value: '1972-08-17' },
        { kind: 'birth', value: '1972-01-01' },
      ],
      countries: [
        { country: 'SY', role: 'nationality' },
        { country: 'SY', role: 'residence' },
        { country: 'LB', role: 'residence' },
        { country: 'LY', role: 'birth' },
        { country: 'SY', role: 'birth' },
      ],
      identifiers: [
        { type: 'passport', value: '3987189', issuer: 'SY' },
        { type: 'national_id', value: '13080011550' },
        { type: 'national_id', value: '5877002', issuer: 'SY' },
      ],
      addresses: [
        { full: 'Syrian Arab Republic', country: 'SY' },
        { full: 'Arsal, Bekaa, Lebanon', city: 'Arsal', region: 'Bekaa', country: 'LB' },
      ],
      programs: ['UN:Al-Qaida'],
      cryptoAddresses: [],
      relations: [],
      placesOfBirth: ['Benghazi, Libya', 'Al Tall, Syrian Arab Republic', 'Tell Mnin, Syrian Arab Republic'],
      gender: 'male',
      listedOn: '2020-10-08',
      remarks:
        'Leader of AL-NUSRAH FRONT FOR THE PEOPLE OF THE LEVANT (QDe.137) in West Kalamoun, Syrian Arab Republic. ' +
        'Mother’s name is Amina Tohmeh.  INTERPOL-UN Security Council Special Notice web link:' +
        'https://www.interpol.int/en/How-we-work/Notices/View-UN-Notices-Individuals',
    });
  });

  it('maps an entity with former names (CDe.001, ADF)', async () => {
    const { entities } = await result;
    const e = entities.find((x) => x.sourceId === 'CDe.001');
    assert.ok(e);
    assert.equal(e.kind, 'organization');
    assert.deepEqual(e.names, [
      { value: 'ADF', kind: 'primary' },
      { value: 'Allied Democratic Forces', kind: 'strong_alias' },
      {
        value: 'Forces Démocratiques Alliées-Armée Nationale de Libération de l’Ouganda',
        kind: 'former_name',
      },
      { value: 'ADF/NALU', kind: 'former_name' },
      { value: 'NALU', kind: 'former_name' },
    ]);
    assert.deepEqual(e.addresses, [
      { full: 'North Kivu, Democratic Republic of the Congo', region: 'North Kivu', country: 'CD' },
    ]);
    assert.deepEqual(e.countries, [{ country: 'CD', role: 'location' }]);
    assert.equal(e.listedOn, '2014-06-30');
  });

  it('keeps year ranges, approximations and text-only dates with a note', async () => {
    const { entities } = await result;
    const byId = (id: string) => entities.find((x) => x.sourceId === id);
    assert.deepEqual(
      byId('TAi.002')?.dates.slice(0, 4),
      ['1955', '1956', '1957', '1958'].map((value) => ({
        kind: 'birth',
        value,
        note: 'between 1955 and 1958; approximately',
      })),
    );
    assert.deepEqual(byId('CDi.004')?.dates, [{ kind: 'birth', value: '1973', note: 'Nov. 1973' }]);
  });
});

describe('parseUnXml on hand-made input', () => {
  const doc = (body: string) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<CONSOLIDATED_LIST dateGenerated="2026-01-01T00:00:00Z">\n${body}\n</CONSOLIDATED_LIST>\n`;
  const person = `<INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>ALPHA</FIRST_NAME><SECOND_NAME>BETA</SECOND_NAME>
    <UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDi.900</REFERENCE_NUMBER><LISTED_ON>2015-04-07-04:00</LISTED_ON>
    <NAME_ORIGINAL_SCRIPT>ألفا بيتا</NAME_ORIGINAL_SCRIPT>
    <INDIVIDUAL_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>Alfa Beta; Alpha Betta (A; B)</ALIAS_NAME></INDIVIDUAL_ALIAS>
    <INDIVIDUAL_ALIAS><QUALITY>Maybe</QUALITY><ALIAS_NAME>Gamma</ALIAS_NAME></INDIVIDUAL_ALIAS>
    <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
    <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1970</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
    </INDIVIDUAL></INDIVIDUALS>`;

  it('splits "A; B" alias lists, strips a time zone from LISTED_ON, warns on unknown quality', async () => {
    const { entities, warnings } = await parse([bytesSource('small.xml', doc(person))]);
    assert.equal(entities.length, 1);
    const e = entities[0];
    assert.ok(e);
    assert.equal(e.listedOn, '2015-04-07');
    assert.deepEqual(e.names, [
      { value: 'ALPHA BETA', kind: 'primary' },
      { value: 'ألفا بيتا', kind: 'original_script' },
      { value: 'Alfa Beta', kind: 'strong_alias' },
      { value: 'Alpha Betta (A; B)', kind: 'strong_alias' },
      { value: 'Gamma', kind: 'strong_alias' },
    ]);
    assert.deepEqual(e.dates, [{ kind: 'birth', value: '1970', note: 'approximately' }]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]?.message ?? '', /unknown QUALITY "Maybe"/);
    assert.equal(warnings[0]?.line, 7);
  });

  it('decodes UTF-8 split anywhere across chunks', async () => {
    const bytes = new TextEncoder().encode(doc(person));
    const whole = await parse([bytesSource('bytes.xml', bytes)]);
    const split = await parse([chunkedSource('bytes.xml', bytes, 1)]);
    assert.deepEqual(split, whole);
  });

  it('warns when the list holds no entries', async () => {
    const { entities, warnings } = await parse([bytesSource('none.xml', doc('<INDIVIDUALS/><ENTITIES/>'))]);
    assert.equal(entities.length, 0);
    assert.deepEqual(warnings, [
      { file: 'none.xml', element: 'CONSOLIDATED_LIST', message: 'no INDIVIDUAL or ENTITY in the file' },
    ]);
  });

  it('rejects an entry without REFERENCE_NUMBER', async () => {
    const body = '<ENTITIES>\n<ENTITY><DATAID>7</DATAID><FIRST_NAME>X</FIRST_NAME></ENTITY></ENTITIES>';
    await rejectsWith(
      [bytesSource('noref.xml', doc(body))],
      'noref.xml',
      /ENTITY without REFERENCE_NUMBER/,
      4,
    );
  });

  it('rejects an entry without a name', async () => {
    const body =
      '<ENTITIES><ENTITY><REFERENCE_NUMBER>QDe.999</REFERENCE_NUMBER><FIRST_NAME> </FIRST_NAME></ENTITY></ENTITIES>';
    await rejectsWith([bytesSource('noname.xml', doc(body))], 'noname.xml', /QDe\.999 has no name/, 3);
  });
});

describe('parseUnXml on bad input', () => {
  it('rejects a truncated file, naming file and line, after yielding the entries before the cut', async () => {
    const { ids, error } = await parseUntilError(parseUnXml, [fileSource(testdata('truncated.xml'))]);
    assert.deepEqual(ids, ['CDi.001']);
    isParseError('truncated.xml', /truncated\.xml:18: malformed XML: unclosed tag/, { line: 18 })(error);
  });

  it('rejects a document with another root element', async () => {
    await rejectsWith(
      [fileSource(testdata('wrong-root.xml'))],
      'wrong-root.xml',
      /root element is <sdnList>, expected <CONSOLIDATED_LIST>/,
      2,
    );
  });

  it('rejects a binary file', async () => {
    await rejectsWith([fileSource(testdata('binary.xml'))], 'binary.xml', /not UTF-8 text/, 1);
    const nul = new Uint8Array([0x3c, 0x61, 0x3e, 0x0a, 0x00, 0x01, 0x02]);
    await rejectsWith([bytesSource('nul.xml', nul)], 'nul.xml', /binary content \(NUL byte\)/, 2);
  });

  it('rejects an empty file', async () => {
    await rejectsWith([fileSource(testdata('empty.xml'))], 'empty.xml', /the file is empty/);
    await rejectsWith(
      [bytesSource('blank.xml', '  \n')],
      'blank.xml',
      /malformed XML: document must contain a root element/,
    );
  });

  it('rejects a duplicate REFERENCE_NUMBER', async () => {
    await rejectsWith(
      [fileSource(testdata('duplicate-ref.xml'))],
      'duplicate-ref.xml',
      /REFERENCE_NUMBER CDi\.001 appears twice \(first at duplicate-ref\.xml:4\)/,
      14,
    );
  });

  it('rejects a file declaring another encoding', async () => {
    const latin1 = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<CONSOLIDATED_LIST/>';
    await rejectsWith([bytesSource('latin1.xml', latin1)], 'latin1.xml', /declares encoding ISO-8859-1/, 1);
  });
});
