import {
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
 * The UK Sanctions List published by the FCDO (`UK-Sanctions-List.xml`, which replaced OFSI's
 * consolidated list): root `Designations`, one `Designation` per listing with its data in child
 * elements. The id is the `UniqueID` (`RUS0001`).
 */
export const parseUkXml: ListParser = (files, warn) =>
  xmlEntities(files, warn, { root: ROOT, isRecord, idName: 'UniqueID', recordName: 'Designation', toEntity });

const SOURCE = 'uk-sanctions';
const ROOT = 'Designations';

function isRecord(path: readonly string[]): boolean {
  return path.length === 2 && path[1] === 'Designation';
}

const KINDS: Record<string, EntityKind> = { individual: 'person', entity: 'organization', ship: 'vessel' };

function toEntity(node: XmlNode, file: string, warn: (w: ParseWarning) => void): ListEntity {
  const id = textOf(node, 'UniqueID');
  if (!id) throw parseError(file, 'Designation without UniqueID', { line: node.line });
  const at = { file, line: node.line };

  const type = textOf(node, 'IndividualEntityShip') ?? '';
  let kind = KINDS[type.toLowerCase()];
  if (!kind) {
    warn({ ...at, message: `${id}: unknown IndividualEntityShip "${type}", kept as an organization` });
    kind = 'organization';
  }
  const e = emptyEntity(SOURCE, id, kind);

  // The primary name goes first whatever its place in the file.
  const listed: { value: string; kind: NameKind; lang?: string }[] = [];
  let primary: string | undefined;
  for (const name of descendants(node, 'Names', 'Name')) {
    const value = ['Name1', 'Name2', 'Name3', 'Name4', 'Name5', 'Name6']
      .map((part) => textOf(name, part))
      .filter(Boolean)
      .join(' ');
    if (!value) continue;
    const nameType = (textOf(name, 'NameType') ?? '').toLowerCase();
    if (nameType === 'primary name' && primary === undefined) primary = value;
    else if (nameType === 'primary name' || nameType === 'primary name variation') {
      listed.push({ value, kind: 'strong_alias' });
    } else if (nameType === 'alias') {
      const strength = (textOf(name, 'AliasStrength') ?? '').toLowerCase();
      listed.push({ value, kind: strength.startsWith('low') ? 'weak_alias' : 'strong_alias' });
    } else {
      warn({
        file,
        line: name.line,
        message: `${id}: name "${value}" has unknown NameType "${nameType}", kept as a strong alias`,
      });
      listed.push({ value, kind: 'strong_alias' });
    }
  }
  for (const name of descendants(node, 'NonLatinNames', 'NonLatinName')) {
    const value = textOf(name, 'NameNonLatinScript');
    const lang = LANGUAGES[(textOf(name, 'NonLatinScriptLanguage') ?? '').toLowerCase()];
    if (value) listed.push({ value, kind: 'original_script', ...(lang && { lang }) });
  }
  if (primary === undefined) {
    const first = listed.find((n) => n.kind !== 'original_script');
    if (!first) throw parseError(file, `${id} has no name`, { line: node.line });
    warn({ ...at, message: `${id}: no Primary Name, "${first.value}" used` });
    primary = first.value;
  }
  const names = new NameList(e);
  names.add(primary, 'primary');
  for (const n of listed) names.add(n.value, n.kind, n.lang);

  const regime = textOf(node, 'RegimeName');
  if (regime) e.programs.push(`UK:${regime}`);
  else warn({ ...at, message: `${id}: no RegimeName` });

  const designated = textOf(node, 'DateDesignated');
  if (designated) {
    const day = ukDate(designated);
    if (day?.length === 10) e.listedOn = day;
    else warn({ ...at, message: `${id}: DateDesignated "${designated}" is not a date` });
  }

  const remarks: string[] = [];
  const other = node.children.find((c) => c.name === 'OtherInformation')?.text.trim();
  if (other) remarks.push(other);
  const reasons = node.children.find((c) => c.name === 'UKStatementofReasons')?.text.trim();
  if (reasons) remarks.push(`Statement of reasons: ${reasons}`);

  const unReference = textOf(node, 'UNReferenceNumber');
  if (unReference) e.identifiers.push({ type: 'un_reference', value: unReference });
  const group = textOf(node, 'OFSIGroupID');
  if (group) e.identifiers.push({ type: 'ofsi_group_id', value: group });

  for (const address of descendants(node, 'Addresses', 'Address')) {
    const lines = [
      'AddressLine1',
      'AddressLine2',
      'AddressLine3',
      'AddressLine4',
      'AddressLine5',
      'AddressLine6',
    ]
      .map((l) => textOf(address, l))
      .filter((l): l is string => l !== undefined);
    const postalCode = textOf(address, 'AddressPostalCode');
    const countryName = textOf(address, 'AddressCountry');
    const full = [...lines, postalCode, countryName].filter(Boolean).join(', ');
    if (!full) continue;
    const country = countryName ? countryCode(countryName) : undefined;
    e.addresses.push({ full, ...(postalCode && { postalCode }), ...(country && { country }) });
    if (country) addCountry(e, country, kind === 'person' ? 'residence' : 'location');
  }

  for (const individual of descendants(node, 'IndividualDetails', 'Individual')) {
    for (const dob of descendants(individual, 'DOBs', 'DOB')) {
      const raw = clean(dob.text);
      if (!raw) continue;
      const value = ukDate(raw);
      if (value && !e.dates.some((d) => d.value === value)) e.dates.push({ kind: 'birth', value });
      else if (!value) warn({ file, line: dob.line, message: `${id}: DOB "${raw}" is not a date` });
    }
    for (const nationality of descendants(individual, 'Nationalities', 'Nationality')) {
      const value = clean(nationality.text);
      if (value) addCountry(e, countryCode(value), 'nationality');
    }
    const gender = descendants(individual, 'Genders', 'Gender')
      .map((g) => clean(g.text).toLowerCase())
      .find((g) => g === 'male' || g === 'female');
    if (gender === 'male' || gender === 'female') e.gender = gender;
    for (const location of descendants(individual, 'BirthDetails', 'Location')) {
      const countryName = textOf(location, 'CountryOfBirth');
      const place = location.children
        .filter((c) => c.name !== 'CountryOfBirth')
        .map((c) => clean(c.text))
        .concat(countryName ?? [])
        .filter(Boolean)
        .join(', ');
      if (place && !e.placesOfBirth.includes(place)) e.placesOfBirth.push(place);
      if (countryName) addCountry(e, countryCode(countryName), 'birth');
    }
    for (const passport of descendants(individual, 'PassportDetails', 'PassportNumber')) {
      addIdentifier(e, 'passport', clean(passport.text));
    }
    for (const national of descendants(individual, 'NationalIdentifierDetails', 'NationalIdentifierNumber')) {
      addIdentifier(e, 'national_id', clean(national.text));
    }
    for (const position of descendants(individual, 'Positions', 'Position')) {
      const value = clean(position.text);
      if (value) remarks.push(`Position: ${value}`);
    }
  }

  for (const entity of descendants(node, 'EntityDetails', 'Entity')) {
    for (const number of descendants(entity, 'BusinessRegistrationNumbers', 'BusinessRegistrationNumber')) {
      addIdentifier(e, 'registration', clean(number.text));
    }
    for (const parent of descendants(entity, 'ParentCompanies', 'ParentCompany')) {
      if (clean(parent.text)) remarks.push(`Parent company: ${clean(parent.text)}`);
    }
    for (const subsidiary of descendants(entity, 'Subsidiaries', 'Subsidiary')) {
      if (clean(subsidiary.text)) remarks.push(`Subsidiary: ${clean(subsidiary.text)}`);
    }
  }

  for (const ship of descendants(node, 'ShipDetails', 'Ship')) {
    for (const imo of descendants(ship, 'IMONumbers', 'IMONumber')) {
      const value = clean(imo.text);
      addIdentifier(e, 'imo', /^(IMO)?\s*\d{7}$/i.test(value) ? value.replace(/\D/g, '') : value);
    }
    for (const flag of descendants(ship, 'CurrentBelievedFlagOfShips', 'CurrentBelievedFlagOfShip')) {
      const value = clean(flag.text);
      if (value) addCountry(e, countryCode(value), 'registration');
    }
  }

  for (const phone of descendants(node, 'PhoneNumbers', 'PhoneNumber'))
    addIdentifier(e, 'phone', clean(phone.text));
  for (const email of descendants(node, 'EmailAddresses', 'EmailAddress'))
    addIdentifier(e, 'email', clean(email.text));
  for (const site of descendants(node, 'Websites', 'Website')) addIdentifier(e, 'website', clean(site.text));

  if (remarks.length > 0) e.remarks = remarks.join('\n');
  return e;
}

/**
 * A UK date as a partial date: `dd/mm/yyyy` with `00` (or `dd`, `mm`) for unknown parts, so
 * `00/00/1965` is `1965` and `00/07/1965` is `1965-07`; ISO dates (`2022-03-15T00:00:00`) pass.
 */
function ukDate(value: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (iso)
    return isPartialDate(`${iso[1]}-${iso[2]}-${iso[3]}`) ? `${iso[1]}-${iso[2]}-${iso[3]}` : undefined;
  const uk = /^(\d{1,2}|dd)\/(\d{1,2}|mm)\/(\d{4})$/i.exec(value);
  if (!uk) return /^\d{4}$/.test(value) && value !== '0000' ? value : undefined;
  const [, d = '', m = '', y = ''] = uk;
  if (y === '0000') return undefined;
  const month = /^\d+$/.test(m) && Number(m) > 0 ? m.padStart(2, '0') : undefined;
  const day = /^\d+$/.test(d) && Number(d) > 0 ? d.padStart(2, '0') : undefined;
  const result = month ? (day ? `${y}-${month}-${day}` : `${y}-${month}`) : y;
  return isPartialDate(result) ? result : undefined;
}

function addIdentifier(e: ListEntity, type: string, value: string): void {
  if (value && !e.identifiers.some((i) => i.type === type && i.value === value))
    e.identifiers.push({ type, value });
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

/** The `leaf` elements under the `group` children of `node` (`Names` → `Name`). */
function descendants(node: XmlNode, group: string, leaf: string): XmlNode[] {
  const found: XmlNode[] = [];
  const walk = (n: XmlNode) => {
    for (const c of n.children) {
      if (c.name === leaf) found.push(c);
      else walk(c);
    }
  };
  for (const g of children(node, group)) walk(g);
  return found;
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

/** ISO 639-1 for the script languages the UK list names. */
const LANGUAGES: Record<string, string> = {
  arabic: 'ar',
  armenian: 'hy',
  belarusian: 'be',
  burmese: 'my',
  chinese: 'zh',
  farsi: 'fa',
  georgian: 'ka',
  hebrew: 'he',
  japanese: 'ja',
  korean: 'ko',
  pashto: 'ps',
  persian: 'fa',
  russian: 'ru',
  serbian: 'sr',
  ukrainian: 'uk',
  urdu: 'ur',
};

/** ISO 3166-1 alpha-2 for the country names (and a few nationalities) the UK list uses. */
function countryCode(name: string): string {
  return COUNTRIES[name.toLowerCase()] ?? name;
}

const COUNTRIES: Record<string, string> = {
  afghanistan: 'AF',
  algeria: 'DZ',
  armenia: 'AM',
  azerbaijan: 'AZ',
  bahrain: 'BH',
  belarus: 'BY',
  belgium: 'BE',
  'bosnia and herzegovina': 'BA',
  british: 'GB',
  'british virgin islands': 'VG',
  burma: 'MM',
  cameroon: 'CM',
  'central african republic': 'CF',
  china: 'CN',
  cuba: 'CU',
  cyprus: 'CY',
  'democratic people’s republic of korea': 'KP',
  "democratic people's republic of korea": 'KP',
  'democratic republic of the congo': 'CD',
  egypt: 'EG',
  eritrea: 'ER',
  estonia: 'EE',
  france: 'FR',
  georgia: 'GE',
  germany: 'DE',
  guinea: 'GN',
  'guinea-bissau': 'GW',
  haiti: 'HT',
  'hong kong': 'HK',
  india: 'IN',
  indonesia: 'ID',
  iran: 'IR',
  iraq: 'IQ',
  israel: 'IL',
  italy: 'IT',
  jordan: 'JO',
  kazakhstan: 'KZ',
  kenya: 'KE',
  kuwait: 'KW',
  kyrgyzstan: 'KG',
  latvia: 'LV',
  lebanon: 'LB',
  libya: 'LY',
  lithuania: 'LT',
  malaysia: 'MY',
  mali: 'ML',
  moldova: 'MD',
  mongolia: 'MN',
  montenegro: 'ME',
  morocco: 'MA',
  myanmar: 'MM',
  netherlands: 'NL',
  nicaragua: 'NI',
  niger: 'NE',
  nigeria: 'NG',
  'north korea': 'KP',
  oman: 'OM',
  pakistan: 'PK',
  'palestinian territories': 'PS',
  panama: 'PA',
  philippines: 'PH',
  qatar: 'QA',
  russia: 'RU',
  'russian federation': 'RU',
  rwanda: 'RW',
  'saudi arabia': 'SA',
  serbia: 'RS',
  seychelles: 'SC',
  singapore: 'SG',
  somalia: 'SO',
  'south sudan': 'SS',
  sudan: 'SD',
  switzerland: 'CH',
  syria: 'SY',
  tajikistan: 'TJ',
  tunisia: 'TN',
  turkey: 'TR',
  türkiye: 'TR',
  turkmenistan: 'TM',
  uganda: 'UG',
  ukraine: 'UA',
  'united arab emirates': 'AE',
  'united kingdom': 'GB',
  'united states': 'US',
  'united states of america': 'US',
  uzbekistan: 'UZ',
  venezuela: 'VE',
  vietnam: 'VN',
  yemen: 'YE',
  zimbabwe: 'ZW',
};
