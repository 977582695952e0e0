import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EntityName, ListEntity } from '../lists/model.js';
import {
  buildNameIndex,
  DEFAULT_MAX_CANDIDATES,
  type EntityMatch,
  type IndexedEntity,
  type NameQuery,
} from './name-index.js';
import { type NameKind, prepareName, retrievalKeys } from './names/index.js';

function entity(
  id: string,
  kind: ListEntity['kind'],
  names: (string | [string, EntityName['kind']])[],
  extra: Partial<ListEntity> = {},
): IndexedEntity {
  return {
    versionId: 'test@1',
    entity: {
      id: `test:${id}`,
      source: 'test',
      sourceId: id,
      kind,
      names: names.map((n, i) =>
        typeof n === 'string'
          ? { value: n, kind: i === 0 ? 'primary' : 'strong_alias' }
          : { value: n[0], kind: n[1] },
      ),
      dates: [],
      countries: [],
      identifiers: [],
      addresses: [],
      programs: ['TEST'],
      cryptoAddresses: [],
      relations: [],
      placesOfBirth: [],
      ...extra,
    },
  };
}

const SURNAMES = [
  'Karimi',
  'Hosseini',
  'Ahmadi',
  'Rezaei',
  'Moradi',
  'Mohammadi',
  'Hashemi',
  'Jafari',
  'Sadeghi',
  'Ghasemi',
  'Akbari',
  'Bagheri',
  'Rahmani',
  'Kazemi',
  'Yousefi',
  'Mousavi',
  'Amini',
  'Heidari',
  'Nazari',
  'Ebrahimi',
];

const ENTITIES: IndexedEntity[] = [
  entity('haqqani', 'person', ['HAQQANI, Abdul Kabir Mohammad'], {
    dates: [{ kind: 'birth', value: '1966-03-15' }],
    countries: [{ country: 'AF', role: 'nationality' }],
    identifiers: [{ type: 'passport', value: 'OR 123456' }],
  }),
  entity('nasab', 'person', ['Mohammad Rahimi Nasab'], {
    dates: [{ kind: 'birth', value: '1970-05-05' }],
    countries: [{ country: 'IR', role: 'nationality' }],
  }),
  // many names sharing the commonest given name
  ...SURNAMES.flatMap((s, i) => [
    entity(`m${i}`, 'person', [`Mohammad ${s}`]),
    entity(`a${i}`, 'person', [`Ali ${s} Mohammad`]),
  ]),
  entity('kim', 'person', ['KIM Jong Un', ['김정은', 'original_script'], ['金正恩', 'original_script']]),
  entity('kuzmichev', 'person', ['Kuzmichev, Alexey', 'Alexey Kuzmichev']),
  entity('soleimani', 'person', ['Qasem Soleimani', ['SOLAIMANI, Qassem', 'strong_alias']]),
  entity('huione', 'organization', ['Huione Pay PLC', ['HuiOne Payment', 'weak_alias']]),
  entity('haowang', 'organization', ['Haowang Guarantee Co., Ltd.']),
  entity('mds', 'organization', ['M. D. S. IMPORT EXPORT CO., LTD.']),
  entity('belletech', 'organization', ['BELLETECH CORP']),
  entity('vessel', 'vessel', ['OCEAN GLORY']),
  entity('putin', 'person', ['Владимир Путин', ['Vladimir Putin', 'strong_alias']]),
];

const QUERIES: NameQuery[] = [
  { name: 'Abdul Kabir Haqani', dob: '1966-03-15', country: 'AF' },
  { name: 'Abdul Kabir', country: 'AF' },
  { name: 'Abdul Kabir' },
  { name: 'Mohammad Rahimi Nasab' },
  { name: 'Mohamad Rahimy Nassab', dob: '1970-05-05' },
  { name: 'Mohammad Karimi' },
  { name: 'Ali Hosseini Mohammad' },
  { name: 'Mohammad' },
  { name: 'Kim Jong Un' },
  { name: '金正恩', kind: 'person' },
  { name: 'Alexey Kuzmichev' },
  { name: 'KUZMICHYOV, Aleksey' },
  { name: 'Qassem Suleimani', country: 'IR' },
  { name: 'Huione Pay', kind: 'organization' },
  { name: 'MDS Import Export', kind: 'organization' },
  { name: 'Haowang Guarantee Company Limited' },
  { name: 'Belletech Corporation' },
  { name: 'Vladimir Putin', kind: 'person' },
  { name: 'Kyle Anne Thompson', dob: '1980-01-01', country: 'US' },
  { name: 'Someone Else', identifiers: [{ value: 'OR-123456' }] },
];

function brief(matches: EntityMatch[]): [string, number, string][] {
  return matches.map((m) => [m.entityId, m.score, m.matchedName]);
}

describe('name index', () => {
  const index = buildNameIndex(ENTITIES);

  test('finds what a scan of every name finds, at the review threshold and above', () => {
    for (const minScore of [0.7, 0.85]) {
      for (const q of QUERIES) {
        const scan = index.searchNaive(q, { minScore });
        const indexed = index.search(q, { minScore, maxCandidates: 10_000 });
        assert.deepEqual(brief(indexed), brief(scan), `${q.name} at ${minScore}`);
      }
    }
  });

  test('indexes searched in turn keep their own results (they share the search code and scratch)', () => {
    const other = buildNameIndex([...ENTITIES].reverse().filter((_, i) => i % 3 !== 0));
    const alone = (ix: typeof index) => QUERIES.map((q) => brief(ix.search(q, { minScore: 0.5 })));
    const expectedIndex = alone(index);
    const expectedOther = alone(other);
    assert.notDeepEqual(expectedOther, expectedIndex);
    QUERIES.forEach((q, i) => {
      assert.deepEqual(brief(other.search(q, { minScore: 0.5 })), expectedOther[i], `other: ${q.name}`);
      assert.deepEqual(brief(index.search(q, { minScore: 0.5 })), expectedIndex[i], q.name);
    });
  });

  test('with the default number of candidates too, on these lists', () => {
    for (const q of QUERIES)
      assert.deepEqual(
        brief(index.search(q, { minScore: 0.7 })),
        brief(index.searchNaive(q, { minScore: 0.7 })),
        q.name,
      );
  });

  test('evidence can lift a name just below the threshold: it is still scored', () => {
    // `Abdul Kabir` against `HAQQANI, Abdul Kabir Mohammad` scores below 0.7 on the name alone
    const alone = index.search({ name: 'Abdul Kabir' }, { minScore: 0.7 });
    assert.equal(
      alone.find((m) => m.entityId === 'test:haqqani'),
      undefined,
    );
    const withCountry = index.search({ name: 'Abdul Kabir', country: 'AF' }, { minScore: 0.7 });
    const hit = withCountry.find((m) => m.entityId === 'test:haqqani');
    assert.ok(hit, JSON.stringify(brief(withCountry)));
    assert.ok(hit.nameScore < 0.7 && hit.score >= 0.7, `${hit.nameScore} → ${hit.score}`);
    assert.ok(hit.features.some((f) => f.name === 'country_match'));
  });

  test('the rare name among many sharing a common one comes first, even with one candidate', () => {
    const [top] = index.search({ name: 'Mohammad Rahimi Nasab' }, { maxCandidates: 1 });
    assert.equal(top?.entityId, 'test:nasab');
    assert.equal(top?.score, 1);
  });

  test('an entity scores as its best name; between equal names, the one listed first', () => {
    const [top] = index.search({ name: 'Alexey Kuzmichev' });
    assert.equal(top?.entityId, 'test:kuzmichev');
    assert.equal(top?.score, 1);
    assert.equal(top?.matchedName, 'Kuzmichev, Alexey');
    assert.equal(top?.matchedNameKind, 'primary');
  });

  test('the returned matches are explained', () => {
    const [top] = index.search({ name: 'Qassem Suleimani', country: 'IR' });
    assert.equal(top?.entityId, 'test:soleimani');
    assert.ok(top && top.comparison.aligned.length === 2, JSON.stringify(top?.comparison));
    assert.equal(top?.features[0]?.name, 'name');
    assert.ok((top?.features[0]?.detail ?? '').length > 0);
  });

  test('an exact identifier finds its entity whatever the name', () => {
    const [top] = index.search(
      { name: 'Someone Else', identifiers: [{ value: 'OR-123456' }] },
      { minScore: 0.7 },
    );
    assert.equal(top?.entityId, 'test:haqqani');
    assert.ok((top?.score ?? 0) >= 0.99);
  });

  test('explainRetrieval counts what a search reads and scores', () => {
    const r = index.explainRetrieval({ name: 'Mohammad' });
    assert.ok(r.keys.length > 0);
    assert.ok(r.touched >= 40, `${r.touched} names share a key`);
    assert.ok(r.scored > 0 && r.scored <= Math.min(r.touched, DEFAULT_MAX_CANDIDATES));
    const none = index.explainRetrieval({ name: 'Zzyzx Qwpl' });
    assert.deepEqual([none.touched, none.scored], [0, 0]);
  });
});

/**
 * The candidates a query's retrieval should give, found without the index: every listed name's keys
 * against the query's, ranked by the IDF-weighted Dice coefficient.
 */
function referenceRanks(entries: IndexedEntity[], query: string): { key: string; rank: number }[] {
  const kinds: Record<string, NameKind> = { person: 'person', organization: 'organization' };
  const listed: { key: string; keys: string[] }[] = [];
  for (const e of entries) {
    const seen = new Set<string>();
    for (const n of e.entity.names) {
      if (seen.has(`${n.kind}\u0000${n.value}`) || n.value.trim() === '') continue;
      seen.add(`${n.kind}\u0000${n.value}`);
      const keys = [...new Set(retrievalKeys(prepareName(n.value, kinds[e.entity.kind] ?? 'unknown')))];
      listed.push({ key: `${e.entity.id}|${n.value}`, keys });
    }
  }
  const frequency = new Map<string, number>();
  for (const l of listed) for (const k of l.keys) frequency.set(k, (frequency.get(k) ?? 0) + 1);
  const idf = (k: string) => Math.log(1 + listed.length / (frequency.get(k) ?? 1));
  const queryKeys = [...new Set(retrievalKeys(prepareName(query)))].filter((k) => frequency.has(k));
  const queryMass = queryKeys.reduce((a, k) => a + idf(k), 0);
  const out: { key: string; rank: number }[] = [];
  for (const l of listed) {
    const shared = l.keys.filter((k) => queryKeys.includes(k)).reduce((a, k) => a + idf(k), 0);
    if (shared === 0) continue;
    const mass = l.keys.reduce((a, k) => a + idf(k), 0);
    out.push({ key: l.key, rank: (2 * shared) / (queryMass + mass) });
  }
  return out.sort((a, b) => b.rank - a.rank);
}

describe('retrieval', () => {
  // many names sharing common given names and surnames, some rare ones, a few Han and Arabic names
  const given = ['Mohammad', 'Ali', 'Ahmad', 'Hassan', 'Abdul Rahman', 'Yusuf', 'Omar', 'Ibrahim'];
  const entries: IndexedEntity[] = [...ENTITIES];
  let id = 0;
  for (const g of given)
    for (const s of SURNAMES) {
      entries.push(entity(`g${id++}`, 'person', [`${g} ${s}`]));
      entries.push(entity(`g${id++}`, 'person', [`${g} ${s} Al-${SURNAMES[id % SURNAMES.length]}`]));
      if (id % 7 === 0) entries.push(entity(`g${id++}`, 'person', [`${s}, ${g} Mohammad Ali`]));
    }
  entries.push(entity('rare1', 'person', ['Zarghun Mohammad Ali']));
  entries.push(
    entity('rare2', 'person', ['Mohammad Ali Qaderzadeh', ['محمد علی قادرزاده', 'original_script']]),
  );
  entries.push(entity('han', 'person', ['王伟', ['Wang Wei', 'strong_alias']]));
  const index = buildNameIndex(entries);
  const queries = [
    'Mohammad Ali',
    'Mohammad',
    'Mohammad Karimi',
    'Ali Hosseini Mohammad',
    'Zarghun Mohammad Ali',
    'Muhammad Ali Qaderzade',
    'محمد علی',
    'Abdul Rahman Yusuf Omar Ibrahim',
    'Hassan Al-Ahmadi',
    'Omar',
    'Wang Wei',
    '王伟',
    'Kim Jong Un',
    'Ahmad Ibrahim Rezaei Mohammadi',
  ];

  test('reads fewer names than share a key, and still finds every candidate a full ranking keeps', () => {
    let touched = 0;
    let sharing = 0;
    for (const q of queries) {
      const found = index.explainRetrieval({ name: q });
      const reference = referenceRanks(entries, q);
      touched += found.touched;
      sharing += reference.length;
      const top = reference[0]?.rank ?? 0;
      const got = new Set(found.candidates.map((c) => `${c.entityId}|${c.name}`));
      // every name the reference keeps clearly (within a third of the best, among the best
      // DEFAULT_MAX_CANDIDATES, away from ties at the last place) is retrieved
      const last = reference[DEFAULT_MAX_CANDIDATES - 1]?.rank ?? 0;
      for (const r of reference) {
        if (r.rank < (top / 3) * (1 + 1e-6) || r.rank <= last * (1 + 1e-6)) continue;
        assert.ok(got.has(r.key), `${q}: ${r.key} (rank ${r.rank}) not retrieved`);
      }
      // and nothing the reference would not keep
      const ranks = new Map(reference.map((r) => [r.key, r.rank]));
      for (const c of got) {
        const rank = ranks.get(c) ?? 0;
        assert.ok(rank >= (top / 3) * (1 - 1e-6), `${q}: ${c} (rank ${rank}) retrieved below the cut`);
      }
      assert.equal(
        found.scored,
        Math.min(DEFAULT_MAX_CANDIDATES, reference.filter((r) => r.rank >= top / 3).length),
        q,
      );
    }
    assert.ok(touched < sharing, `read ${touched} names of ${sharing} sharing a key`);
  });
});
