/**
 * OFAC's free-text vocabulary, shared by the three OFAC parsers: the `Remarks` column of the legacy
 * CSV (`DOB 12 Jan 1970; POB Moscow, Russia; Passport 123 (Russia); a.k.a. 'X'; …`), the labels
 * of `idList` entries in `sdn.xml` and the feature and document type names of `sdn_advanced.xml`.
 * All three speak the same labels, so one mapping turns them into the canonical model.
 */
import {
  type CountryRole,
  type EntityDate,
  emptyEntity,
  type ListEntity,
  type NameKind,
  type RelationType,
} from '../../model.js';

/** The canonical source name of the OFAC SDN list; ids are `ofac-sdn:<ent_num>`. */
export const OFAC_SOURCE = 'ofac-sdn';

// ---------------------------------------------------------------------------------------------
// Adding facts to an entity without duplicates

/** Adds a name unless the same value is already there (the first, strongest kind wins). */
export function addName(e: ListEntity, value: string | undefined, kind: NameKind, lang?: string): void {
  const v = value?.trim();
  if (!v || e.names.some((n) => n.value === v)) return;
  e.names.push(lang ? { value: v, kind, lang } : { value: v, kind });
}

/** Adds a birth or incorporation date unless already there. */
export function addDate(
  e: ListEntity,
  kind: EntityDate['kind'],
  date: { value: string; note?: string },
): void {
  if (e.dates.some((d) => d.kind === kind && d.value === date.value && d.note === date.note)) return;
  e.dates.push(date.note ? { kind, value: date.value, note: date.note } : { kind, value: date.value });
}

/** Adds a country (mapped to ISO alpha-2 when known) in a role, unless already there. */
export function addCountry(e: ListEntity, name: string | undefined, role: CountryRole): void {
  const country = name ? countryCode(name) : '';
  if (!country || e.countries.some((c) => c.country === country && c.role === role)) return;
  e.countries.push({ country, role });
}

/** Adds an identifier unless the same type and value are already there. */
export function addIdentifier(e: ListEntity, type: string, value: string | undefined, issuer?: string): void {
  const v = value?.trim();
  if (!v || e.identifiers.some((i) => i.type === type && i.value === v)) return;
  const iss = issuer?.trim();
  e.identifiers.push(iss ? { type, value: v, issuer: iss } : { type, value: v });
}

/** Adds a listed crypto address unless already there. */
export function addCrypto(e: ListEntity, currency: string, address: string | undefined): void {
  const cur = currency.trim().toUpperCase();
  const addr = address?.trim().replace(/[.,;]+$/, '');
  if (!cur || !addr || e.cryptoAddresses.some((c) => c.currency === cur && c.address === addr)) return;
  e.cryptoAddresses.push({ currency: cur, address: addr });
}

/** Adds a relation unless the same type and target are already there. */
export function addRelation(e: ListEntity, type: RelationType, target: string, note?: string): void {
  if (e.relations.some((r) => r.type === type && r.target === target)) return;
  e.relations.push(note ? { type, target, note } : { type, target });
}

/** Adds a place of birth as written, plus its country (role `birth`) when the last part is a known country. */
export function addPlaceOfBirth(e: ListEntity, place: string | undefined): void {
  const p = place?.trim().replace(/\.$/, '');
  if (!p) return;
  if (!e.placesOfBirth.includes(p)) e.placesOfBirth.push(p);
  const last = p.split(',').pop()?.trim();
  const code = last ? COUNTRIES.get(normCountry(last)) : undefined;
  if (code) addCountry(e, code, 'birth');
}

/** The canonical target for a relation OFAC states by name only (`Linked To: NAME`). */
export function nameTarget(name: string): string {
  return `${OFAC_SOURCE}:name:${name}`;
}

// ---------------------------------------------------------------------------------------------
// Dates

const MONTHS: Record<string, string> = {
  jan: '01',
  feb: '02',
  mar: '03',
  apr: '04',
  may: '05',
  jun: '06',
  jul: '07',
  aug: '08',
  sep: '09',
  oct: '10',
  nov: '11',
  dec: '12',
};

function singleDate(text: string): string | undefined {
  const t = text.trim();
  let m = /^(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})$/.exec(t);
  if (m) {
    const month = MONTHS[(m[2] ?? '').slice(0, 3).toLowerCase()];
    const day = Number(m[1]);
    if (!month || day < 1 || day > 31) return undefined;
    return `${m[3]}-${month}-${String(day).padStart(2, '0')}`;
  }
  m = /^([A-Za-z]{3,9})\.?,?\s+(\d{4})$/.exec(t);
  if (m) {
    const month = MONTHS[(m[1] ?? '').slice(0, 3).toLowerCase()];
    return month ? `${m[2]}-${month}` : undefined;
  }
  m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(t);
  if (m) return [m[1], m[2], m[3]].filter(Boolean).join('-');
  return undefined;
}

/**
 * Parses an OFAC date as written in remarks and `sdn.xml`: `12 Jan 1970`, `Jan 1970`, `1970`,
 * `circa 1970`, `1960 to 1965`, `12 Jan 1960 to 12 Jan 1965`, `circa 1970-1972`. A range or an
 * approximation keeps its first date as value and the text as note.
 */
export function parseOfacDate(text: string): { value: string; note?: string } | undefined {
  const t = text.trim().replace(/\.$/, '').trim();
  if (!t) return undefined;
  const circa = /^(circa|approximately|approx\.?|about)\s+/i.exec(t);
  const body = circa ? t.slice(circa[0].length) : t;
  const range = /^(.+?)\s+(?:to|-)\s+(.+)$/.exec(body) ?? /^(\d{4})-(\d{4})$/.exec(body);
  const first = singleDate(range ? (range[1] ?? '') : body);
  if (!first) return undefined;
  if (range && !singleDate(range[2] ?? '')) return undefined;
  return circa || range ? { value: first, note: t } : { value: first };
}

// ---------------------------------------------------------------------------------------------
// Countries

/**
 * Country names as OFAC writes them (plus common variants) by ISO 3166-1 alpha-2 code. Kosovo
 * uses the widely used user-assigned code XK.
 */
const COUNTRY_TABLE = `
AF Afghanistan
AX Aland Islands
AL Albania
DZ Algeria
AS American Samoa
AD Andorra
AO Angola
AI Anguilla
AG Antigua and Barbuda
AR Argentina
AM Armenia
AW Aruba
AU Australia
AT Austria
AZ Azerbaijan
BS Bahamas|Bahamas, The|The Bahamas
BH Bahrain
BD Bangladesh
BB Barbados
BY Belarus
BE Belgium
BZ Belize
BJ Benin
BM Bermuda
BT Bhutan
BO Bolivia
BA Bosnia and Herzegovina|Bosnia-Herzegovina
BW Botswana
BR Brazil
VG Virgin Islands, British|British Virgin Islands
BN Brunei|Brunei Darussalam
BG Bulgaria
BF Burkina Faso
MM Burma|Myanmar
BI Burundi
CV Cabo Verde|Cape Verde
KH Cambodia
CM Cameroon
CA Canada
KY Cayman Islands
CF Central African Republic
TD Chad
CL Chile
CN China|People's Republic of China
CO Colombia
KM Comoros
CD Congo, Democratic Republic of the|Democratic Republic of the Congo|Congo (Kinshasa)
CG Congo, Republic of the|Republic of the Congo|Congo (Brazzaville)|Congo
CK Cook Islands
CR Costa Rica
CI Cote d Ivoire|Cote d'Ivoire|Ivory Coast
HR Croatia
CU Cuba
CW Curacao
CY Cyprus
CZ Czech Republic|Czechia
DK Denmark
DJ Djibouti
DM Dominica
DO Dominican Republic
EC Ecuador
EG Egypt
SV El Salvador
GQ Equatorial Guinea
ER Eritrea
EE Estonia
SZ Eswatini|Swaziland
ET Ethiopia
FJ Fiji
FI Finland
FR France
GF French Guiana
PF French Polynesia
GA Gabon
GM Gambia|The Gambia|Gambia, The
GE Georgia
DE Germany
GH Ghana
GI Gibraltar
GR Greece
GL Greenland
GD Grenada
GP Guadeloupe
GU Guam
GT Guatemala
GG Guernsey
GN Guinea
GW Guinea-Bissau
GY Guyana
HT Haiti
VA Holy See|Vatican City
HN Honduras
HK Hong Kong
HU Hungary
IS Iceland
IN India
ID Indonesia
IR Iran|Iran, Islamic Republic of
IQ Iraq
IE Ireland
IM Man, Isle of|Isle of Man
IL Israel
IT Italy
JM Jamaica
JP Japan
JE Jersey
JO Jordan
KZ Kazakhstan
KE Kenya
KI Kiribati
KP Korea, North|North Korea|Democratic People's Republic of Korea|Korea, Democratic People's Republic of
KR Korea, South|South Korea|Republic of Korea|Korea, Republic of
XK Kosovo
KW Kuwait
KG Kyrgyzstan
LA Laos|Lao People's Democratic Republic
LV Latvia
LB Lebanon
LS Lesotho
LR Liberia
LY Libya
LI Liechtenstein
LT Lithuania
LU Luxembourg
MO Macau|Macao
MG Madagascar
MW Malawi
MY Malaysia
MV Maldives
ML Mali
MT Malta
MH Marshall Islands
MQ Martinique
MR Mauritania
MU Mauritius
MX Mexico
FM Micronesia, Federated States of|Micronesia
MD Moldova
MC Monaco
MN Mongolia
ME Montenegro
MS Montserrat
MA Morocco
MZ Mozambique
NA Namibia
NR Nauru
NP Nepal
NL Netherlands|The Netherlands
NC New Caledonia
NZ New Zealand
NI Nicaragua
NE Niger
NG Nigeria
MK North Macedonia, The Republic of|North Macedonia|Macedonia
MP Northern Mariana Islands
NO Norway
OM Oman
PK Pakistan
PW Palau
PS Palestinian|Palestinian Territories|Palestine|West Bank|Gaza|Region: Gaza|Region: West Bank|Palestinian Authority
PA Panama
PG Papua New Guinea
PY Paraguay
PE Peru
PH Philippines
PL Poland
PT Portugal
PR Puerto Rico
QA Qatar
RE Reunion
RO Romania
RU Russia|Russian Federation
RW Rwanda
KN Saint Kitts and Nevis|St. Kitts and Nevis|St. Kitts & Nevis
LC Saint Lucia|St. Lucia
VC Saint Vincent and the Grenadines|St. Vincent and the Grenadines
WS Samoa
SM San Marino
ST Sao Tome and Principe
SA Saudi Arabia
SN Senegal
RS Serbia
SC Seychelles
SL Sierra Leone
SG Singapore
SX Sint Maarten
SK Slovakia
SI Slovenia
SB Solomon Islands
SO Somalia
ZA South Africa
SS South Sudan
ES Spain
LK Sri Lanka
SD Sudan
SR Suriname
SE Sweden
CH Switzerland
SY Syria|Syrian Arab Republic
TW Taiwan
TJ Tajikistan
TZ Tanzania|Tanzania, United Republic of
TH Thailand
TL Timor-Leste|East Timor
TG Togo
TO Tonga
TT Trinidad and Tobago
TN Tunisia
TR Turkey|Turkiye
TM Turkmenistan
TC Turks and Caicos Islands
TV Tuvalu
UG Uganda
UA Ukraine
AE United Arab Emirates|UAE
GB United Kingdom|UK|U.K.|Great Britain
US United States|United States of America|USA|U.S.A.
UY Uruguay
UZ Uzbekistan
VU Vanuatu
VE Venezuela
VN Vietnam|Viet Nam
VI Virgin Islands, U.S.
YE Yemen
ZM Zambia
ZW Zimbabwe
`;

function normCountry(name: string): string {
  return name.trim().replace(/\.$/, '').replace(/\s+/g, ' ').toLowerCase();
}

const COUNTRIES: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (const line of COUNTRY_TABLE.split('\n')) {
    const m = /^([A-Z]{2}) (.+)$/.exec(line.trim());
    if (!m?.[1] || !m[2]) continue;
    map.set(m[1].toLowerCase(), m[1]);
    for (const name of m[2].split('|')) map.set(normCountry(name), m[1]);
  }
  return map;
})();

/**
 * The ISO 3166-1 alpha-2 code of a country as OFAC names it (`Korea, North` → `KP`, `Burma` →
 * `MM`); an unknown name (`undetermined`, `Region: Crimea`) comes back as given.
 */
export function countryCode(name: string): string {
  const t = name.trim().replace(/\.$/, '').trim();
  return COUNTRIES.get(normCountry(t)) ?? t;
}

// ---------------------------------------------------------------------------------------------
// Identifier labels

/** Labels OFAC uses for identifiers, mapped to the canonical identifier type. */
const IDENTIFIER_LABELS: Record<string, string[]> = {
  passport: [
    'Passport',
    'Diplomatic Passport',
    'British National Overseas Passport',
    'Stateless Person Passport',
    'Passport Booklet',
    'Travel Document Number',
    'U.S.A. Passport',
  ],
  national_id: [
    'National ID No.',
    'Identification Number',
    'Personal ID Card',
    'National Foreign ID Number',
    'Cedula No.',
    'D.N.I.',
    'C.U.R.P.',
    'C.U.I.',
    'C.U.I.P.',
    'N.I.E.',
    'Bosnian Personal ID No.',
    'Moroccan Personal ID No.',
    'Kenyan ID No.',
    'Stateless Person ID Card',
    'Refugee ID Card',
    'Turkish Identification Number',
    'Tazkira National ID Card',
    "Citizen's Card Number",
    'UAE Identification',
    'CNP (Personal Numerical Code)',
    'Personal Numerical Code',
    'Numero de Identidad',
    'Romanian Permanent Resident',
    'Tarjeta Profesional',
  ],
  ssn: ['SSN'],
  tax_id: [
    'Tax ID No.',
    'R.F.C.',
    'RFC',
    'NIT #',
    'RUC #',
    'RIF #',
    'US FEIN',
    'Italian Fiscal Code',
    'Fiscal Code',
    'C.I.F.',
    'N.I.F.',
    'C.U.I.T.',
    'Paraguayan tax identification number',
    'Romanian Tax Registration',
    'Numero Unico de Identificacao Tributaria (NUIT)',
    'RTN',
  ],
  vat: ['V.A.T. Number'],
  registration: [
    'Registration Number',
    'Registration ID',
    'Business Registration Number',
    'Business Registration Document #',
    'Commercial Registry Number',
    'Company Number',
    'UK Company Number',
    'Certificate of Incorporation Number',
    'Public Registration Number',
    'Chamber of Commerce Number',
    'Istanbul Chamber of Comm. No.',
    'Dubai Chamber of Commerce Membership No.',
    'Trade License No.',
    'Folio Mercantil No.',
    'Matricula Mercantil No',
    'C.R. No.',
    'Romanian C.R.',
    'Economic Register Number (CBLS)',
    'Central Registration System Number',
    'Enterprise Number',
    'Business Number',
    'Branch Unit Number',
    'Government Gazette Number',
    'Unified Social Credit Code (USCC)',
    'United Social Credit Code Certificate (USCCC)',
    'Registered Charity No.',
    'Organization Code',
    'MSB Registration Number',
    'Registration Certificate Number (Dubai)',
    'C.I.N.',
    'Russian State Individual Business Registration Number Pattern (OGRNIP)',
    'LE Number',
    'License',
    'Permit Number',
    'SRE Permit No.',
    'Tourism License No.',
    'Afghan Money Service Provider License Number',
    'Trademark number',
  ],
  lei: ['Legal Entity Number'],
  duns: ['D-U-N-S Number'],
  swift: ['SWIFT/BIC'],
  bik: ['BIK (RU)'],
  imo: [
    'Vessel Registration Identification IMO',
    'Identification Number IMO',
    'International Maritime Organization No.',
  ],
  imo_company: ['Company Number IMO'],
  vessel_registration: ['Vessel Registration Identification'],
  mmsi: ['MMSI'],
  call_sign: ['Vessel Call Sign', 'Other Vessel Call Sign', 'Call Sign'],
  aircraft_msn: [
    "Aircraft Manufacturer's Serial Number (MSN)",
    'Aircraft Manufacturer’s Serial Number (MSN)',
    'Aircraft Serial Identification',
  ],
  aircraft_tail_number: ['Aircraft Tail Number', 'Previous Aircraft Tail Number'],
  aircraft_construction_number: ['Aircraft Construction Number (also called L/N or S/N or F/N)'],
  aircraft_mode_s: ['Aircraft Mode S Transponder Code'],
  email: ['Email Address', 'Email'],
  website: ['Website'],
  phone: ['Phone Number', 'Phone', 'Telephone', 'Telephone No.', 'Telephone Number', 'Alt. Telephone'],
  fax: ['Fax', 'Fax No.'],
  drivers_license: ["Driver's License No."],
  voter_id: ['Electoral Registry No.', 'Credencial electoral', 'I.F.E.'],
  birth_certificate: ['Birth Certificate Number'],
  residency: ['Residency Number'],
  military_id: ['Cartilla de Servicio Militar Nacional', 'Military Registration Number'],
  seafarer_id: ["Seafarer's Identification Document"],
  pilot_license: ['Pilot License Number'],
  immigration: ['Immigration No.', 'Public Security and Immigration No.'],
  chinese_commercial_code: ['Chinese Commercial Code'],
  isin: ['ISIN'],
};

/** Longest label first, so `Company Number IMO` wins over `Company Number`. */
const LABELS: ReadonlyArray<{ label: string; lower: string; type: string }> = Object.entries(
  IDENTIFIER_LABELS,
)
  .flatMap(([type, labels]) => labels.map((label) => ({ label, lower: label.toLowerCase(), type })))
  .sort((a, b) => b.label.length - a.label.length);

const LABEL_TYPES: ReadonlyMap<string, string> = new Map(LABELS.map((l) => [l.lower, l.type]));

/** Labels that carry sanctions information, vehicle details or titles, never an identifier. */
const NOT_IDENTIFIERS = [
  'additional sanctions information',
  'secondary sanctions risk',
  'transactions prohibited',
  'executive order',
  'listing date',
  'effective date',
  'caatsa section',
  'for more information',
  'ifca determination',
  'organization type',
  'target type',
  'aircraft manufacture date',
  'aircraft model',
  'aircraft operator',
  'vessel year of build',
  'vessel type',
  'other vessel type',
  'vessel tonnage',
  'vessel gross registered tonnage',
  'vessel owner',
  'former vessel flag',
  'other vessel flag',
  'title',
  'un/locode',
  'micex code',
  'arrested',
  'hong kong autonomy act',
  'equity ticker',
  'issuer name',
];

function isInformational(label: string): boolean {
  const l = label.toLowerCase().trim();
  return NOT_IDENTIFIERS.some((p) => l.startsWith(p)) || /[:-]$/.test(l);
}

/** A label turned into an identifier type when no table entry knows it: `Pilot Permit No.` → `pilot_permit_no`. */
function slug(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** The canonical identifier type of a known OFAC label (`Tax ID No.` → `tax_id`), else undefined. */
export function identifierType(label: string): string | undefined {
  return LABEL_TYPES.get(label.trim().replace(/:$/, '').toLowerCase());
}

/** Splits `HRA 738077 (Stuttgart) (Germany) issued 2001` into value `HRA 738077` and issuer `Stuttgart, Germany`. */
function valueAndIssuer(text: string): { value: string; issuer?: string } {
  let t = text
    .trim()
    .replace(/^[:#]\s*/, '')
    .replace(/\s+(issued|expires|expired)\b.*$/i, '')
    .trim();
  const groups: string[] = [];
  for (;;) {
    const m = /\s*\(([^()]*)\)[.,]?$/.exec(t);
    if (!m || m.index === 0) break;
    groups.unshift((m[1] ?? '').trim());
    t = t.slice(0, m.index).trim();
  }
  const value = t.replace(/[.,;]+$/, '').trim();
  const issuer = groups.filter(Boolean).join(', ');
  return issuer ? { value, issuer } : { value };
}

/**
 * Applies one labelled value (a remark item split into label and value, an `sdn.xml` `idType` /
 * `idNumber` pair, an advanced-format feature or document) to an entity: gender, crypto
 * addresses, incorporation dates, registration countries and identifiers. `document` says the
 * label names an identity document for sure (an unknown label still becomes an identifier);
 * otherwise unknown labels are ignored. Returns whether the value was used.
 */
export function applyLabelled(
  e: ListEntity,
  label: string,
  value: string | undefined,
  opts: { issuer?: string; document?: boolean } = {},
): boolean {
  const l = label.trim().replace(/\s+/g, ' ');
  const v = value?.trim().replace(/\s+/g, ' ');
  if (!l || !v) return false;
  const lower = l.toLowerCase();
  const crypto = /^digital currency address\s*-\s*([A-Za-z0-9]+)$/i.exec(l);
  if (crypto?.[1]) {
    addCrypto(e, crypto[1], v.split(' ')[0]);
    return true;
  }
  if (lower === 'gender') {
    const g = v.toLowerCase().replace(/\.$/, '');
    if (g === 'male' || g === 'female') e.gender = g;
    return g === 'male' || g === 'female';
  }
  if (
    lower === 'organization established date' ||
    lower === 'date of registration' ||
    lower === 'date of establishment'
  ) {
    const d = parseOfacDate(v);
    if (d) addDate(e, 'incorporation', d);
    return d !== undefined;
  }
  if (lower === 'nationality of registration' || lower === 'vessel flag') {
    addCountry(e, v.replace(/\.$/, ''), 'registration');
    return true;
  }
  if (lower === 'place of birth') {
    addPlaceOfBirth(e, v);
    return true;
  }
  if (lower === 'birthdate' || lower === 'date of birth') {
    const d = parseOfacDate(v);
    if (d) addDate(e, 'birth', d);
    return d !== undefined;
  }
  if (lower === 'nationality country' || lower === 'nationality') {
    addCountry(e, v, 'nationality');
    return true;
  }
  if (lower === 'citizenship country' || lower === 'citizenship') {
    addCountry(e, v, 'citizenship');
    return true;
  }
  let type = identifierType(l);
  if (!type) {
    if (isInformational(l) || !opts.document) return false;
    type = slug(l);
  }
  if (type === 'phone' || type === 'fax' || type === 'email' || type === 'website') {
    addIdentifier(e, type, v.replace(/^[:#]\s*/, '').replace(/\.$/, ''));
    return true;
  }
  const parsed = opts.issuer !== undefined ? { value: v, issuer: opts.issuer } : valueAndIssuer(v);
  let id = parsed.value;
  // `Vessel Registration Identification` / `Identification Number` with value `IMO 9486910`.
  const imo = /^IMO\s*(\d{7})$/i.exec(id);
  if (imo?.[1] && type !== 'imo_company') {
    type = 'imo';
    id = imo[1];
  }
  const isin = /^ISIN:?\s*([A-Z]{2}[A-Z0-9]{10})$/.exec(id);
  if (isin?.[1]) {
    type = 'isin';
    id = isin[1];
  }
  if (type === 'imo') id = id.replace(/^\((\d+)\)$/, '$1');
  addIdentifier(e, type, id, parsed.issuer);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Remarks

/** A remark item for `Linked To` ends with the remark's own period unless the name ends with an abbreviation. */
function stripNamePeriod(name: string): string {
  const t = name.trim();
  if (!t.endsWith('.')) return t;
  const last = t.slice(0, -1).split(/\s+/).pop() ?? '';
  if (last.includes('.') || /^[A-Za-z]$/.test(last)) return t;
  if (/^(LTD|LTDA|CO|INC|CORP|BHD|GMBH|KFT|REG|JR|SR|PTE|AG|SA|NV|BV|LLC|PLC|CIA|NO)$/i.test(last)) return t;
  return t.slice(0, -1);
}

function quoted(body: string): string | undefined {
  const m = /^'(.*)'\.?$/s.exec(body.trim());
  return m?.[1]?.trim() || undefined;
}

/** Splits a remark item without a fixed form into label and value: the label ends before the first token with a digit. */
function genericItem(e: ListEntity, item: string): boolean {
  const m =
    /^([A-Za-z][A-Za-z .'/&#-]*?)\s+(\S*\d\S*(?:\s+\([^()]*\))*)(?:\s+(?:issued|expires)\b.*)?\.?$/.exec(
      item,
    );
  if (!m?.[1] || !m[2]) return false;
  const label = m[1].trim();
  if (label.split(' ').length > 6 || isInformational(label) || /^[a-z]/.test(label)) return false;
  const { value, issuer } = valueAndIssuer(m[2]);
  if (parseOfacDate(value) !== undefined) return false;
  addIdentifier(e, slug(label), value, issuer);
  return true;
}

function knownLabel(item: string): { label: string; rest: string } | undefined {
  const lower = item.toLowerCase();
  for (const l of LABELS) {
    if (!lower.startsWith(l.lower)) continue;
    const next = item.charAt(l.label.length);
    if (next !== ' ' && next !== ':') continue;
    return { label: l.label, rest: item.slice(l.label.length) };
  }
  return undefined;
}

/** Applies one remark item; returns whether it was understood. */
function applyItem(e: ListEntity, raw: string): boolean {
  const item = raw
    .trim()
    .replace(/^alt\.\s+/i, '')
    .trim();
  if (!item) return false;
  let m = /^(a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s+(.*)$/is.exec(item);
  if (m) {
    // Aliases in remarks are OFAC's weak (low quality) ones; a weak former name stays weak.
    const name = quoted(m[2] ?? '');
    if (name) addName(e, name, 'weak_alias');
    return name !== undefined;
  }
  m = /^DOB\s+(.+)$/i.exec(item);
  if (m?.[1]) {
    const d = parseOfacDate(m[1]);
    if (d) addDate(e, 'birth', d);
    return d !== undefined;
  }
  m = /^POB\s+(.+)$/i.exec(item);
  if (m?.[1]) {
    addPlaceOfBirth(e, m[1]);
    return true;
  }
  m = /^nationality\s+(.+)$/i.exec(item);
  if (m?.[1] && !/^of registration\b/i.test(m[1])) {
    addCountry(e, m[1], 'nationality');
    return true;
  }
  m = /^citizen\s+(.+)$/i.exec(item);
  if (m?.[1]) {
    addCountry(e, m[1], 'citizenship');
    return true;
  }
  m = /^Linked To:\s*(.+)$/i.exec(item);
  if (m?.[1]) {
    const name = stripNamePeriod(m[1]);
    addRelation(e, 'related', nameTarget(name), `Linked To: ${name}`);
    return true;
  }
  m = /^Gender\s+(.+)$/i.exec(item);
  if (m) return applyLabelled(e, 'Gender', m[1]);
  m = /^(Digital Currency Address\s*-\s*[A-Za-z0-9]+)\s+(\S+)/i.exec(item);
  if (m) return applyLabelled(e, m[1] ?? '', m[2]);
  m =
    /^(Organization Established Date|Date of Registration|Date of Establishment|Nationality of Registration|Vessel Flag)\s+(.+)$/i.exec(
      item,
    );
  if (m) return applyLabelled(e, m[1] ?? '', m[2]);
  const known = knownLabel(item);
  if (known) return applyLabelled(e, known.label, known.rest, { document: true });
  if (isInformational(item.split(/\s+\d/)[0] ?? item)) return false;
  return genericItem(e, item);
}

/** What OFAC's remarks say, in canonical shape. */
export interface RemarkFacts {
  names: ListEntity['names'];
  dates: ListEntity['dates'];
  countries: ListEntity['countries'];
  identifiers: ListEntity['identifiers'];
  cryptoAddresses: ListEntity['cryptoAddresses'];
  relations: ListEntity['relations'];
  placesOfBirth: string[];
  gender?: 'male' | 'female';
}

/**
 * Applies an OFAC remarks string to an entity (merged without duplicates) and keeps the raw text
 * in `remarks`. With `cut`, the caller says the text was cut short (see {@link looksCut}): its
 * last, incomplete item is ignored rather than read as a wrong value (half a crypto address).
 */
export function applyRemarks(e: ListEntity, text: string, opts: { cut?: boolean } = {}): void {
  const raw = text.trim();
  if (!raw) return;
  e.remarks = e.remarks ? `${e.remarks} ${raw}` : raw;
  const items = raw.split(';');
  if (opts.cut) items.pop();
  for (const item of items) applyItem(e, item);
}

/** Whether a remarks text stops mid-item: every complete OFAC remarks text ends with a period. */
export function looksCut(text: string): boolean {
  const t = text.trim();
  return t !== '' && !t.endsWith('.');
}

/** Parses an OFAC remarks string on its own (see {@link applyRemarks}). */
export function parseRemarks(text: string, opts: { cut?: boolean } = {}): RemarkFacts {
  const e = emptyEntity(OFAC_SOURCE, 'remarks', 'organization');
  applyRemarks(e, text, opts);
  const facts: RemarkFacts = {
    names: e.names,
    dates: e.dates,
    countries: e.countries,
    identifiers: e.identifiers,
    cryptoAddresses: e.cryptoAddresses,
    relations: e.relations,
    placesOfBirth: e.placesOfBirth,
  };
  if (e.gender) facts.gender = e.gender;
  return facts;
}
