import {
  type CountryRole,
  type EntityAddress,
  type EntityIdentifier,
  type EntityKind,
  type EntityName,
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
import { readLines } from '../text-lines.js';

const SOURCE = 'opensanctions';

/** Longest line accepted: one FollowTheMoney entity per line, some of them large. */
const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** Share of malformed lines above which a file is refused rather than imported with warnings. */
const MAX_BAD_SHARE = 0.1;

/** FollowTheMoney schemas that become entities. */
const ENTITY_KINDS: Record<string, EntityKind> = {
  Person: 'person',
  Organization: 'organization',
  Company: 'organization',
  LegalEntity: 'organization',
  PublicBody: 'organization',
  Vessel: 'vessel',
  Airplane: 'aircraft',
  CryptoWallet: 'wallet',
};

/**
 * Link schemas: the two properties naming the ends, and the relation each end gets. Ownership is
 * directed (owner_of / owned_by); the others are kept as `related` with the link described in the note.
 */
const LINKS: Record<string, { from: string; to: string; fromType: RelationType; toType: RelationType }> = {
  Ownership: { from: 'owner', to: 'asset', fromType: 'owner_of', toType: 'owned_by' },
  Directorship: { from: 'director', to: 'organization', fromType: 'related', toType: 'related' },
  Family: { from: 'person', to: 'relative', fromType: 'related', toType: 'related' },
  Associate: { from: 'person', to: 'associate', fromType: 'related', toType: 'related' },
  UnknownLink: { from: 'subject', to: 'object', fromType: 'related', toType: 'related' },
  Employment: { from: 'employee', to: 'employer', fromType: 'related', toType: 'related' },
  Membership: { from: 'member', to: 'organization', fromType: 'related', toType: 'related' },
  Representation: { from: 'agent', to: 'client', fromType: 'related', toType: 'related' },
  Succession: { from: 'predecessor', to: 'successor', fromType: 'related', toType: 'related' },
};

/** Schemas folded into the entities they point at (never entities themselves). */
const FOLDED = new Set(['Address', 'Sanction', 'Identification', 'Passport', ...Object.keys(LINKS)]);

/** Identifier properties → identifier type (and issuer, for codes that only one country issues). */
const IDENTIFIERS: [prop: string, type: string, issuer?: string][] = [
  ['innCode', 'tax_id', 'RU'],
  ['ogrnCode', 'registration', 'RU'],
  ['okpoCode', 'okpo', 'RU'],
  ['idNumber', 'national_id'],
  ['passportNumber', 'passport'],
  ['taxNumber', 'tax_id'],
  ['vatCode', 'vat'],
  ['registrationNumber', 'registration'],
  ['leiCode', 'lei'],
  ['swiftBic', 'swift'],
  ['imoNumber', 'imo'],
  ['mmsi', 'mmsi'],
  ['callSign', 'call_sign'],
  ['serialNumber', 'serial_number'],
  ['email', 'email'],
  ['website', 'website'],
];

/** Country properties → the role of the country. */
const COUNTRIES: [prop: string, role: CountryRole][] = [
  ['nationality', 'nationality'],
  ['citizenship', 'citizenship'],
  ['birthCountry', 'birth'],
  ['jurisdiction', 'registration'],
  ['flag', 'registration'],
  ['country', 'location'],
  ['mainCountry', 'location'],
];

type Props = Record<string, unknown>;

interface FtmLine {
  id: string;
  schema: string;
  caption?: string;
  properties: Props;
}

/** What the link, sanction, address and identification records add to the entities they name. */
interface Folded {
  addresses: Map<string, EntityAddress>;
  relations: Map<string, EntityRelation[]>;
  programs: Map<string, string[]>;
  listedOn: Map<string, string>;
  identifiers: Map<string, EntityIdentifier[]>;
  entityIds: Set<string>;
  /** `<file index>:<line>` of the malformed lines, skipped in the second pass. */
  bad: Set<string>;
  skippedSchemas: Map<string, number>;
}

/**
 * OpenSanctions FollowTheMoney JSON lines (`entities.ftm.json`): one `{id, schema, properties, …}`
 * per line. Person, Organization/Company/LegalEntity/PublicBody, Vessel, Airplane and CryptoWallet
 * become entities (source `opensanctions`, sourceId = the FtM id). Link records are folded into the
 * entities they name: Ownership → owner_of / owned_by, Directorship, Family, Associate, UnknownLink,
 * … → related; Sanction → programs (its program id, else its authority) and the earliest listing date; Address → addresses; Identification /
 * Passport → identifiers. Two passes over each file (links first, then entities), so memory holds the
 * links, not the entities. A malformed line is a warning naming it and the rest of the file is still
 * read; more than 10% malformed lines refuse the file.
 */
export const parseFtmJsonl: ListParser = async function* (files, warn): AsyncIterable<ListRecord> {
  const folded: Folded = {
    addresses: new Map(),
    relations: new Map(),
    programs: new Map(),
    listedOn: new Map(),
    identifiers: new Map(),
    entityIds: new Set(),
    bad: new Set(),
    skippedSchemas: new Map(),
  };
  for (const [index, file] of files.entries()) await firstPass(file, index, folded, warn);

  let dangling = 0;
  for (const id of folded.relations.keys()) if (!folded.entityIds.has(id)) folded.relations.delete(id);
  for (const [id, relations] of folded.relations) {
    const kept = relations.filter((r) => folded.entityIds.has(r.target.slice(SOURCE.length + 1)));
    dangling += relations.length - kept.length;
    folded.relations.set(id, kept);
  }

  for (const [index, file] of files.entries()) {
    let line = 0;
    for await (const text of readLines(file, { maxLineBytes: MAX_LINE_BYTES })) {
      line++;
      if (!text.trim() || folded.bad.has(`${index}:${line}`)) continue;
      let record: FtmLine;
      try {
        record = JSON.parse(text) as FtmLine;
      } catch {
        throw parseError(file.name, 'the file changed while it was being read', { line });
      }
      const kind = Object.hasOwn(ENTITY_KINDS, record.schema) ? ENTITY_KINDS[record.schema] : undefined;
      if (kind) {
        const entity = toEntity(record, kind, folded, (message) => warn({ file: file.name, line, message }));
        if (entity) yield { type: 'entity', entity };
      }
    }
  }

  const where = files.map((f) => f.name).join(', ');
  for (const [schema, count] of folded.skippedSchemas) {
    warn({ file: where, message: `${count} ${schema} record(s) skipped: the schema is not mapped` });
  }
  if (dangling > 0)
    warn({ file: where, message: `${dangling} relation(s) to entities not in the file(s) dropped` });
};

async function firstPass(
  file: SourceFile,
  index: number,
  folded: Folded,
  warn: (w: ParseWarning) => void,
): Promise<void> {
  let line = 0;
  let lines = 0;
  let bad = 0;
  for await (const text of readLines(file, { maxLineBytes: MAX_LINE_BYTES })) {
    line++;
    if (!text.trim()) continue;
    lines++;
    let record: FtmLine;
    try {
      record = JSON.parse(text) as FtmLine;
      if (
        typeof record !== 'object' ||
        record === null ||
        typeof record.id !== 'string' ||
        !record.id ||
        typeof record.schema !== 'string' ||
        typeof record.properties !== 'object' ||
        record.properties === null
      ) {
        throw new Error('not a FollowTheMoney entity (needs id, schema and properties)');
      }
    } catch (err) {
      bad++;
      folded.bad.add(`${index}:${line}`);
      const reason = err instanceof Error ? err.message : String(err);
      warn({ file: file.name, line, message: `malformed line skipped: ${reason}` });
      continue;
    }
    fold(record, folded);
  }
  if (lines === 0) throw parseError(file.name, 'the file holds no FollowTheMoney records');
  if (bad > lines * MAX_BAD_SHARE) {
    throw parseError(
      file.name,
      `${bad} of ${lines} lines are malformed (more than ${MAX_BAD_SHARE * 100}%); not a FollowTheMoney JSON lines file?`,
    );
  }
}

function fold(record: FtmLine, folded: Folded): void {
  const p = record.properties;
  const { schema } = record;
  if (Object.hasOwn(ENTITY_KINDS, schema)) {
    folded.entityIds.add(record.id);
    if (schema === 'CryptoWallet') {
      for (const holder of values(p, 'holder')) {
        link(folded, holder, {
          type: 'owner_of',
          target: `${SOURCE}:${record.id}`,
          note: 'crypto wallet holder',
        });
        link(folded, record.id, {
          type: 'owned_by',
          target: `${SOURCE}:${holder}`,
          note: 'crypto wallet holder',
        });
      }
    }
    return;
  }
  if (!FOLDED.has(schema)) {
    folded.skippedSchemas.set(schema, (folded.skippedSchemas.get(schema) ?? 0) + 1);
    return;
  }
  if (schema === 'Address') {
    const full =
      first(p, 'full') ??
      [first(p, 'street'), first(p, 'city'), first(p, 'region')].filter(Boolean).join(', ');
    if (!full) return;
    const a: EntityAddress = { full };
    setIf(a, 'street', first(p, 'street'));
    setIf(a, 'city', first(p, 'city'));
    setIf(a, 'region', first(p, 'region'));
    setIf(a, 'postalCode', first(p, 'postalCode'));
    const country = first(p, 'country');
    if (country) a.country = countryCode(country);
    folded.addresses.set(record.id, a);
    return;
  }
  if (schema === 'Sanction') {
    // Program ids (`EU-UKR`, `US-RUSHAR`); without one, the authority and a short program name.
    const programs = values(p, 'programId');
    if (programs.length === 0) {
      const program = first(p, 'program');
      const named = program && program.length <= 60 ? program : undefined;
      for (const authority of values(p, 'authority').slice(0, 1))
        programs.push(named ? `${authority}: ${named}` : authority);
      if (programs.length === 0 && named) programs.push(named);
    }
    const dates = [...values(p, 'listingDate'), ...values(p, 'startDate')]
      .map((d) => /^\d{4}-\d{2}-\d{2}/.exec(d)?.[0])
      .filter((d): d is string => d !== undefined)
      .sort();
    for (const entity of values(p, 'entity')) {
      const list = folded.programs.get(entity) ?? [];
      for (const program of programs) if (!list.includes(program)) list.push(program);
      folded.programs.set(entity, list);
      const earliest = dates[0];
      const known = folded.listedOn.get(entity);
      if (earliest && (!known || earliest < known)) folded.listedOn.set(entity, earliest);
    }
    return;
  }
  if (schema === 'Identification' || schema === 'Passport') {
    const value = first(p, 'number') ?? first(p, 'passportNumber');
    if (!value) return;
    const country = first(p, 'country');
    const id: EntityIdentifier = {
      type: schema === 'Passport' ? 'passport' : (first(p, 'type') ?? 'identification'),
      value,
    };
    if (country) id.issuer = countryCode(country);
    for (const holder of values(p, 'holder')) {
      const list = folded.identifiers.get(holder) ?? [];
      list.push(id);
      folded.identifiers.set(holder, list);
    }
    return;
  }
  const spec = LINKS[schema];
  if (!spec) return;
  const note = linkNote(schema, p);
  for (const from of values(p, spec.from)) {
    for (const to of values(p, spec.to)) {
      if (from === to) continue;
      link(folded, from, { type: spec.fromType, target: `${SOURCE}:${to}`, note });
      link(folded, to, { type: spec.toType, target: `${SOURCE}:${from}`, note });
    }
  }
}

/** "Ownership: 51%, 2015-11-25 to 2023-12-21", "Family: Family member of". */
function linkNote(schema: string, p: Props): string {
  const parts: string[] = [];
  for (const v of [...values(p, 'role'), ...values(p, 'relationship')]) if (!parts.includes(v)) parts.push(v);
  const pct = first(p, 'percentage');
  if (pct) parts.push(`${pct}%`);
  const start = first(p, 'startDate');
  const end = first(p, 'endDate');
  if (start || end) parts.push(`${start ?? '…'} to ${end ?? '…'}`);
  return parts.length > 0 ? `${schema}: ${parts.join(', ')}` : schema;
}

function link(folded: Folded, id: string, relation: EntityRelation): void {
  const list = folded.relations.get(id) ?? [];
  if (!list.some((r) => r.type === relation.type && r.target === relation.target)) list.push(relation);
  folded.relations.set(id, list);
}

function toEntity(
  record: FtmLine,
  kind: EntityKind,
  folded: Folded,
  warn: (message: string) => void,
): ListEntity | undefined {
  const p = record.properties;
  const e = emptyEntity(SOURCE, record.id, kind);

  const seen = new Set<string>();
  const addName = (value: string, nameKind: EntityName['kind']) => {
    const v = value.trim();
    if (!v || seen.has(v)) return;
    seen.add(v);
    e.names.push({ value: v, kind: nameKind });
  };
  const names = values(p, 'name');
  const caption =
    typeof record.caption === 'string' && record.caption.trim() ? record.caption.trim() : undefined;
  const primary = caption ?? names[0] ?? first(p, 'publicKey');
  if (!primary) {
    warn(`${record.schema} ${record.id} has no name; skipped`);
    return undefined;
  }
  addName(primary, 'primary');
  const strong = (v: string): EntityName['kind'] =>
    NON_LATIN_LETTER.test(v) ? 'original_script' : 'strong_alias';
  for (const v of names) addName(v, strong(v));
  for (const v of values(p, 'alias')) addName(v, strong(v));
  for (const v of values(p, 'previousName')) addName(v, 'former_name');
  for (const v of values(p, 'weakAlias')) addName(v, 'weak_alias');
  for (const v of values(p, 'abbreviation')) addName(v, 'weak_alias');

  for (const [prop, dateKind] of [
    ['birthDate', 'birth'],
    ['incorporationDate', 'incorporation'],
  ] as const) {
    for (const v of values(p, prop)) {
      const value = /^\d{4}(?:-\d{2}(?:-\d{2})?)?/.exec(v)?.[0];
      if (value && !e.dates.some((d) => d.kind === dateKind && d.value === value))
        e.dates.push({ kind: dateKind, value });
    }
  }

  for (const [prop, role] of COUNTRIES) {
    for (const v of values(p, prop)) {
      const country = countryCode(v);
      if (!e.countries.some((c) => c.country === country && c.role === role))
        e.countries.push({ country, role });
    }
  }

  const addIdentifier = (id: EntityIdentifier) => {
    if (!e.identifiers.some((x) => x.type === id.type && x.value === id.value)) e.identifiers.push(id);
  };
  for (const [prop, type, issuer] of IDENTIFIERS) {
    for (const value of values(p, prop)) addIdentifier(issuer ? { type, value, issuer } : { type, value });
  }
  for (const id of folded.identifiers.get(record.id) ?? []) addIdentifier(id);

  const addAddress = (a: EntityAddress) => {
    if (!e.addresses.some((x) => x.full === a.full)) e.addresses.push(a);
  };
  for (const full of values(p, 'address')) addAddress({ full });
  for (const ref of values(p, 'addressEntity')) {
    const a = folded.addresses.get(ref);
    if (a) addAddress(a);
  }

  if (kind === 'wallet') {
    const currency = first(p, 'currency');
    for (const address of values(p, 'publicKey')) {
      if (currency) e.cryptoAddresses.push({ currency, address });
      else warn(`crypto wallet ${record.id} gives no currency for ${address}; address left out`);
    }
  }

  for (const program of [...values(p, 'programId'), ...(folded.programs.get(record.id) ?? [])]) {
    if (!e.programs.includes(program)) e.programs.push(program);
  }
  const listedOn = folded.listedOn.get(record.id);
  if (listedOn) e.listedOn = listedOn;
  e.relations = folded.relations.get(record.id) ?? [];
  e.placesOfBirth = values(p, 'birthPlace');
  const gender = first(p, 'gender')?.toLowerCase();
  if (gender === 'male' || gender === 'female') e.gender = gender;
  const url = first(p, 'sourceUrl');
  if (url) e.sourceUrl = url;
  const notes = values(p, 'notes');
  if (notes.length > 0) e.remarks = notes.join('\n');
  return e;
}

/** A letter outside the Latin script: the name is in its original (non-Latin) script. */
const NON_LATIN_LETTER = /(?=\p{L})\P{Script=Latin}/u;

/** FtM country codes are lower-case ISO alpha-2, or longer codes for places ISO lacks (`cy-trnc`). */
function countryCode(code: string): string {
  return /^[a-z]{2}$/i.test(code) ? code.toUpperCase() : code;
}

function values(p: Props, key: string): string[] {
  const v = p[key];
  if (!Array.isArray(v)) return typeof v === 'string' && v ? [v] : [];
  return v.filter((x): x is string => typeof x === 'string' && x !== '');
}

function first(p: Props, key: string): string | undefined {
  return values(p, key)[0];
}

function setIf<K extends keyof EntityAddress>(
  target: EntityAddress,
  key: K,
  value: EntityAddress[K] | undefined,
): void {
  if (value) target[key] = value;
}
