import {
  type EntityDate,
  type EntityKind,
  emptyEntity,
  type ListEntity,
  type ListParser,
  type NameKind,
  type ParseWarning,
} from '../../model.js';
import { parseError } from '../../parse-error.js';
import { child, children, clean, textOf, type XmlNode, xmlEntities } from '../xml-stream.js';

/**
 * The EU consolidated financial sanctions list (FSF, `xmlFullSanctionsList_1_1`): root `export` in
 * the `http://eu.europa.ec/fpi/fsd/export` namespace, one `sanctionEntity` per listing with its data
 * in attributes of child elements. The id is the entity's `logicalId`.
 */
export const parseEuXml: ListParser = (files, warn) =>
  xmlEntities(files, warn, {
    root: ROOT,
    isRecord,
    idName: 'logicalId',
    recordName: 'sanctionEntity',
    toEntity,
    onRoot: ({ uri, line }, file) => {
      if (uri !== NAMESPACE)
        warn({ file, line, message: `root namespace is "${uri}", expected "${NAMESPACE}"` });
    },
  });

const SOURCE = 'eu-fsf';
const ROOT = 'export';
const NAMESPACE = 'http://eu.europa.ec/fpi/fsd/export';

function isRecord(path: readonly string[]): boolean {
  return path.length === 2 && path[1] === 'sanctionEntity';
}

const SUBJECT_KINDS: Record<string, EntityKind> = { person: 'person', enterprise: 'organization' };

const IDENTIFIER_TYPES: Record<string, string> = {
  passport: 'passport',
  id: 'national_id',
  regnumber: 'registration',
  fiscalcode: 'tax_id',
  swiftbic: 'swift',
  imo: 'imo',
};

function toEntity(node: XmlNode, file: string, warn: (w: ParseWarning) => void): ListEntity {
  const id = attr(node, 'logicalId');
  if (!id) throw parseError(file, 'sanctionEntity without logicalId', { line: node.line });
  const at = { file, line: node.line };

  const subject = child(node, 'subjectType');
  const code = attr(subject, 'code')?.toLowerCase() ?? '';
  let kind = SUBJECT_KINDS[code];
  if (!kind) {
    warn({ ...at, message: `${id}: unknown subjectType "${code}", kept as an organization` });
    kind = 'organization';
  }
  const e = emptyEntity(SOURCE, id, kind);

  const names = new NameList(e);
  const functions: string[] = [];
  for (const alias of children(node, 'nameAlias')) {
    const value =
      attr(alias, 'wholeName') ??
      [attr(alias, 'firstName'), attr(alias, 'middleName'), attr(alias, 'lastName')]
        .filter(Boolean)
        .join(' ');
    if (!value) continue;
    const lang = attr(alias, 'nameLanguage')?.toLowerCase();
    let nameKind: NameKind;
    if (e.names.length === 0) nameKind = 'primary';
    else if (attr(alias, 'strong')?.toLowerCase() === 'false') nameKind = 'weak_alias';
    else if (isNonLatin(value)) nameKind = 'original_script';
    else nameKind = 'strong_alias';
    names.add(value, nameKind, lang && /^[a-z]{2,3}$/.test(lang) ? lang : undefined);
    const gender = attr(alias, 'gender')?.toUpperCase();
    if (!e.gender && gender === 'M') e.gender = 'male';
    if (!e.gender && gender === 'F') e.gender = 'female';
    const role = attr(alias, 'function');
    if (role && !functions.includes(role)) functions.push(role);
  }
  if (e.names.length === 0) throw parseError(file, `${id} has no nameAlias with a name`, { line: node.line });

  let earliest: { date: string; url: string | undefined } | undefined;
  for (const regulation of children(node, 'regulation')) {
    const programme = attr(regulation, 'programme');
    if (programme && !e.programs.includes(`EU:${programme}`)) e.programs.push(`EU:${programme}`);
    const date = attr(regulation, 'publicationDate')?.slice(0, 10);
    if (date && isPartialDate(date) && (!earliest || date < earliest.date)) {
      earliest = { date, url: textOf(regulation, 'publicationUrl') };
    }
  }
  if (e.programs.length === 0) warn({ ...at, message: `${id}: no regulation programme` });
  const designated = attr(node, 'designationDate')?.slice(0, 10);
  const listedOn = designated && isPartialDate(designated) ? designated : earliest?.date;
  if (listedOn && listedOn.length === 10) e.listedOn = listedOn;
  if (earliest?.url) e.sourceUrl = earliest.url;

  const remarks = [
    ...children(node, 'remark').map((r) => r.text.trim()),
    ...functions.map((f) => `Function: ${f}`),
    attr(node, 'designationDetails'),
  ].filter((r): r is string => Boolean(r));
  if (remarks.length > 0) e.remarks = remarks.join('\n');

  for (const citizenship of children(node, 'citizenship')) {
    const country = countryOf(citizenship);
    if (country) addCountry(e, country, 'citizenship');
  }

  for (const birth of children(node, 'birthdate')) {
    e.dates.push(
      ...birthDates(
        birth,
        kind === 'person' ? 'birth' : 'incorporation',
        id,
        { file, line: birth.line },
        warn,
      ),
    );
    const country = countryOf(birth);
    const place = [
      attr(birth, 'place'),
      attr(birth, 'city'),
      attr(birth, 'region'),
      countryDescription(birth),
    ]
      .filter(Boolean)
      .join(', ');
    if (kind === 'person') {
      if (place && !e.placesOfBirth.includes(place)) e.placesOfBirth.push(place);
      if (country) addCountry(e, country, 'birth');
    }
  }

  // Cross-references: the EU's own reference and, for UN-derived listings, the UN's.
  const euReference = attr(node, 'euReferenceNumber');
  if (euReference) e.identifiers.push({ type: 'eu_reference', value: euReference });
  const unReference = attr(node, 'unitedNationId');
  if (unReference) e.identifiers.push({ type: 'un_reference', value: unReference });
  for (const doc of children(node, 'identification')) {
    const value = attr(doc, 'number') ?? attr(doc, 'latinNumber');
    if (!value) continue;
    const typeCode = attr(doc, 'identificationTypeCode')?.toLowerCase() ?? 'other';
    const type = IDENTIFIER_TYPES[typeCode] ?? typeCode;
    const issuer = countryOf(doc) ?? attr(doc, 'issuedBy');
    if (e.identifiers.some((i) => i.type === type && i.value === value && i.issuer === issuer)) continue;
    e.identifiers.push({ type, value, ...(issuer && { issuer }) });
  }

  for (const address of children(node, 'address')) {
    const street = attr(address, 'street');
    const city = attr(address, 'city');
    const region = attr(address, 'region');
    const postalCode = attr(address, 'zipCode');
    const country = countryOf(address);
    const full = [
      street,
      attr(address, 'poBox') && `PO Box ${attr(address, 'poBox')}`,
      attr(address, 'place'),
      city,
      postalCode,
      region,
      countryDescription(address) ?? country,
    ]
      .filter(Boolean)
      .join(', ');
    if (!full) continue;
    e.addresses.push({
      full,
      ...(street && { street }),
      ...(city && { city }),
      ...(region && { region }),
      ...(postalCode && { postalCode }),
      ...(country && { country }),
    });
    if (country) addCountry(e, country, kind === 'person' ? 'residence' : 'location');
  }
  return e;
}

/** One `birthdate`: a full date, a year (and month), or a range of years; `circa` becomes a note. */
function birthDates(
  birth: XmlNode,
  kind: EntityDate['kind'],
  id: string,
  at: { file: string; line: number },
  warn: (w: ParseWarning) => void,
): EntityDate[] {
  const circa = attr(birth, 'circa')?.toLowerCase() === 'true';
  const note = (extra?: string) => {
    const all = [extra, circa ? 'circa' : undefined].filter(Boolean);
    return all.length > 0 ? { note: all.join('; ') } : {};
  };
  const from = attr(birth, 'yearRangeFrom');
  const to = attr(birth, 'yearRangeTo');
  if (from && to) {
    const start = Number(from);
    const end = Number(to);
    if (!/^\d{4}$/.test(from) || !/^\d{4}$/.test(to) || end < start) {
      warn({ ...at, message: `${id}: birth year range "${from}" to "${to}" is not a range of years` });
      return [];
    }
    const years =
      end - start <= 10 ? Array.from({ length: end - start + 1 }, (_, i) => String(start + i)) : [from, to];
    return years.map((value) => ({ kind, value, ...note(`between ${from} and ${to}`) }));
  }
  const full = attr(birth, 'birthdate');
  const year = attr(birth, 'year');
  const month = attr(birth, 'monthOfYear');
  const day = attr(birth, 'dayOfMonth');
  let value: string | undefined;
  if (full) value = full.slice(0, 10);
  else if (year && month && day) value = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  else if (year && month) value = `${year}-${month.padStart(2, '0')}`;
  else if (year) value = year;
  if (!value) return [];
  if (isPartialDate(value)) return [{ kind, value, ...note() }];
  warn({ ...at, message: `${id}: birthdate "${full ?? value}" is not a date` });
  return [];
}

/** The ISO code of a country-bearing element; `00` means unknown in FSF. */
function countryOf(node: XmlNode): string | undefined {
  const code = attr(node, 'countryIso2Code')?.toUpperCase();
  return code && /^[A-Z]{2}$/.test(code) ? code : undefined;
}

function countryDescription(node: XmlNode): string | undefined {
  const description = attr(node, 'countryDescription');
  return description && description.toUpperCase() !== 'UNKNOWN' ? description : undefined;
}

/** True when a name has letters and none of them is Latin (Cyrillic, Greek, Arabic, CJK, …). */
function isNonLatin(value: string): boolean {
  return /\p{L}/u.test(value) && !/\p{Script=Latin}/u.test(value);
}

function addCountry(e: ListEntity, country: string, role: ListEntity['countries'][number]['role']): void {
  if (!e.countries.some((c) => c.country === country && c.role === role)) e.countries.push({ country, role });
}

/** Names of an entity, without repeats (case-insensitive): the first kind given wins. */
class NameList {
  private readonly seen = new Set<string>();
  constructor(private readonly entity: ListEntity) {}
  add(value: string, kind: NameKind, lang?: string): void {
    const key = value.toLowerCase();
    if (!value || this.seen.has(key)) return;
    this.seen.add(key);
    this.entity.names.push({ value, kind, ...(lang && { lang }) });
  }
}

/** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, the day existing in that month. */
function isPartialDate(value: string): boolean {
  const m = /^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$/.exec(value);
  if (!m) return false;
  if (m[3] === undefined) return true;
  const year = Number(m[1]);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][Number(m[2]) - 1] ?? 0;
  return Number(m[3]) <= days;
}

/** An attribute, whitespace collapsed; undefined when absent or blank. */
function attr(node: XmlNode | undefined, name: string): string | undefined {
  const value = node?.attrs[name];
  return value === undefined ? undefined : clean(value) || undefined;
}
