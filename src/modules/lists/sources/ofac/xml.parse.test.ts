// No real sdn.xml is available offline (../shared/data has the CSV family only), so these tests read
// testdata/sdn.xml: a small file made by hand in the published sdn.xml schema, with four entries
// whose values come from the real CSV files (KHOROSHEV 48603, SUEX OTC 33151, NS LEADER 47371,
// BANK SADERAT PLC 4642).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { SourceFile } from '../../model.js';
import { bytesSource, chunkedSource, fileSource, isParseError, parseAll } from '../testing.js';
import { parseOfacXml, SDN_XML_NAMESPACES } from './xml.parse.js';

const SDN_XML = fileURLToPath(new URL('./testdata/sdn.xml', import.meta.url));
const TEXT = readFileSync(SDN_XML, 'utf8');

async function collect(files: SourceFile[]) {
  const { entities, warnings } = await parseAll(parseOfacXml, files);
  return { entities, warnings, byId: new Map(entities.map((e) => [e.sourceId, e])) };
}

describe('parseOfacXml on a hand-made sdn.xml', async () => {
  const { entities, warnings, byId } = await collect([fileSource(SDN_XML)]);

  it('yields the four entries in the ofac-sdn id space, without warnings', () => {
    assert.deepEqual(
      entities.map((e) => `${e.id} ${e.kind}`),
      [
        'ofac-sdn:48603 person',
        'ofac-sdn:33151 organization',
        'ofac-sdn:47371 vessel',
        'ofac-sdn:4642 organization',
      ],
    );
    assert.deepEqual(warnings, []);
  });

  it('reads an individual: names by strength, DOB, POB, nationality, citizenship, documents', () => {
    const e = byId.get('48603');
    assert.deepEqual(e?.names, [
      { value: 'KHOROSHEV, Dmitry Yuryevich', kind: 'primary' },
      { value: 'KHOROSHEV, Dmitriy Yurevich', kind: 'strong_alias' },
      { value: 'YURIEVICH, Dmitry', kind: 'strong_alias' },
      { value: 'LOCKBITSUPP', kind: 'weak_alias' },
    ]);
    assert.deepEqual(e?.dates, [{ kind: 'birth', value: '1993-04-17' }]);
    assert.deepEqual(e?.placesOfBirth, ['Russian Federation']);
    assert.deepEqual(e?.countries, [
      { country: 'RU', role: 'birth' },
      { country: 'RU', role: 'nationality' },
      { country: 'RU', role: 'citizenship' },
      { country: 'RU', role: 'location' },
    ]);
    assert.equal(e?.gender, 'male');
    assert.deepEqual(e?.identifiers, [
      { type: 'email', value: 'khoroshev1@icloud.com' },
      { type: 'email', value: 'sitedev5@yandex.ru' },
      { type: 'passport', value: '2018278055', issuer: 'Russia' },
      { type: 'passport', value: '2006801524', issuer: 'Russia' },
      { type: 'tax_id', value: '366110340670', issuer: 'Russia' },
    ]);
    assert.deepEqual(e?.cryptoAddresses, [
      { currency: 'XBT', address: 'bc1qvhnfknw852ephxyc5hm4q520zmvf9maphetc9z' },
    ]);
    assert.deepEqual(e?.programs, ['OFAC:CYBER2']);
  });

  it('reads digital currency addresses from idList (XBT, ETH, USDT)', () => {
    const e = byId.get('33151');
    assert.deepEqual(
      e?.cryptoAddresses.map((c) => `${c.currency} ${c.address}`),
      [
        'XBT 12HQDsicffSBaYdJ6BhnE22sfjTESmmzKx',
        'XBT bc1qdt3gml5z5n50y5hm04u2yjdphefkm0fl2zdj68',
        'ETH 0x2f389ce8bd8ff92de3402ffce4691d17fc4f6535',
        'USDT 0x2f389ce8bd8ff92de3402ffce4691d17fc4f6535',
      ],
    );
    assert.deepEqual(e?.dates, [{ kind: 'incorporation', value: '2018-09-25' }]);
    assert.deepEqual(e?.names, [
      { value: 'SUEX OTC, S.R.O.', kind: 'primary' },
      { value: 'SUCCESSFUL EXCHANGE', kind: 'weak_alias' },
    ]);
    assert.deepEqual(e?.addresses[1], {
      full: 'Skorepka 1058/8 Stare Mesto, Prague, 110 00, Czech Republic',
      street: 'Skorepka 1058/8 Stare Mesto',
      city: 'Prague',
      postalCode: '110 00',
      country: 'CZ',
    });
    assert.ok(e?.identifiers.some((i) => i.type === 'lei' && i.value === '5299007NTWCC3U23WM81'));
  });

  it('reads a vessel: IMO, MMSI, call sign and flag', () => {
    const e = byId.get('47371');
    assert.deepEqual(e?.identifiers, [
      { type: 'imo', value: '9339301' },
      { type: 'mmsi', value: '636013272' },
      { type: 'call_sign', value: 'A8LU7' },
    ]);
    assert.deepEqual(e?.countries, [{ country: 'GA', role: 'registration' }]);
  });

  it('reads f.k.a. as former names, several programs, and keeps remarks', () => {
    const e = byId.get('4642');
    assert.deepEqual(
      e?.names.map((n) => n.kind),
      ['primary', 'former_name', 'former_name'],
    );
    assert.deepEqual(e?.programs, ['OFAC:IRAN', 'OFAC:SDGT', 'OFAC:IFSR']);
    assert.equal(e?.remarks, 'all offices worldwide.');
    assert.deepEqual(e?.identifiers, [{ type: 'registration', value: '01126618', issuer: 'United Kingdom' }]);
  });

  it('reads the same in 7-byte chunks, under the historical namespace too', async () => {
    const old = TEXT.replace(SDN_XML_NAMESPACES[0], SDN_XML_NAMESPACES[1]);
    const again = await collect([chunkedSource('sdn.xml', old, 7)]);
    assert.deepEqual(again.entities, entities);
    assert.deepEqual(again.warnings, []);
  });

  it('warns about an unknown namespace and a wrong Record_Count', async () => {
    const text = TEXT.replace(SDN_XML_NAMESPACES[0], 'urn:example:sdn').replace(
      '<Record_Count>4</Record_Count>',
      '<Record_Count>5</Record_Count>',
    );
    const { entities: again, warnings: w } = await collect([bytesSource('sdn.xml', text)]);
    assert.equal(again.length, 4);
    assert.deepEqual(
      w.map((x) => x.message),
      ['unknown namespace urn:example:sdn, read as sdn.xml', 'Record_Count says 5 entries, the file has 4'],
    );
  });
});

describe('parseOfacXml on bad input', () => {
  it('rejects a truncated file, naming the open element', async () => {
    const cut = TEXT.slice(0, TEXT.indexOf('<uid>47371</uid>'));
    await assert.rejects(
      collect([bytesSource('sdn.xml', cut)]),
      isParseError('sdn.xml', /truncated XML/, { element: /^sdnList\/sdnEntry$/ }),
    );
  });

  it('rejects a CSV file', async () => {
    const csv = '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n';
    await assert.rejects(
      collect([bytesSource('sdn.xml', csv)]),
      isParseError('sdn.xml', /not XML: text data outside of root/),
    );
  });

  it('rejects another XML root, naming it', async () => {
    await assert.rejects(
      collect([
        bytesSource('sdn.xml', '<?xml version="1.0"?>\n<Sanctions xmlns="x"><DistinctParties/></Sanctions>'),
      ]),
      isParseError('sdn.xml', /unexpected root element <Sanctions>, expected <sdnList>/, {
        line: 2,
        element: /^Sanctions$/,
      }),
    );
  });

  it('rejects binary content, an empty file and malformed XML', async () => {
    await assert.rejects(
      collect([bytesSource('sdn.xml', Uint8Array.of(0x50, 0x4b, 3, 4, 0, 0))]),
      isParseError('sdn.xml', /binary content/),
    );
    await assert.rejects(
      collect([bytesSource('sdn.xml', '')]),
      isParseError('sdn.xml', /no XML root element/),
    );
    await assert.rejects(
      collect([bytesSource('sdn.xml', '<sdnList>\n<sdnEntry><uid>1</uid></sdnList>')]),
      isParseError('sdn.xml', /not well-formed XML/, { line: 2 }),
    );
  });

  it('rejects an sdnList without entries and a duplicate uid', async () => {
    await assert.rejects(
      collect([bytesSource('sdn.xml', '<sdnList><publshInformation/></sdnList>')]),
      isParseError('sdn.xml', /no sdnEntry/),
    );
    const entry = TEXT.slice(TEXT.indexOf('<sdnEntry>'), TEXT.indexOf('</sdnEntry>') + '</sdnEntry>'.length);
    const twice = TEXT.replace('</sdnList>', `${entry}\n</sdnList>`);
    await assert.rejects(
      collect([bytesSource('sdn.xml', twice)]),
      isParseError('sdn.xml', /uid 48603 appears twice/),
    );
  });
});
