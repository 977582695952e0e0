import {
  type CountryRole,
  type EntityKind,
  type EntityRelation,
  emptyEntity,
  type ListEntity,
  type ListParser,
  type ListRecord,
  type ParseWarning,
  type RelationType,
  type SourceFile,
} from '../../model.js';
import { parseError } from '../../parse-error.js';
import { csvRecords } from '../text-lines.js';

/** The source name FinCEN 311 entities are filed under. */
const SOURCE = 'fincen-311';

/** The curated CSV's columns, in order (see fincen_special_measures_README.md). */
const COLUMNS = [
  'Measure',
  'Relationship',
  'Type',
  'Name',
  'Alias',
  'Country',
  'Address',
  'Registration number',
  'Topics',
  'Notes',
  'Source URL',
] as const;

/** FollowTheMoney schema in the `Type` column → our kind. Empty (a `self` row) means the main entity. */
const KINDS: Record<string, EntityKind> = {
  '': 'organization',
  Company: 'organization',
  Organization: 'organization',
  LegalEntity: 'organization',
  PublicBody: 'organization',
  Person: 'person',
  Vessel: 'vessel',
  Airplane: 'aircraft',
};

/**
 * How a row relates to the measure's main entity, as the pair of relations it creates:
 * first on the row's entity, then on the main entity. `self` rows are facts about the main entity;
 * `target` rows are entities a class measure covers (linked only when the measure has a main entity).
 */
const RELATIONSHIPS: Record<string, readonly [RelationType, RelationType] | null> = {
  self: null,
  subsidiary: ['subsidiary_of', 'parent_of'],
  owner: ['owner_of', 'owned_by'],
  related: ['related', 'related'],
  target: ['related', 'related'],
};

/** Phrases in Notes that introduce a former name ("formerly known as Huione Guarantee, rebranded …"). */
const FORMER_NAME =
  /\b(?:formerly|previously) (?:known as|named|called)\s+(.+?)(?=[,;()]|\s+(?:and|until|before|in)\s|$)/gi;

interface Row {
  line: number;
  measure: string;
  relationship: string;
  type: string;
  name: string;
  aliases: string[];
  country: string;
  address: string;
  registration: string;
  topics: string[];
  notes: string;
  url: string;
}

interface Draft {
  key: string;
  name: string;
  type: string;
  spellings: string[];
  aliases: string[];
  formerNames: string[];
  countries: string[];
  addresses: { full: string; country?: string }[];
  registrations: { value: string; country?: string }[];
  measures: string[];
  notes: string[];
  topics: string[];
  urls: string[];
  relations: EntityRelation[];
}

/**
 * FinCEN Section 311 / 9714 special measures in the curated CSV shape maintained by
 * OpenSanctions (`Measure,Relationship,Type,Name,Alias,Country,Address,Registration number,Topics,
 * Notes,Source URL`). Rows are grouped into one entity per distinct name (id: a slug of the name;
 * spellings that differ only in case or punctuation share it), and each row's `Relationship` links
 * its entity to the measure's main entity (the entity named like the measure, when there is one):
 * `subsidiary` → subsidiary_of/parent_of, `owner` → owner_of/owned_by, `related`/`target` → related.
 * Every entity carries the programs `FinCEN-311` and `FinCEN-311:<measure>`.
 */
export const parseFincen311Csv: ListParser = async function* (files, warn): AsyncIterable<ListRecord> {
  const drafts = new Map<string, Draft>();
  const rows: { file: string; row: Row; draft: Draft }[] = [];
  const names = new Set<string>();
  for (const file of files) {
    for await (const row of readRows(file)) {
      const draft = draftFor(drafts, row, file.name, warn);
      rows.push({ file: file.name, row, draft });
      names.add(cleanName(row.name));
    }
  }
  for (const { file, row, draft } of rows) {
    const measure = cleanName(row.measure);
    const pair = RELATIONSHIPS[row.relationship];
    if (pair === undefined) continue;
    if (pair === null) {
      if (cleanName(row.name) !== measure) {
        warn({
          file,
          line: row.line,
          message: `a "self" row names ${JSON.stringify(row.name)}, not the measure ${JSON.stringify(row.measure)}`,
        });
      }
      continue;
    }
    if (!names.has(measure)) continue;
    const main = drafts.get(slug(measure));
    if (!main || main === draft) continue;
    addRelation(draft, {
      type: pair[0],
      target: `${SOURCE}:${main.key}`,
      ...(row.notes ? { note: row.notes } : {}),
    });
    addRelation(main, {
      type: pair[1],
      target: `${SOURCE}:${draft.key}`,
      ...(row.notes ? { note: row.notes } : {}),
    });
  }
  const unmapped = new Set<string>();
  for (const draft of drafts.values()) {
    yield { type: 'entity', entity: finish(draft, unmapped) };
  }
  for (const country of unmapped) {
    warn({
      file: files.map((f) => f.name).join(', '),
      message: `country ${JSON.stringify(country)} has no ISO code; kept as written`,
    });
  }
};

/** Reads, checks and splits the rows of one file (header checked first). */
async function* readRows(file: SourceFile): AsyncGenerator<Row> {
  let header = true;
  for await (const { cells, line } of csvRecords(file)) {
    if (header) {
      checkHeader(file.name, cells, line);
      header = false;
      continue;
    }
    const [measure, relationship, type, name, alias, country, address, registration, topics, notes, url] =
      cells.map((c) => c.trim()) as [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
      ];
    if (!measure) throw parseError(file.name, 'the Measure column is empty', { line });
    if (!name) throw parseError(file.name, 'the Name column is empty', { line });
    if (!Object.hasOwn(RELATIONSHIPS, relationship)) {
      throw parseError(
        file.name,
        `unknown Relationship ${JSON.stringify(relationship)}; expected one of ${Object.keys(RELATIONSHIPS).join(', ')}`,
        { line },
      );
    }
    yield {
      line,
      measure,
      relationship,
      type,
      name,
      aliases: splitList(alias),
      country,
      address,
      registration,
      topics: splitList(topics),
      notes,
      url,
    };
  }
  if (header) throw parseError(file.name, 'the file is empty');
}

function checkHeader(file: string, cells: string[], line: number): void {
  const got = cells.map((c, i) => (i === 0 ? c.replace(/^\uFEFF/, '') : c).trim());
  if (got.length === COLUMNS.length && got.every((c, i) => c === COLUMNS[i])) return;
  const expected: readonly string[] = COLUMNS;
  const missing = expected.filter((c) => !got.includes(c));
  const unexpected = got.filter((c) => !expected.includes(c));
  const problems: string[] = [];
  if (missing.length > 0)
    problems.push(`missing column(s) ${missing.map((c) => JSON.stringify(c)).join(', ')}`);
  if (unexpected.length > 0)
    problems.push(`unexpected column(s) ${unexpected.map((c) => JSON.stringify(c)).join(', ')}`);
  if (problems.length === 0) problems.push('columns out of order');
  throw parseError(file, `bad header: ${problems.join('; ')}; expected ${COLUMNS.join(',')}`, { line });
}

function draftFor(
  drafts: Map<string, Draft>,
  row: Row,
  file: string,
  warn: (w: ParseWarning) => void,
): Draft {
  const name = cleanName(row.name);
  const key = slug(name);
  if (!key)
    throw parseError(file, `cannot make an id from the name ${JSON.stringify(row.name)}`, { line: row.line });
  let draft = drafts.get(key);
  if (!draft) {
    draft = {
      key,
      name,
      type: '',
      spellings: [],
      aliases: [],
      formerNames: [],
      countries: [],
      addresses: [],
      registrations: [],
      measures: [],
      notes: [],
      topics: [],
      urls: [],
      relations: [],
    };
    drafts.set(key, draft);
  }
  if (name !== draft.name) pushNew(draft.spellings, name);
  if (row.type) {
    if (!Object.hasOwn(KINDS, row.type)) {
      warn({
        file,
        line: row.line,
        message: `unknown Type ${JSON.stringify(row.type)}; treated as an organization`,
      });
    }
    if (!draft.type) draft.type = row.type;
    else if (kindOf(draft.type) !== kindOf(row.type)) {
      warn({
        file,
        line: row.line,
        message: `${name} is typed both ${draft.type} and ${row.type}; keeping ${draft.type}`,
      });
    }
  }
  for (const alias of row.aliases) pushNew(draft.aliases, alias);
  for (const text of [row.notes, row.relationship]) {
    for (const m of text.matchAll(FORMER_NAME)) {
      const former = m[1]?.trim().replace(/[.'"’]+$/, '');
      if (former) pushNew(draft.formerNames, former);
    }
  }
  if (row.country) pushNew(draft.countries, row.country);
  if (row.address && !draft.addresses.some((a) => a.full === row.address)) {
    draft.addresses.push({ full: row.address, ...(row.country ? { country: row.country } : {}) });
  }
  if (row.registration && !draft.registrations.some((r) => r.value === row.registration)) {
    draft.registrations.push({ value: row.registration, ...(row.country ? { country: row.country } : {}) });
  }
  pushNew(draft.measures, cleanName(row.measure));
  if (row.notes) pushNew(draft.notes, row.notes);
  for (const topic of row.topics) pushNew(draft.topics, topic);
  if (row.url) pushNew(draft.urls, row.url);
  return draft;
}

function finish(draft: Draft, unmapped: Set<string>): ListEntity {
  const kind = kindOf(draft.type);
  const e = emptyEntity(SOURCE, draft.key, kind);
  const seen = new Set<string>([draft.name]);
  e.names.push({ value: draft.name, kind: 'primary' });
  const former = new Set(draft.formerNames.map((n) => n.toLowerCase()));
  for (const value of [...draft.spellings, ...draft.aliases]) {
    if (seen.has(value)) continue;
    seen.add(value);
    e.names.push({ value, kind: former.has(value.toLowerCase()) ? 'former_name' : 'strong_alias' });
  }
  for (const value of draft.formerNames) {
    if (e.names.some((n) => n.value.toLowerCase() === value.toLowerCase())) continue;
    e.names.push({ value, kind: 'former_name' });
  }
  const role: CountryRole = kind === 'person' ? 'nationality' : 'registration';
  const code = (text: string): string => {
    const c = countryCode(text);
    if (!c) unmapped.add(text);
    return c ?? text;
  };
  for (const country of draft.countries) {
    const c = code(country);
    if (!e.countries.some((x) => x.country === c)) e.countries.push({ country: c, role });
  }
  for (const a of draft.addresses)
    e.addresses.push({ full: a.full, ...(a.country ? { country: code(a.country) } : {}) });
  for (const r of draft.registrations) {
    e.identifiers.push({
      type: 'registration',
      value: r.value,
      ...(r.country ? { issuer: code(r.country) } : {}),
    });
  }
  e.programs.push('FinCEN-311', ...draft.measures.map((m) => `FinCEN-311:${m}`));
  e.relations.push(...draft.relations);
  if (draft.urls[0]) e.sourceUrl = draft.urls[0];
  const remarks = [...draft.notes];
  if (draft.topics.length > 0) remarks.push(`Topics: ${draft.topics.join(', ')}`);
  if (draft.urls.length > 1) remarks.push(`Documents: ${draft.urls.join(' ')}`);
  if (remarks.length > 0) e.remarks = remarks.join('\n');
  return e;
}

function kindOf(type: string): EntityKind {
  return (Object.hasOwn(KINDS, type) ? KINDS[type] : undefined) ?? 'organization';
}

function addRelation(draft: Draft, relation: EntityRelation): void {
  const existing = draft.relations.find((r) => r.type === relation.type && r.target === relation.target);
  if (!existing) draft.relations.push(relation);
  else if (!existing.note && relation.note) existing.note = relation.note;
}

function pushNew(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

function splitList(text: string): string[] {
  return text
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Drops the table's footnote asterisks ("Burma****") and stray spaces. */
function cleanName(name: string): string {
  return name.replace(/\s*\*+\s*$/, '').trim();
}

/** `Huione Pay PLC` → `huione-pay-plc`; letters of any script are kept, accents dropped. */
function slug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

/** Names the documents use that the CLDR English names do not. */
const COUNTRY_ALIASES: Record<string, string> = {
  burma: 'MM',
  'hong kong': 'HK',
  macau: 'MO',
  macao: 'MO',
  turkey: 'TR',
  'united states of america': 'US',
  usa: 'US',
  'great britain': 'GB',
  'czech republic': 'CZ',
  'ivory coast': 'CI',
  "cote d'ivoire": 'CI',
  swaziland: 'SZ',
  'republic of korea': 'KR',
  "democratic people's republic of korea": 'KP',
  'democratic people’s republic of korea': 'KP',
};

/** Codes CLDR still names but ISO 3166-1 no longer assigns (or never assigned as countries). */
const NOT_ISO = new Set([
  'AN',
  'BU',
  'CS',
  'DD',
  'DY',
  'EU',
  'EZ',
  'FX',
  'HV',
  'NH',
  'QO',
  'RH',
  'SU',
  'TP',
  'UK',
  'UN',
  'VD',
  'YD',
  'YU',
  'ZR',
  'ZZ',
]);

let countryNames: Map<string, string> | undefined;

/** English country name → ISO 3166-1 alpha-2 (CLDR names plus the aliases above), or undefined. */
function countryCode(name: string): string | undefined {
  if (!countryNames) {
    countryNames = new Map();
    const display = new Intl.DisplayNames('en', { type: 'region' });
    for (let a = 65; a <= 90; a++) {
      for (let b = 65; b <= 90; b++) {
        const code = String.fromCharCode(a, b);
        if (NOT_ISO.has(code)) continue;
        let label: string | undefined;
        try {
          label = display.of(code);
        } catch {
          continue;
        }
        if (!label || label === code || label === 'Unknown Region') continue;
        const key = label.toLowerCase();
        if (!countryNames.has(key)) countryNames.set(key, code);
      }
    }
    for (const [alias, code] of Object.entries(COUNTRY_ALIASES)) countryNames.set(alias, code);
  }
  const key = name.trim().toLowerCase();
  return countryNames.get(key);
}
