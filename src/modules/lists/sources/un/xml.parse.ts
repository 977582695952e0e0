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
import { children, clean, textOf, type XmlNode, xmlEntities } from '../xml-stream.js';

/**
 * The UN Security Council consolidated list (`consolidated.xml`): root `CONSOLIDATED_LIST`, then
 * `INDIVIDUALS/INDIVIDUAL` and `ENTITIES/ENTITY`, all data in child elements. The id is the
 * `REFERENCE_NUMBER` (`QDi.001`), unique across the published file and stable across versions,
 * unlike `DATAID`, an internal row id.
 */
export const parseUnXml: ListParser = (files, warn) =>
  xmlEntities(files, warn, {
    root: ROOT,
    isRecord,
    idName: 'REFERENCE_NUMBER',
    recordName: 'INDIVIDUAL or ENTITY',
    toEntity,
  });

const SOURCE = 'un-sc';
const ROOT = 'CONSOLIDATED_LIST';

function isRecord(path: readonly string[]): boolean {
  return (
    path.length === 3 &&
    ((path[1] === 'INDIVIDUALS' && path[2] === 'INDIVIDUAL') ||
      (path[1] === 'ENTITIES' && path[2] === 'ENTITY'))
  );
}

const ALIAS_KINDS: Record<string, NameKind> = {
  good: 'strong_alias',
  'a.k.a.': 'strong_alias',
  low: 'weak_alias',
  'f.k.a.': 'former_name',
};

function toEntity(node: XmlNode, file: string, warn: (w: ParseWarning) => void): ListEntity {
  const tag = node.name;
  const ref = textOf(node, 'REFERENCE_NUMBER');
  if (!ref) throw parseError(file, `${tag} without REFERENCE_NUMBER`, { line: node.line });
  const at = { file, line: node.line };
  const kind: EntityKind = tag === 'INDIVIDUAL' ? 'person' : 'organization';
  const e = emptyEntity(SOURCE, ref, kind);

  const names = new NameList(e);
  const primary = ['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME']
    .map((n) => textOf(node, n))
    .filter((part): part is string => part !== undefined)
    .join(' ');
  if (!primary) throw parseError(file, `${ref} has no name (FIRST_NAME is empty)`, { line: node.line });
  names.add(primary, 'primary');
  for (const original of children(node, 'NAME_ORIGINAL_SCRIPT')) {
    const value = clean(original.text);
    if (value) names.add(value, 'original_script');
  }
  for (const alias of children(node, `${tag}_ALIAS`)) {
    const value = textOf(alias, 'ALIAS_NAME');
    if (!value) continue;
    const quality = textOf(alias, 'QUALITY') ?? '';
    let aliasKind = ALIAS_KINDS[quality.toLowerCase()];
    if (!aliasKind) {
      warn({
        file,
        line: alias.line,
        message: `${ref}: alias "${value}" has unknown QUALITY "${quality}", kept as a strong alias`,
      });
      aliasKind = 'strong_alias';
    }
    for (const part of splitTopLevel(value, ';')) names.add(part, aliasKind);
    const aliasDob = textOf(alias, 'DATE_OF_BIRTH');
    if (aliasDob) {
      if (isPartialDate(aliasDob))
        e.dates.push({ kind: 'birth', value: aliasDob, note: `given with alias ${value}` });
      else
        warn({ file, line: alias.line, message: `${ref}: alias date of birth "${aliasDob}" is not a date` });
    }
  }

  const program = textOf(node, 'UN_LIST_TYPE');
  if (program) e.programs.push(`UN:${program}`);
  else warn({ ...at, message: `${ref}: no UN_LIST_TYPE` });

  const listed = textOf(node, 'LISTED_ON');
  if (listed) {
    const day = /^\d{4}-\d{2}-\d{2}/.exec(listed)?.[0];
    if (day && isPartialDate(day)) e.listedOn = day;
    else warn({ ...at, message: `${ref}: LISTED_ON "${listed}" is not a date` });
  }

  const gender = textOf(node, 'GENDER')?.toLowerCase();
  if (gender === 'male' || gender === 'female') e.gender = gender;

  const remarks = node.children.find((c) => c.name === 'COMMENTS1')?.text.trim();
  if (remarks) e.remarks = remarks;

  for (const nationality of children(node, 'NATIONALITY')) {
    for (const value of children(nationality, 'VALUE')) {
      const name = clean(value.text);
      if (name && name.toLowerCase() !== 'na') addCountry(e, countryCode(name), 'nationality');
    }
  }

  for (const address of children(node, `${tag}_ADDRESS`)) {
    const street = textOf(address, 'STREET');
    const city = textOf(address, 'CITY');
    const region = textOf(address, 'STATE_PROVINCE');
    const postalCode = textOf(address, 'ZIP_CODE');
    const countryName = textOf(address, 'COUNTRY');
    const full = withNote([street, city, region, postalCode, countryName], textOf(address, 'NOTE'));
    if (!full) continue;
    const country = countryName ? countryCode(countryName) : undefined;
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

  for (const dob of children(node, 'INDIVIDUAL_DATE_OF_BIRTH')) {
    e.dates.push(...birthDates(dob, ref, { file, line: dob.line }, warn));
  }

  for (const place of children(node, 'INDIVIDUAL_PLACE_OF_BIRTH')) {
    const countryName = textOf(place, 'COUNTRY');
    const full = withNote(
      [textOf(place, 'STREET'), textOf(place, 'CITY'), textOf(place, 'STATE_PROVINCE'), countryName],
      textOf(place, 'NOTE'),
    );
    if (full && !e.placesOfBirth.includes(full)) e.placesOfBirth.push(full);
    if (countryName) addCountry(e, countryCode(countryName), 'birth');
  }

  for (const doc of children(node, 'INDIVIDUAL_DOCUMENT')) {
    const value = textOf(doc, 'NUMBER');
    if (!value) continue;
    const issuerName = textOf(doc, 'ISSUING_COUNTRY') ?? textOf(doc, 'COUNTRY_OF_ISSUE');
    const type = documentType(textOf(doc, 'TYPE_OF_DOCUMENT'));
    const issuer = issuerName ? countryCode(issuerName) : undefined;
    if (e.identifiers.some((i) => i.type === type && i.value === value && i.issuer === issuer)) continue;
    e.identifiers.push({ type, value, ...(issuer && { issuer }) });
  }
  return e;
}

/** One `INDIVIDUAL_DATE_OF_BIRTH`: an exact or approximate date or year, or a range of years. */
function birthDates(
  dob: XmlNode,
  ref: string,
  at: { file: string; line: number },
  warn: (w: ParseWarning) => void,
): EntityDate[] {
  const type = textOf(dob, 'TYPE_OF_DATE')?.toUpperCase();
  const date = textOf(dob, 'DATE');
  const year = textOf(dob, 'YEAR');
  const from = textOf(dob, 'FROM_YEAR');
  const to = textOf(dob, 'TO_YEAR');
  const sourceNote = textOf(dob, 'NOTE');
  const notes: string[] = [];
  if (type === 'APPROXIMATELY') notes.push('approximately');
  if (sourceNote && /^approx/i.test(sourceNote)) notes[0] = 'approximately';
  else if (sourceNote) notes.push(sourceNote);
  const note = (extra?: string) => {
    const all = extra ? [extra, ...notes] : notes;
    return all.length > 0 ? { note: all.join('; ') } : {};
  };
  if (from && to) {
    const start = Number(from);
    const end = Number(to);
    if (!/^\d{4}$/.test(from) || !/^\d{4}$/.test(to) || end < start) {
      warn({ ...at, message: `${ref}: date of birth range "${from}" to "${to}" is not a range of years` });
      return [];
    }
    // Every year of a short range, so that a screened birth year anywhere in it corroborates.
    const years =
      end - start <= 10 ? Array.from({ length: end - start + 1 }, (_, i) => String(start + i)) : [from, to];
    return years.map((value) => ({ kind: 'birth', value, ...note(`between ${from} and ${to}`) }));
  }
  const given = date ?? year;
  if (given) {
    const value = /^\d{4}-\d{2}-\d{2}/.exec(given)?.[0] ?? given;
    if (isPartialDate(value)) return [{ kind: 'birth', value, ...note() }];
    warn({ ...at, message: `${ref}: date of birth "${given}" is not a date` });
    return [];
  }
  if (sourceNote) {
    // Some dates are only given as text ("Nov. 1973", "Between Aug. and Sep. 1977").
    const value = /\b(1[89]\d\d|20\d\d)\b/.exec(sourceNote)?.[1];
    if (value) return [{ kind: 'birth', value, ...note() }];
    warn({ ...at, message: `${ref}: date of birth "${sourceNote}" has no usable year` });
  }
  return [];
}

function documentType(source: string | undefined): string {
  const t = (source ?? '').toLowerCase();
  if (/pas(s|ap)ort/.test(t)) return 'passport';
  if (/national ident/.test(t)) return 'national_id';
  return t ? t.replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '') : 'other';
}

/** Full text of an address or place: its parts, then the source's note when it adds something. */
function withNote(parts: (string | undefined)[], note: string | undefined): string {
  const main = parts.filter((p): p is string => p !== undefined).join(', ');
  if (!note) return main;
  if (!main) return note;
  return note.startsWith('(') ? `${main} ${note}` : `${main} (${note})`;
}

function addCountry(e: ListEntity, country: string, role: ListEntity['countries'][number]['role']): void {
  if (!e.countries.some((c) => c.country === country && c.role === role)) e.countries.push({ country, role });
}

/** Names of an entity, without repeats (case-insensitive): the first kind given wins. */
class NameList {
  private readonly seen = new Set<string>();
  constructor(private readonly entity: ListEntity) {}
  add(value: string, kind: NameKind): void {
    const key = value.toLowerCase();
    if (!value || this.seen.has(key)) return;
    this.seen.add(key);
    this.entity.names.push({ value, kind });
  }
}

/** Splits on `separator` outside parentheses: "A; B" → two names, "A (B; C)" stays one. */
function splitTopLevel(value: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (ch === separator && depth === 0) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
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

/** ISO 3166-1 alpha-2 for the country names the UN list uses; other names are kept as given. */
function countryCode(name: string): string {
  return COUNTRIES[name.toLowerCase()] ?? name;
}

const COUNTRIES: Record<string, string> = {
  afghanistan: 'AF',
  albania: 'AL',
  algeria: 'DZ',
  bahrain: 'BH',
  bangladesh: 'BD',
  belgium: 'BE',
  'bosnia and herzegovina': 'BA',
  'british virgin islands': 'VG',
  burundi: 'BI',
  canada: 'CA',
  'central african republic': 'CF',
  chad: 'TD',
  china: 'CN',
  'china, hong kong special administrative region': 'HK',
  comoros: 'KM',
  congo: 'CG',
  "democratic people's republic of korea": 'KP',
  'democratic republic of the congo': 'CD',
  denmark: 'DK',
  djibouti: 'DJ',
  egypt: 'EG',
  eritrea: 'ER',
  ethiopia: 'ET',
  france: 'FR',
  gabon: 'GA',
  georgia: 'GE',
  germany: 'DE',
  'guinea-bissau': 'GW',
  haiti: 'HT',
  india: 'IN',
  indonesia: 'ID',
  'iran (islamic republic of)': 'IR',
  iraq: 'IQ',
  israel: 'IL',
  italy: 'IT',
  jordan: 'JO',
  kazakhstan: 'KZ',
  kenya: 'KE',
  kuwait: 'KW',
  kyrgyzstan: 'KG',
  lebanon: 'LB',
  libya: 'LY',
  liechtenstein: 'LI',
  malaysia: 'MY',
  maldives: 'MV',
  mali: 'ML',
  'marshall islands': 'MH',
  mauritania: 'MR',
  morocco: 'MA',
  myanmar: 'MM',
  netherlands: 'NL',
  niger: 'NE',
  nigeria: 'NG',
  norway: 'NO',
  oman: 'OM',
  pakistan: 'PK',
  panama: 'PA',
  philippines: 'PH',
  qatar: 'QA',
  'russian federation': 'RU',
  rwanda: 'RW',
  'saudi arabia': 'SA',
  senegal: 'SN',
  singapore: 'SG',
  somalia: 'SO',
  'south sudan': 'SS',
  spain: 'ES',
  'state of palestine': 'PS',
  sudan: 'SD',
  sweden: 'SE',
  switzerland: 'CH',
  'syrian arab republic': 'SY',
  tajikistan: 'TJ',
  'trinidad and tobago': 'TT',
  tunisia: 'TN',
  turkey: 'TR',
  türkiye: 'TR',
  turkmenistan: 'TM',
  uganda: 'UG',
  ukraine: 'UA',
  'united arab emirates': 'AE',
  'united kingdom of great britain and northern ireland': 'GB',
  'united republic of tanzania': 'TZ',
  'united states of america': 'US',
  uzbekistan: 'UZ',
  'viet nam': 'VN',
  yemen: 'YE',
};
