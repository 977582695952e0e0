import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ListEntity, ListParser, SourceFile } from '../../model.js';
import { bytesSource, chunkedSource, fileSource, isParseError, parseAll } from '../testing.js';
import { parseOfacCsv } from './csv.parse.js';

const DATA = fileURLToPath(new URL('../../../../../../shared/data/ofac_sdn/', import.meta.url));
const TESTDATA = fileURLToPath(new URL('./testdata/', import.meta.url));

const SDN_2024 = `${DATA}sdn_2024-05-03.csv`;
const COMPANIONS_2025 = ['add_2025-12-24.csv', 'alt_2025-12-24.csv', 'sdn_comments_2025-12-24.csv'].map(
  (f) => `${DATA}${f}`,
);
const SUBSET = ['sdn', 'add', 'alt', 'sdn_comments'].map((f) => `${DATA}watchman_ofactest_subset_${f}.csv`);

async function collect(parser: ListParser, files: SourceFile[]) {
  const { entities, warnings } = await parseAll(parser, files);
  return { entities, warnings, byId: new Map(entities.map((e) => [e.sourceId, e])) };
}

/** The same file delivered in chunks of `size` bytes, to exercise chunk boundaries. */
const chunked = (path: string, size: number) => chunkedSource(basename(path), readFileSync(path), size);

function cryptoPairs(entities: ListEntity[]): Set<string> {
  return new Set(
    entities.flatMap((e) => e.cryptoAddresses.map((c) => `${e.sourceId} ${c.currency} ${c.address}`)),
  );
}

describe('parseOfacCsv on the real sdn.csv of 2024-05-03', async () => {
  const { entities, warnings, byId } = await collect(parseOfacCsv, [fileSource(SDN_2024)]);

  it('yields one entity per row: 14,965, as the README says', () => {
    // The file has 14,965 CRLF-terminated rows plus OFAC's final control-Z line, which is not a row.
    assert.equal(entities.length, 14965);
    assert.equal(new Set(entities.map((e) => e.id)).size, 14965);
    const kinds = Object.fromEntries(['person', 'organization', 'vessel', 'aircraft'].map((k) => [k, 0]));
    for (const e of entities) kinds[e.kind] = (kinds[e.kind] ?? 0) + 1;
    assert.deepEqual(kinds, { person: 6854, organization: 6884, vessel: 851, aircraft: 376 });
  });

  it('reads names: one primary per entity plus the weak aliases of the remarks', () => {
    const names = entities.flatMap((e) => e.names);
    assert.equal(names.length, 18628);
    assert.equal(names.filter((n) => n.kind === 'primary').length, 14965);
    assert.equal(names.filter((n) => n.kind === 'weak_alias').length, 3663);
    assert.deepEqual(byId.get('306')?.names, [
      { value: 'BANCO NACIONAL DE CUBA', kind: 'primary' },
      { value: 'BNC', kind: 'weak_alias' },
    ]);
  });

  it('maps ids, programs, vessel fields and nulls', () => {
    const e = byId.get('36');
    assert.equal(e?.id, 'ofac-sdn:36');
    assert.equal(e?.kind, 'organization');
    assert.deepEqual(e?.programs, ['OFAC:CUBA']);
    assert.equal(e?.remarks, undefined, '-0- is null');
    const vessel = entities.find(
      (x) => x.kind === 'vessel' && x.identifiers.some((i) => i.type === 'call_sign'),
    );
    assert.ok(vessel, 'a vessel with a call sign');
    assert.ok(vessel.countries.some((c) => c.role === 'registration' && c.country.length === 2));
    assert.ok(
      entities.some((x) => x.programs.length > 1 && x.programs.every((p) => /^OFAC:[^\][]+$/.test(p))),
    );
  });

  it('finds 288 crypto addresses on 55 entities, the derived list less its 6 half addresses', () => {
    // derived_dca_from_sdn_2024-05-03.csv counts 294 rows on 55 entities with a regex over the raw
    // Remarks. 18 Remarks are cut at 1,000 characters (their overflow is in an sdn_comments.csv this
    // scrape lacks); in 6 of them the cut falls inside an address, which the regex still takes
    // ("1B64QRxf", "3", …). The parser drops the cut last item, so it finds 288 real addresses:
    // equal to the derived count once those fragments are left out. With the overflow (next suite)
    // it finds far more.
    const ours = cryptoPairs(entities);
    assert.equal(ours.size, 288);
    assert.equal(entities.filter((e) => e.cryptoAddresses.length > 0).length, 55);
    const derived = new Set(
      readFileSync(`${DATA}derived_dca_from_sdn_2024-05-03.csv`, 'utf8')
        .trim()
        .split(/\r?\n/)
        .slice(1)
        .map((l) => l.split(','))
        .map((f) => `${f[0]} ${f.at(-2)} ${f.at(-1)}`),
    );
    assert.equal(derived.size, 294);
    for (const pair of ours) assert.ok(derived.has(pair), `${pair} is in the derived list`);
    const fragments = [...derived].filter((p) => !ours.has(p));
    assert.equal(fragments.length, 6);
    for (const f of fragments) {
      const [ent, cur, address] = f.split(' ');
      const remarks = byId.get(ent ?? '')?.remarks ?? '';
      assert.ok(remarks.endsWith(`${cur} ${address}`), `${f} is the cut end of the Remarks`);
    }
  });

  it('warns once about the Remarks cut without their overflow', () => {
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]?.message ?? '', /^18 entities have Remarks cut/);
  });

  it('reads the whole file in tiny chunks the same way', async () => {
    const again = await collect(parseOfacCsv, [chunked(SDN_2024, 4093)]);
    assert.equal(again.entities.length, 14965);
    assert.deepEqual(again.entities[1000], entities[1000]);
    assert.deepEqual(again.entities.at(-1), entities.at(-1));
  });
});

describe('parseOfacCsv with the 2025 companion files', async () => {
  const { entities, warnings, byId } = await collect(parseOfacCsv, [
    fileSource(SDN_2024),
    ...COMPANIONS_2025.map((f) => fileSource(f)),
  ]);

  it('joins addresses, strong aliases and the Remarks overflow by ent_num', () => {
    assert.equal(entities.length, 14965);
    const names = entities.flatMap((e) => e.names);
    assert.equal(names.length, 36286);
    const count = (k: string) => names.filter((n) => n.kind === k).length;
    assert.deepEqual(
      {
        primary: count('primary'),
        strong: count('strong_alias'),
        former: count('former_name'),
        weak: count('weak_alias'),
      },
      { primary: 14965, strong: 17093, former: 533, weak: 3695 },
    );
    const lazarus = byId.get('27307');
    assert.deepEqual(lazarus?.addresses, [
      {
        full: 'Potonggang District, Pyongyang, Korea, North',
        street: 'Potonggang District',
        city: 'Pyongyang',
        country: 'KP',
      },
    ]);
    assert.equal(lazarus?.names.filter((n) => n.kind === 'weak_alias').length, 11);
    assert.ok(
      lazarus?.names.some((n) => n.value === 'WHOIS HACKING TEAM'),
      'the alias cut at 1,000 characters is whole again',
    );
    assert.ok(lazarus?.remarks?.endsWith("a.k.a. 'APPLEWORM'."));
  });

  it('counts crypto addresses: at least the derived list (294 rows, 55 entities)', () => {
    // With the overflow, the remarks cut in the 2024 file are complete again: 522 addresses on 55
    // entities, well above the derived list, and each of its 6 half addresses is now whole.
    const ours = cryptoPairs(entities);
    assert.equal(ours.size, 522);
    assert.ok(ours.size >= 294);
    assert.equal(entities.filter((e) => e.cryptoAddresses.length > 0).length, 55);
    const suex = byId.get('33151');
    assert.ok(suex?.cryptoAddresses.some((c) => c.address === '1B64QRxfaa35MVkf7sDjuGUYAP5izQt7Qi'));
  });

  it('warns once per companion file about rows of entities absent from the 2024 sdn.csv', () => {
    // The companions are from 2025-12-24: entities designated after 2024-05-03 have rows there but
    // no sdn.csv row. Five 2024 Remarks are complete yet have a 2025 overflow (their Remarks changed
    // in between); that overflow is left out rather than glued to unrelated text.
    const byFile = new Map<string, string[]>();
    for (const w of warnings) byFile.set(w.file, [...(byFile.get(w.file) ?? []), w.message]);
    assert.match(
      byFile.get('add_2025-12-24.csv')?.join() ?? '',
      /^4893 rows \(4253 ent_num\) refer to entities absent/,
    );
    assert.match(byFile.get('alt_2025-12-24.csv')?.join() ?? '', /^2460 rows \(1567 ent_num\)/);
    assert.match(byFile.get('sdn_comments_2025-12-24.csv')?.join() ?? '', /^6 rows \(6 ent_num\)/);
    assert.equal(byFile.get('add_2025-12-24.csv')?.length, 1);
    const main = byFile.get('sdn_2024-05-03.csv') ?? [];
    assert.equal(main.length, 2);
    assert.match(
      main[0] ?? '',
      /^5 entities have complete Remarks yet an sdn_comments.csv overflow \(ent_num 22985, 34682/,
    );
    assert.match(main[1] ?? '', /^1 entities have Remarks cut .*39796/);
    assert.equal(byId.get('22985')?.remarks?.includes('4X3191Z8'), false);
  });
});

describe('parseOfacCsv on the watchman test subset', async () => {
  const { entities, warnings, byId } = await collect(
    parseOfacCsv,
    SUBSET.map((f) => fileSource(f)),
  );

  it('reads the 17 entities with their companions', () => {
    assert.equal(entities.length, 17);
    const lifshits = byId.get('29702');
    assert.equal(lifshits?.kind, 'person');
    assert.deepEqual(lifshits?.names, [{ value: 'LIFSHITS, Artem Mikhaylovich', kind: 'primary' }]);
    assert.deepEqual(lifshits?.programs, ['OFAC:CYBER2', 'OFAC:ELECTION-EO13848']);
    assert.deepEqual(
      lifshits?.cryptoAddresses.map((c) => c.currency),
      ['XBT', 'XBT', 'ETH', 'ETH', 'LTC', 'DASH'],
    );
    assert.equal(lifshits?.gender, 'male');
    assert.deepEqual(lifshits?.addresses[0]?.country, 'RU');
    const khoroshev = byId.get('48603');
    assert.deepEqual(
      khoroshev?.names.map((n) => `${n.kind}:${n.value}`),
      [
        'primary:KHOROSHEV, Dmitry Yuryevich',
        'strong_alias:KHOROSHEV, Dmitriy Yurevich',
        'strong_alias:YURIEVICH, Dmitry',
        'strong_alias:KHOROSHEV, Dmitrii Yuryevich',
        'weak_alias:LOCKBITSUPP',
      ],
    );
  });

  it('joins the Remarks overflow of SUEX OTC (33151) mid-address', () => {
    const suex = byId.get('33151');
    assert.ok(
      suex?.cryptoAddresses.some(
        (c) => c.currency === 'XBT' && c.address === '1B64QRxfaa35MVkf7sDjuGUYAP5izQt7Qi',
      ),
    );
    assert.equal(suex?.cryptoAddresses.filter((c) => c.currency === 'ETH').length, 4);
    assert.equal(suex?.cryptoAddresses.filter((c) => c.currency === 'USDT').length, 7);
    assert.deepEqual(suex?.dates, [{ kind: 'incorporation', value: '2018-09-25' }]);
    assert.equal(suex?.addresses.length, 2);
  });

  it('reads vessels and aircraft', () => {
    const ns = byId.get('47371');
    assert.equal(ns?.kind, 'vessel');
    assert.deepEqual(ns?.identifiers, [
      { type: 'call_sign', value: 'A8LU7' },
      { type: 'imo', value: '9339301' },
      { type: 'mmsi', value: '636013272' },
    ]);
    assert.deepEqual(ns?.countries, [{ country: 'GA', role: 'registration' }]);
    assert.deepEqual(ns?.relations, [
      {
        type: 'related',
        target: 'ofac-sdn:name:NS LEADER SHIPPING INCORPORATED',
        note: 'Linked To: NS LEADER SHIPPING INCORPORATED',
      },
    ]);
    assert.equal(byId.get('48727')?.kind, 'aircraft');
    assert.deepEqual(byId.get('48727')?.programs, ['OFAC:SDGT', 'OFAC:NPWMD', 'OFAC:IRGC', 'OFAC:IFSR']);
  });

  it('warns about the subset companion rows whose entity is not in the subset', () => {
    assert.deepEqual(
      warnings.map((w) => [w.file, w.message.split(' refer')[0]]),
      [
        ['watchman_ofactest_subset_add.csv', '4 rows (4 ent_num)'],
        ['watchman_ofactest_subset_alt.csv', '5 rows (5 ent_num)'],
      ],
    );
  });

  it('tells the files apart by name, whatever the case and order', async () => {
    const names = ['ALT.CSV', 'SDN_COMMENTS.CSV', 'ADD.CSV', 'SDN.CSV'];
    const order = [SUBSET[2], SUBSET[3], SUBSET[1], SUBSET[0]];
    const renamed = order.map((p, i) => fileSource(p ?? '', names[i]));
    const again = await collect(parseOfacCsv, renamed);
    assert.deepEqual(again.entities, entities);
  });
});

describe('parseOfacCsv on small hand-made files', () => {
  const t = (name: string) => fileSource(`${TESTDATA}${name}`);

  it('skips a header row and the final control-Z', async () => {
    const { entities } = await collect(parseOfacCsv, [t('handmade_sdn_with_header.csv')]);
    assert.deepEqual(
      entities.map((e) => e.names[0]?.value),
      ['AEROCARIBBEAN AIRLINES'],
    );
  });

  it('reads UTF-8 names split across chunks', async () => {
    const text =
      '7,"MÜLLER, Jürgen ŁÓDŹ","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"nationality Germany."\r\n\u001a';
    const bytes = new TextEncoder().encode(text);
    const file: SourceFile = {
      name: 'sdn.csv',
      async *open() {
        for (const b of bytes) yield Uint8Array.of(b);
      },
    };
    const { entities } = await collect(parseOfacCsv, [file]);
    assert.equal(entities[0]?.names[0]?.value, 'MÜLLER, Jürgen ŁÓDŹ');
    assert.deepEqual(entities[0]?.countries, [{ country: 'DE', role: 'nationality' }]);
  });

  const bad: Array<[string, string, number | undefined, RegExp]> = [
    [
      'a row of sdn.csv with 11 columns',
      'handmade_sdn_bad_columns.csv',
      2,
      /row has 11 columns, expected 12/,
    ],
    ['a non-numeric ent_num', 'handmade_sdn_bad_entnum.csv', 2, /ent_num "17x3" is not a number/],
    ['a duplicate ent_num', 'handmade_sdn_duplicate.csv', 3, /ent_num 36 appears twice/],
    ['an empty sdn.csv', 'handmade_sdn_empty.csv', undefined, /no rows/],
    ['an sdn.csv holding only the control-Z', 'handmade_sdn_only_eof.csv', undefined, /no rows/],
    ['binary content (a ZIP)', 'handmade_sdn_binary.csv', 1, /binary content/],
    ['bytes that are not UTF-8 (Latin-1)', 'handmade_sdn_latin1.csv', 1, /not UTF-8/],
    [
      'a first row of 6 columns (an add.csv under the name sdn)',
      'handmade_sdn_six_columns.csv',
      1,
      /first row has 6 columns.*not look like an OFAC sdn\.csv/,
    ],
    ['an unclosed quote', 'handmade_sdn_unclosed_quote.csv', undefined, /CSV syntax error/],
  ];
  for (const [what, file, line, pattern] of bad) {
    it(`rejects ${what}`, async () => {
      await assert.rejects(collect(parseOfacCsv, [t(file)]), isParseError(file, pattern, { line }));
    });
  }

  it('rejects a companion row with the wrong column count', async () => {
    await assert.rejects(
      collect(parseOfacCsv, [t('handmade_sdn_duplicate.csv'), t('alt_bad_columns.csv')]),
      isParseError('alt_bad_columns.csv', /row has 3 columns, expected 5/, { line: 2 }),
    );
  });

  it('rejects a set of files without sdn.csv', async () => {
    await assert.rejects(
      collect(parseOfacCsv, [bytesSource('add.csv', '36,25,-0- ,"Havana","Cuba",-0- \r\n')]),
      isParseError('add.csv', /no sdn\.csv among the files/),
    );
  });
});
