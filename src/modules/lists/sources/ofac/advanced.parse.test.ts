// No real sdn_advanced.xml is available offline (the only stored copy is a Git-LFS pointer), so
// these tests read testdata/sdn_advanced.xml: a small file made by hand in the published shape
// (ReferenceValueSets, Locations, IDRegDocuments, DistinctParties, ProfileRelationships,
// SanctionsEntries), with three parties whose values come from the real CSV files: KHOROSHEV (48603),
// SUEX OTC (33151, XBT and ETH addresses) and the vessel NS LEADER (47371).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { SourceFile } from '../../model.js';
import { bytesSource, fileSource, isParseError, parseAll } from '../testing.js';
import { parseOfacAdvancedXml } from './advanced.parse.js';

const ADVANCED = fileURLToPath(new URL('./testdata/sdn_advanced.xml', import.meta.url));
const TEXT = readFileSync(ADVANCED, 'utf8');

async function collect(files: SourceFile[]) {
  const { entities, warnings } = await parseAll(parseOfacAdvancedXml, files);
  return { entities, warnings, byId: new Map(entities.map((e) => [e.sourceId, e])) };
}

function section(name: string): string {
  return TEXT.slice(TEXT.indexOf(`<${name}>`), TEXT.indexOf(`</${name}>`) + name.length + 3);
}

describe('parseOfacAdvancedXml on a hand-made sdn_advanced.xml', async () => {
  const { entities, warnings, byId } = await collect([fileSource(ADVANCED)]);

  it('yields the three parties in the ofac-sdn id space, without warnings', () => {
    assert.deepEqual(
      entities.map((e) => `${e.id} ${e.kind}`),
      ['ofac-sdn:48603 person', 'ofac-sdn:33151 organization', 'ofac-sdn:47371 vessel'],
    );
    assert.deepEqual(warnings, []);
  });

  it('composes names from typed parts: primary, strong, original script, weak (LowQuality)', () => {
    assert.deepEqual(byId.get('48603')?.names, [
      { value: 'KHOROSHEV, Dmitry Yuryevich', kind: 'primary' },
      { value: 'KHOROSHEV, Dmitriy Yurevich', kind: 'strong_alias' },
      { value: 'Хорошев, Дмитрий Юрьевич', kind: 'original_script', lang: 'Cyrl' },
      { value: 'LOCKBITSUPP', kind: 'weak_alias' },
    ]);
    assert.deepEqual(byId.get('33151')?.names, [
      { value: 'SUEX OTC, S.R.O.', kind: 'primary' },
      { value: 'SUCCESSFUL EXCHANGE', kind: 'weak_alias' },
    ]);
  });

  it('reads features: birth date, place of birth, nationality, citizenship, gender, e-mail', () => {
    const e = byId.get('48603');
    assert.deepEqual(e?.dates, [{ kind: 'birth', value: '1993-04-17' }]);
    assert.deepEqual(e?.placesOfBirth, ['Russia']);
    assert.deepEqual(e?.countries, [
      { country: 'RU', role: 'birth' },
      { country: 'RU', role: 'nationality' },
      { country: 'RU', role: 'citizenship' },
      { country: 'RU', role: 'location' },
    ]);
    assert.equal(e?.gender, 'male');
    assert.ok(e?.identifiers.some((i) => i.type === 'email' && i.value === 'khoroshev1@icloud.com'));
  });

  it('reads digital currency addresses from features named "Digital Currency Address - <CUR>"', () => {
    assert.deepEqual(byId.get('48603')?.cryptoAddresses, [
      { currency: 'XBT', address: 'bc1qvhnfknw852ephxyc5hm4q520zmvf9maphetc9z' },
    ]);
    assert.deepEqual(byId.get('33151')?.cryptoAddresses, [
      { currency: 'XBT', address: '12HQDsicffSBaYdJ6BhnE22sfjTESmmzKx' },
      { currency: 'XBT', address: 'bc1qdt3gml5z5n50y5hm04u2yjdphefkm0fl2zdj68' },
      { currency: 'ETH', address: '0x2f389ce8bd8ff92de3402ffce4691d17fc4f6535' },
    ]);
  });

  it('attaches documents, locations, relations, programs and listing dates from the other sections', () => {
    const khoroshev = byId.get('48603');
    assert.deepEqual(
      khoroshev?.identifiers.filter((i) => i.type !== 'email'),
      [
        { type: 'passport', value: '2018278055', issuer: 'Russia' },
        { type: 'tax_id', value: '366110340670', issuer: 'Russia' },
      ],
    );
    assert.deepEqual(khoroshev?.programs, ['OFAC:CYBER2']);
    assert.equal(khoroshev?.listedOn, '2024-05-07');
    const suex = byId.get('33151');
    assert.deepEqual(suex?.addresses, [
      {
        full: 'Presnenskaya Embankment, 12, Federation East Tower, Floor 31, Suite Q, Moscow, 123317, Russia',
        street: 'Presnenskaya Embankment, 12, Federation East Tower, Floor 31, Suite Q',
        city: 'Moscow',
        postalCode: '123317',
        country: 'RU',
      },
      {
        full: 'Skorepka 1058/8 Stare Mesto, Prague, 110 00, Czech Republic',
        street: 'Skorepka 1058/8 Stare Mesto',
        city: 'Prague',
        postalCode: '110 00',
        country: 'CZ',
      },
    ]);
    assert.deepEqual(suex?.dates, [{ kind: 'incorporation', value: '2018-09-25' }]);
    assert.deepEqual(
      suex?.identifiers.map((i) => i.type),
      ['website', 'registration', 'lei'],
    );
    const vessel = byId.get('47371');
    assert.deepEqual(vessel?.identifiers, [
      { type: 'call_sign', value: 'A8LU7' },
      { type: 'imo', value: '9339301' },
      { type: 'mmsi', value: '636013272' },
    ]);
    assert.deepEqual(vessel?.countries, [{ country: 'GA', role: 'registration' }]);
    assert.deepEqual(vessel?.relations, [
      { type: 'owned_by', target: 'ofac-sdn:47370', note: 'Owned or Controlled By' },
    ]);
    assert.deepEqual(vessel?.programs, ['OFAC:RUSSIA-EO14024']);
    assert.equal(vessel?.listedOn, undefined);
  });

  it('reads the same in 5-byte chunks (multi-byte Cyrillic split across chunks)', async () => {
    const bytes = new TextEncoder().encode(TEXT);
    const file: SourceFile = {
      name: 'sdn_advanced.xml',
      async *open() {
        for (let i = 0; i < bytes.length; i += 5) yield bytes.subarray(i, i + 5);
      },
    };
    assert.deepEqual((await collect([file])).entities, entities);
  });

  it('does not depend on the order of the sections after the reference values', async () => {
    const moved = TEXT.replace(section('SanctionsEntries'), '')
      .replace(section('Locations'), '')
      .replace(section('IDRegDocuments'), '')
      .replace('<DistinctParties>', `${section('SanctionsEntries')}\n<DistinctParties>`)
      .replace('</Sanctions>', `${section('Locations')}\n${section('IDRegDocuments')}\n</Sanctions>`);
    assert.deepEqual((await collect([bytesSource('sdn_advanced.xml', moved)])).entities, entities);
  });

  it('warns about feature types missing from the reference values', async () => {
    const text = TEXT.replace(
      '<Feature ID="40006" FeatureTypeID="21">',
      '<Feature ID="40006" FeatureTypeID="99999">',
    );
    const { warnings: w, byId: ids } = await collect([bytesSource('sdn_advanced.xml', text)]);
    assert.deepEqual(
      w.map((x) => x.message),
      ['FeatureTypeID 99999 not in ReferenceValueSets; those features were skipped'],
    );
    assert.ok(!ids.get('48603')?.identifiers.some((i) => i.type === 'email'));
  });
});

describe('parseOfacAdvancedXml on bad input', () => {
  it('rejects parties that come before the reference values', async () => {
    const text = TEXT.replace(section('ReferenceValueSets'), '').replace(
      '</Sanctions>',
      `${section('ReferenceValueSets')}\n</Sanctions>`,
    );
    await assert.rejects(
      collect([bytesSource('sdn_advanced.xml', text)]),
      isParseError('sdn_advanced.xml', /DistinctParty before ReferenceValueSets/, {
        element: /DistinctParty\/Profile/,
      }),
    );
  });

  it('rejects a truncated file, naming the open element', async () => {
    const cut = TEXT.slice(0, TEXT.indexOf('<Feature ID="40010"'));
    await assert.rejects(
      collect([bytesSource('sdn_advanced.xml', cut)]),
      isParseError('sdn_advanced.xml', /truncated XML/, {
        element: /^Sanctions\/DistinctParties\/DistinctParty\/Profile$/,
      }),
    );
  });

  it('rejects an sdn.xml given as the advanced format', async () => {
    await assert.rejects(
      collect([
        bytesSource('sdn_advanced.xml', '<sdnList xmlns="http://tempuri.org/sdnList.xsd"></sdnList>'),
      ]),
      isParseError('sdn_advanced.xml', /unexpected root element <sdnList>, expected <Sanctions>/, {
        element: /^sdnList$/,
      }),
    );
  });

  it('rejects a duplicate profile and a file without parties', async () => {
    const party = section('DistinctParties').replace(/^<DistinctParties>|<\/DistinctParties>$/g, '');
    const twice = TEXT.replace('</DistinctParties>', `${party}</DistinctParties>`);
    await assert.rejects(
      collect([bytesSource('sdn_advanced.xml', twice)]),
      isParseError('sdn_advanced.xml', /profile 48603 appears twice/),
    );
    const none = TEXT.replace(section('DistinctParties'), '<DistinctParties />');
    await assert.rejects(
      collect([bytesSource('sdn_advanced.xml', none)]),
      isParseError('sdn_advanced.xml', /no DistinctParty in the file/),
    );
  });

  it('rejects binary content', async () => {
    await assert.rejects(
      collect([bytesSource('sdn_advanced.xml', Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0))]),
      isParseError('sdn_advanced.xml', /binary content/),
    );
  });
});
