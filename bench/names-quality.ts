// Name-matching quality against real public benchmarks, by brute force over the UN consolidated list:
// every list name is scored with compareNames/scoreMatch (no index), so the figures measure the
// matcher alone. Reads ../shared/data (never copied into the repository).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { EntityName, ListEntity } from '../src/modules/lists/model.js';
import { parseUnXml } from '../src/modules/lists/sources/un/xml.parse.js';
import { createSignatureBuffer, mayReach, writeSignature } from '../src/modules/screening/names/bound.js';
import {
  compareNames,
  DEFAULT_THRESHOLD,
  type NameKind,
  nameScore,
  type PreparedName,
  prepareName,
  type QueryEvidence,
  REVIEW_THRESHOLD,
  retrievalKeys,
  scoreMatch,
} from '../src/modules/screening/names/index.js';
import { localFile } from '../src/platform/files.js';

const DATA = fileURLToPath(new URL('../../shared/data/', import.meta.url));
const BENCH = join(DATA, 'matching_benchmarks');
const UN = join(DATA, 'un', 'UN_consolidated_2026-02-27.xml');
const VERBOSE = process.env.NAMES_BENCH_VERBOSE === '1';

interface ListedName {
  entity: number;
  value: string;
  kind: EntityName['kind'];
  prepared: PreparedName;
}

type Row = Record<string, string>;

function readCsv(file: string): Row[] {
  const text = readFileSync(join(BENCH, file), 'utf8');
  return parse(text, { columns: true, skip_empty_lines: true, relax_quotes: true, trim: true }) as Row[];
}

/** Country names (and ISO2 codes) to ISO2, from the runtime's own region names. */
function countryResolver(): (value: string | undefined) => string | undefined {
  const names = new Intl.DisplayNames(['en'], { type: 'region' });
  const map = new Map<string, string>();
  const A = 'A'.charCodeAt(0);
  for (let i = 0; i < 26; i++) {
    for (let j = 0; j < 26; j++) {
      const code = String.fromCharCode(A + i, A + j);
      let name: string | undefined;
      try {
        name = names.of(code);
      } catch {
        name = undefined;
      }
      if (!name || name === code) continue;
      const key = name.toLowerCase();
      map.set(key, code);
      map.set(key.replace(/ sar china$/, ''), code);
      map.set(key.replace(/\s*\(.*\)$/, ''), code);
    }
  }
  const extra: Record<string, string> = {
    russia: 'RU',
    syria: 'SY',
    iran: 'IR',
    'united states': 'US',
    taiwan: 'TW',
  };
  for (const [k, v] of Object.entries(extra)) map.set(k, v);
  return (value) => {
    const v = value?.trim().toLowerCase();
    if (!v) return undefined;
    if (/^[a-z]{2}$/.test(v)) return v.toUpperCase();
    return map.get(v);
  };
}

const KIND: Record<string, NameKind> = {
  person: 'person',
  organization: 'organization',
  vessel: 'organization',
  aircraft: 'organization',
};

async function loadUn(): Promise<{ entities: ListEntity[]; names: ListedName[] }> {
  const entities: ListEntity[] = [];
  for await (const r of parseUnXml([localFile(UN)], () => {}))
    if (r.type === 'entity') entities.push(r.entity);
  const names: ListedName[] = [];
  entities.forEach((e, idx) => {
    const seen = new Set<string>();
    for (const n of e.names) {
      const key = `${n.kind}\u0000${n.value}`;
      if (seen.has(key) || n.value.trim() === '') continue;
      seen.add(key);
      names.push({
        entity: idx,
        value: n.value,
        kind: n.kind,
        prepared: prepareName(n.value, KIND[e.kind] ?? 'unknown'),
      });
    }
  });
  return { entities, names };
}

interface Best {
  score: number;
  name: ListedName;
}

/** Best score per entity for one query. */
function scoreAll(
  query: PreparedName,
  evidence: QueryEvidence,
  entities: ListEntity[],
  names: ListedName[],
): Float64Array {
  const best = new Float64Array(entities.length);
  for (const n of names) {
    const e = entities[n.entity] as ListEntity;
    const cmp = compareNames(query, n.prepared);
    if (cmp.score === 0) continue;
    const { score } = scoreMatch(cmp, n.kind, evidence, e);
    if (score > (best[n.entity] as number)) best[n.entity] = score;
  }
  return best;
}

function bestName(
  query: PreparedName,
  evidence: QueryEvidence,
  entities: ListEntity[],
  names: ListedName[],
): Best | undefined {
  let best: Best | undefined;
  for (const n of names) {
    const cmp = compareNames(query, n.prepared);
    if (cmp.score === 0) continue;
    const { score } = scoreMatch(cmp, n.kind, evidence, entities[n.entity] as ListEntity);
    if (!best || score > best.score) best = { score, name: n };
  }
  return best;
}

function pct(n: number, d: number): string {
  return d === 0 ? '–' : `${((100 * n) / d).toFixed(2)} %`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/** Prints the three quality figures and the comparison speed as a markdown table. */
export async function run(): Promise<void> {
  const country = countryResolver();
  const { entities, names } = await loadUn();
  const byValue = new Map<string, Set<number>>();
  for (const n of names) {
    const key = n.value.trim();
    const set = byValue.get(key) ?? new Set<number>();
    set.add(n.entity);
    byValue.set(key, set);
  }
  const rows: string[][] = [];

  // 1. positives: treated (typos, reorders) query → the original UN entity ranked first
  const treated = readCsv('yente_positives_un_treated.csv');
  const untreated = readCsv('yente_positives_un_untreated.csv');
  let considered = 0;
  let first = 0;
  let matched = 0;
  let retrievable = 0;
  const unretrievable: string[] = [];
  const weak: string[] = [];
  let tied = 0;
  let absent = 0;
  const misses: string[] = [];
  for (let i = 0; i < treated.length; i++) {
    const q = treated[i] as Row;
    const original = (untreated[i] as Row).full_name?.trim() ?? '';
    const targets = byValue.get(original);
    if (!targets) {
      absent++;
      continue;
    }
    considered++;
    const evidence: QueryEvidence = {
      dob: q.date_of_birth || undefined,
      country: country(q.nationality),
      kind: 'person',
    };
    const prepared = prepareName(q.full_name ?? '', 'person');
    const keys = new Set(retrievalKeys(prepared));
    const targetNames = names.filter((n) => targets.has(n.entity) && n.value.trim() === original);
    if (targetNames.some((n) => retrievalKeys(n.prepared).some((k) => keys.has(k)))) retrievable++;
    else unretrievable.push(`${q.full_name} → ${original}`);
    const scores = scoreAll(prepared, evidence, entities, names);
    let target = 0;
    for (const t of targets) target = Math.max(target, scores[t] as number);
    if (target >= DEFAULT_THRESHOLD) matched++;
    else weak.push(`${q.full_name} → ${original}: ${target.toFixed(3)}`);
    let above = 0;
    let equal = 0;
    let rival = -1;
    scores.forEach((s, idx) => {
      if (targets.has(idx)) return;
      if (s > target) {
        above++;
        if (rival < 0 || s > (scores[rival] as number)) rival = idx;
      } else if (s === target && s > 0) equal++;
    });
    if (above === 0 && equal === 0) first++;
    else if (above === 0) tied++;
    else {
      const r = entities[rival] as ListEntity;
      misses.push(
        `${q.full_name} → ${original} (${target.toFixed(3)}) beaten by ${r.names[0]?.value} (${(scores[rival] as number).toFixed(3)})`,
      );
    }
  }
  rows.push([
    'UN positives (yente treated → untreated) ranked first',
    `${first} / ${considered} strictly, ${tied} tied first`,
    pct(first + tied, considered),
    `≥ 99 % (${absent} originals no longer on the list are skipped)`,
  ]);
  rows.push([
    'UN positives whose query shares a retrieval key with the original name',
    `${retrievable} / ${considered}`,
    pct(retrievable, considered),
    'report',
  ]);
  rows.push([
    `UN positives scoring at or above DEFAULT_THRESHOLD ${DEFAULT_THRESHOLD}`,
    `${matched} / ${considered}`,
    pct(matched, considered),
    'report',
  ]);

  // 2. cross-script pairs
  const pairsText = readFileSync(join(BENCH, 'watchman_cross_script_pairs.csv'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .join('\n');
  const pairs = parse(pairsText, {
    columns: ['query', 'expected', 'min', 'description'],
    trim: true,
  }) as Row[];
  let pass = 0;
  const crossFailures: string[] = [];
  for (const p of pairs) {
    const s = compareNames(prepareName(p.query ?? ''), prepareName(p.expected ?? '')).score;
    if (s >= Number(p.min)) pass++;
    else crossFailures.push(`${p.query} ↔ ${p.expected}: ${s.toFixed(3)} < ${p.min} (${p.description})`);
  }
  rows.push([
    'Cross-script pairs (watchman) at or above MinScore',
    `${pass} / ${pairs.length}`,
    pct(pass, pairs.length),
    'report',
  ]);

  // 2b. cordon's own hard pairs (bench/data/name-pairs.tsv): F1 at the default threshold
  const own = readFileSync(fileURLToPath(new URL('./data/name-pairs.tsv', import.meta.url)), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.split('\t'));
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const ownFailures: string[] = [];
  for (const [a = '', b = '', type = 'unknown', same = '0'] of own) {
    const kind = type as NameKind;
    const s = compareNames(prepareName(a, kind), prepareName(b, kind)).score;
    const predicted = s >= DEFAULT_THRESHOLD;
    if (predicted && same === '1') tp++;
    else if (predicted) {
      fp++;
      ownFailures.push(`false match: ${a} ↔ ${b} ${s.toFixed(3)}`);
    } else if (same === '1') {
      fn++;
      ownFailures.push(`missed: ${a} ↔ ${b} ${s.toFixed(3)}`);
    }
  }
  rows.push([
    `Own hard pairs (bench/data/name-pairs.tsv): F1 at DEFAULT_THRESHOLD (precision, recall)`,
    `${tp} found, ${fp} false, ${fn} missed of ${own.length}`,
    `F1 ${((2 * tp) / (2 * tp + fp + fn)).toFixed(3)} (P ${(tp / (tp + fp)).toFixed(3)}, R ${(tp / (tp + fn)).toFixed(3)})`,
    'report',
  ]);

  // 3. negatives: best score against the whole UN list
  const negatives = readCsv('yente_validation_negatives_global.csv');
  let falseMatches = 0;
  let inReview = 0;
  let nameOnly = 0;
  const hits: string[] = [];
  const nameOnlyHits: string[] = [];
  for (const q of negatives) {
    const prepared = prepareName(q.full_name ?? '', 'person');
    const bare = bestName(prepared, { kind: 'person' }, entities, names);
    if (bare && bare.score >= DEFAULT_THRESHOLD) {
      nameOnly++;
      nameOnlyHits.push(`${q.full_name} → ${bare.name.value} [${bare.name.kind}] ${bare.score.toFixed(3)}`);
    }
    const evidence: QueryEvidence = {
      dob: q.date_of_birth || undefined,
      country: country(q.nationality),
      kind: 'person',
    };
    const best = bestName(prepared, evidence, entities, names);
    if (!best) continue;
    if (best.score >= DEFAULT_THRESHOLD) {
      falseMatches++;
      hits.push(
        `${q.full_name} (${q.date_of_birth}, ${q.nationality}) → ${best.name.value} [${best.name.kind}] ${best.score.toFixed(3)}`,
      );
    } else if (best.score >= REVIEW_THRESHOLD) inReview++;
  }
  rows.push([
    `Negatives (yente validation, global) at or above DEFAULT_THRESHOLD ${DEFAULT_THRESHOLD}`,
    `${falseMatches} / ${negatives.length} (${inReview} more in review ≥ ${REVIEW_THRESHOLD})`,
    pct(falseMatches, negatives.length),
    '≤ 0.5 %',
  ]);
  rows.push([
    'Negatives at or above DEFAULT_THRESHOLD on the name alone (no DOB, no country)',
    `${nameOnly} / ${negatives.length}`,
    pct(nameOnly, negatives.length),
    'report',
  ]);

  // speed: compareNames over the whole UN list, per query
  const speedQueries = treated.slice(0, 200).map((q) => prepareName(q.full_name ?? '', 'person'));
  const perComparison: number[] = [];
  let sink = 0;
  for (let round = 0; round < 2; round++) {
    for (const q of speedQueries) {
      const t0 = performance.now();
      for (const n of names) sink += compareNames(q, n.prepared).score;
      if (round === 1) perComparison.push(((performance.now() - t0) * 1000) / names.length);
    }
  }
  const perScore: number[] = [];
  for (let round = 0; round < 2; round++) {
    for (const q of speedQueries) {
      const t0 = performance.now();
      for (const n of names) sink += nameScore(q, n.prepared);
      if (round === 1) perScore.push(((performance.now() - t0) * 1000) / names.length);
    }
  }
  // the comparison bound the index uses: how many names it sets aside, and that it never sets aside
  // one whose name score reaches the floor (the review threshold less an exact date and a country)
  const floor = REVIEW_THRESHOLD - 0.1;
  const signatures = createSignatureBuffer();
  const starts = names.map((n) => writeSignature(signatures, n.prepared));
  let boundPairs = 0;
  let setAside = 0;
  let wrong = 0;
  const boundTimes: number[] = [];
  for (const q of speedQueries) {
    const qs = createSignatureBuffer();
    writeSignature(qs, q);
    const t0 = performance.now();
    for (let k = 0; k < names.length; k++) {
      if (mayReach(qs.ints, 0, signatures.ints, starts[k] as number, floor)) continue;
      setAside++;
    }
    boundTimes.push(((performance.now() - t0) * 1000) / names.length);
    for (let k = 0; k < names.length; k++) {
      boundPairs++;
      if (!mayReach(qs.ints, 0, signatures.ints, starts[k] as number, floor))
        if (nameScore(q, (names[k] as ListedName).prepared) >= floor) wrong++;
    }
  }
  const prepTimes: number[] = [];
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    for (const n of names) prepareName(n.value, 'person');
    prepTimes.push(((performance.now() - t0) * 1000) / names.length);
  }
  rows.push([
    `compareNames speed (median over ${speedQueries.length} queries × ${names.length} UN names)`,
    `${median(perComparison).toFixed(2)} µs per comparison`,
    '',
    sink > 0 ? 'report' : 'report',
  ]);
  rows.push([
    'nameScore speed (the same comparison without the explanation, as the index ranks)',
    `${median(perScore).toFixed(2)} µs per comparison`,
    '',
    'report',
  ]);
  rows.push([
    `Comparison bound at floor ${floor.toFixed(2)} (same queries × names): names set aside, and set aside wrongly`,
    `${setAside} / ${boundPairs} set aside, ${wrong} wrongly; ${median(boundTimes).toFixed(2)} µs per name`,
    pct(setAside, boundPairs),
    '0 wrongly',
  ]);
  rows.push([
    'prepareName speed (UN names, prepared again: their words are memoised)',
    `${median(prepTimes).toFixed(1)} µs per name`,
    '',
    'report',
  ]);

  console.log(`UN list: ${entities.length} entities, ${names.length} names\n`);
  console.log('| measure | result | rate | target |');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  const show = (title: string, lines: string[], limit: number) => {
    if (lines.length === 0) return;
    console.log(`\n${title} (${lines.length}):`);
    for (const l of lines.slice(0, VERBOSE ? lines.length : limit)) console.log(`- ${l}`);
  };
  show('Positives not ranked first', misses, 20);
  show('Positives below the threshold', weak, 20);
  show('Positives sharing no retrieval key with the original', unretrievable, 20);
  show('Cross-script pairs below MinScore', crossFailures, 50);
  show('Own hard pairs decided wrongly', ownFailures, 50);
  show('Negatives at or above the threshold', hits, 20);
  show('Negatives at or above the threshold on the name alone', nameOnlyHits, 20);
}
