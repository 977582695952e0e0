import {
  type EntityAddress,
  type EntityKind,
  emptyEntity,
  type ListEntity,
  type ListParser,
  type ListRecord,
  type NameKind,
  type ParseWarning,
} from '../../model.js';
import { parseError } from '../../parse-error.js';
import { child, children, clean, textOf, type XmlNode, xmlRecords } from '../xml-stream.js';
import {
  addCountry,
  addCrypto,
  addDate,
  addName,
  addPlaceOfBirth,
  addRelation,
  applyLabelled,
  countryCode,
  OFAC_SOURCE,
} from './remarks.js';
import { OFAC_XML_WORDING } from './xml.parse.js';

/** Namespaces `sdn_advanced.xml` has been published in (current, then the UN ACE one). */
export const ADVANCED_XML_NAMESPACES = [
  'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADVANCED_XML',
  'http://www.un.org/sanctions/1.0',
] as const;

/**
 * The OFAC SDN list in the "advanced" format (`sdn_advanced.xml`, after the UN ACE schema): root
 * `Sanctions` with `ReferenceValueSets` (the code tables), `Locations`, `IDRegDocuments`,
 * `DistinctParties`, `ProfileRelationships` and `SanctionsEntries`. Reference values must come
 * before the parties (as published); each party becomes an entity when read, while locations,
 * documents, relations and programs, which refer to parties by id from other sections, are kept
 * as small maps and attached at the end, when the entities are yielded. Ids are the profile id,
 * the same number as `ent_num` in the CSV (`ofac-sdn:<id>`). Digital currency addresses are
 * features whose type is `Digital Currency Address - <CUR>`, the address in `VersionDetail`.
 */
export const parseOfacAdvancedXml: ListParser = async function* (files, warn): AsyncIterable<ListRecord> {
  const seen = new Set<string>();
  for (const file of files) {
    const state = new AdvancedFile(file.name, warn);
    const records = xmlRecords(file, {
      root: 'Sanctions',
      isRecord: (path) =>
        path.length === 3 && (RECORD_SECTIONS.has(path[1] ?? '') || path[1] === 'ReferenceValueSets'),
      wording: OFAC_XML_WORDING,
      onRoot: ({ uri, line }) => {
        if (uri !== '' && !(ADVANCED_XML_NAMESPACES as readonly string[]).includes(uri)) {
          warn({
            file: file.name,
            line,
            element: 'Sanctions',
            message: `unknown namespace ${uri}, read as sdn_advanced.xml`,
          });
        }
      },
    });
    for await (const node of records) state.add(node, seen);
    yield* state.finish();
  }
};

/** Sections whose children are records (`Locations/Location`, …). */
const RECORD_SECTIONS: ReadonlySet<string> = new Set([
  'Locations',
  'IDRegDocuments',
  'DistinctParties',
  'ProfileRelationships',
  'SanctionsEntries',
]);

interface RefValue {
  value: string;
  attrs: Record<string, string>;
}

interface Ymd {
  y: number;
  m?: number;
  d?: number;
}

type LocationRole = 'address' | 'birth' | 'nationality' | 'citizenship' | 'registration';

/** Reading one `sdn_advanced.xml`: reference tables, entities so far and the links to resolve at the end. */
class AdvancedFile {
  private readonly refs = new Map<string, Map<string, RefValue>>();
  private readonly entities = new Map<string, ListEntity>();
  private readonly identities = new Map<string, string>();
  private readonly locations = new Map<string, XmlNode>();
  private readonly pendingLocations: Array<{ profile: string; role: LocationRole; location: string }> = [];
  private readonly documents: XmlNode[] = [];
  private readonly relationships: XmlNode[] = [];
  private readonly entries = new Map<string, { programs: string[]; listedOn?: string }>();
  private readonly unknownFeatures = new Set<string>();

  constructor(
    private readonly file: string,
    private readonly warn: (w: ParseWarning) => void,
  ) {}

  add(node: XmlNode, seen: Set<string>): void {
    switch (node.name) {
      case 'Location':
        if (node.attrs.ID) this.locations.set(node.attrs.ID, node);
        return;
      case 'IDRegDocument':
        this.documents.push(node);
        return;
      case 'DistinctParty':
        for (const profile of children(node, 'Profile')) this.party(node, profile, seen);
        return;
      case 'ProfileRelationship':
        this.relationships.push(node);
        return;
      case 'SanctionsEntry':
        this.entry(node);
        return;
      default:
        // A `…Values` set of ReferenceValueSets: `<FeatureType ID="345">Digital Currency Address - ETH</FeatureType>`.
        if (!node.name.endsWith('Values')) return;
        for (const value of node.children) {
          const id = value.attrs.ID;
          if (id === undefined) continue;
          let set = this.refs.get(value.name);
          if (!set) {
            set = new Map();
            this.refs.set(value.name, set);
          }
          set.set(id, { value: clean(value.text), attrs: value.attrs });
        }
    }
  }

  private ref(set: string, id: string | undefined): RefValue | undefined {
    return id === undefined ? undefined : this.refs.get(set)?.get(id);
  }

  private party(party: XmlNode, profile: XmlNode, seen: Set<string>): void {
    const where = { line: profile.line, element: 'DistinctParty/Profile' };
    if (this.refs.size === 0) {
      throw parseError(
        this.file,
        'DistinctParty before ReferenceValueSets: the code tables must come first',
        where,
      );
    }
    const id = profile.attrs.ID ?? party.attrs.FixedRef;
    if (!id || !/^\d+$/.test(id))
      throw parseError(this.file, `Profile without a numeric ID (${JSON.stringify(id ?? '')})`, where);
    if (seen.has(id)) throw parseError(this.file, `profile ${id} appears twice`, where);
    seen.add(id);
    const e = emptyEntity(OFAC_SOURCE, id, this.kind(profile, id));
    const names: Array<{ value: string; kind: NameKind; lang?: string }> = [];
    for (const identity of children(profile, 'Identity')) {
      if (identity.attrs.ID) this.identities.set(identity.attrs.ID, id);
      names.push(...this.identityNames(identity));
    }
    for (const kind of NAME_ORDER) {
      for (const n of names) if (n.kind === kind) addName(e, n.value, n.kind, n.lang);
    }
    if (!e.names.some((n) => n.kind === 'primary')) {
      this.warn({
        file: this.file,
        line: profile.line,
        element: 'Profile',
        message: `profile ${id} has no primary name`,
      });
    }
    for (const feature of children(profile, 'Feature')) this.feature(e, feature);
    const comment = textOf(party, 'Comment');
    if (comment) e.remarks = comment;
    this.entities.set(id, e);
  }

  private kind(profile: XmlNode, id: string): EntityKind {
    const sub = this.ref('PartySubType', profile.attrs.PartySubTypeID);
    const type = this.ref('PartyType', sub?.attrs.PartyTypeID)?.value.toLowerCase();
    const subName = sub?.value.toLowerCase();
    if (subName === 'vessel') return 'vessel';
    if (subName === 'aircraft') return 'aircraft';
    if (type === 'individual') return 'person';
    if (type === 'entity') return 'organization';
    this.warn({
      file: this.file,
      line: profile.line,
      element: 'Profile',
      message: `profile ${id}: unknown party type ${JSON.stringify(sub?.value ?? profile.attrs.PartySubTypeID ?? '')}, read as an organization`,
    });
    return 'organization';
  }

  private identityNames(identity: XmlNode): Array<{ value: string; kind: NameKind; lang?: string }> {
    const groupTypes = new Map<string, string>();
    for (const master of children(child(identity, 'NamePartGroups') ?? identity, 'MasterNamePartGroup')) {
      for (const group of children(master, 'NamePartGroup')) {
        const type = this.ref('NamePartType', group.attrs.NamePartTypeID)?.value;
        if (group.attrs.ID && type) groupTypes.set(group.attrs.ID, type);
      }
    }
    const out: Array<{ value: string; kind: NameKind; lang?: string }> = [];
    for (const alias of children(identity, 'Alias')) {
      const aliasType = this.ref('AliasType', alias.attrs.AliasTypeID)?.value.toUpperCase();
      for (const doc of children(alias, 'DocumentedName')) {
        const parts = children(doc, 'DocumentedNamePart').flatMap((p) => children(p, 'NamePartValue'));
        const value = composeName(
          parts.map((p) => ({
            type: groupTypes.get(p.attrs.NamePartGroupID ?? '') ?? 'Unknown',
            value: clean(p.text),
          })),
        );
        if (!value) continue;
        const script = parts
          .map((p) => this.ref('Script', p.attrs.ScriptID)?.attrs.ScriptCode)
          .find((code) => code !== undefined && code !== 'Latn');
        let kind: NameKind = 'strong_alias';
        if (alias.attrs.Primary === 'true') kind = 'primary';
        else if (alias.attrs.LowQuality === 'true') kind = 'weak_alias';
        else if (script) kind = 'original_script';
        else if (aliasType === 'F.K.A.') kind = 'former_name';
        out.push(script ? { value, kind, lang: script } : { value, kind });
      }
    }
    return out;
  }

  private feature(e: ListEntity, feature: XmlNode): void {
    const typeId = feature.attrs.FeatureTypeID ?? '';
    const type = this.ref('FeatureType', typeId)?.value;
    if (!type) {
      this.unknownFeatures.add(typeId);
      return;
    }
    const lower = type.toLowerCase();
    for (const version of children(feature, 'FeatureVersion')) {
      const detail = child(version, 'VersionDetail');
      const text = clean(detail?.text) || undefined;
      const refValue = this.ref('DetailReference', detail?.attrs.DetailReferenceID)?.value || undefined;
      const locations = children(version, 'VersionLocation')
        .map((l) => l.attrs.LocationID)
        .filter((l): l is string => l !== undefined);
      const period = child(version, 'DatePeriod');
      const crypto = /^digital currency address\s*-\s*(\S+)$/i.exec(type);
      if (crypto?.[1]) {
        addCrypto(e, crypto[1], text);
        continue;
      }
      const role = LOCATION_FEATURES[lower];
      if (role) {
        for (const location of locations) this.pendingLocations.push({ profile: e.sourceId, role, location });
        const direct = text ?? refValue;
        if (direct && role === 'birth') addPlaceOfBirth(e, direct);
        else if (direct && role !== 'address') addCountry(e, direct, role);
        continue;
      }
      if (lower === 'birthdate' || lower === 'organization established date') {
        const date = period ? periodDate(period) : undefined;
        if (date) addDate(e, lower === 'birthdate' ? 'birth' : 'incorporation', date);
        continue;
      }
      applyLabelled(e, type, text ?? refValue);
    }
  }

  private entry(node: XmlNode): void {
    const profile = node.attrs.ProfileID;
    if (!profile) return;
    const entry = this.entries.get(profile) ?? { programs: [] };
    for (const measure of children(node, 'SanctionsMeasure')) {
      const type = this.ref('SanctionsType', measure.attrs.SanctionsTypeID)?.value;
      const code = textOf(measure, 'Comment');
      if (!code || (type !== undefined && type.toLowerCase() !== 'program')) continue;
      const program = `OFAC:${code}`;
      if (!entry.programs.includes(program)) entry.programs.push(program);
    }
    for (const event of children(node, 'EntryEvent')) {
      const date = ymdOf(child(event, 'Date'));
      const iso = date ? formatYmd(date) : undefined;
      if (iso?.length === 10 && (entry.listedOn === undefined || iso < entry.listedOn)) entry.listedOn = iso;
    }
    this.entries.set(profile, entry);
  }

  /** Attaches what other sections say about the parties and yields the entities. */
  *finish(): Generator<ListRecord> {
    if (this.entities.size === 0) {
      throw parseError(this.file, 'no DistinctParty in the file', { element: 'Sanctions/DistinctParties' });
    }
    for (const p of this.pendingLocations) {
      const e = this.entities.get(p.profile);
      const location = this.locations.get(p.location);
      if (e && location) this.applyLocation(e, p.role, location);
    }
    let orphanDocs = 0;
    for (const doc of this.documents) {
      const profile = this.identities.get(doc.attrs.IdentityID ?? '');
      const e = profile === undefined ? undefined : this.entities.get(profile);
      if (!e) {
        orphanDocs++;
        continue;
      }
      const type = this.ref('IDRegDocType', doc.attrs.IDRegDocTypeID)?.value ?? 'Document';
      const issuer =
        this.ref('Country', doc.attrs['IssuedBy-CountryID'])?.value ?? textOf(doc, 'IssuingAuthority');
      applyLabelled(
        e,
        type,
        textOf(doc, 'IDRegistrationNo'),
        issuer ? { issuer, document: true } : { document: true },
      );
    }
    for (const rel of this.relationships) {
      const e = this.entities.get(rel.attrs['From-ProfileID'] ?? '');
      const to = rel.attrs['To-ProfileID'];
      if (!e || !to) continue;
      const name = this.ref('RelationType', rel.attrs.RelationTypeID)?.value ?? 'Related';
      addRelation(
        e,
        /owned or controlled by/i.test(name) ? 'owned_by' : 'related',
        `${OFAC_SOURCE}:${to}`,
        name,
      );
    }
    for (const [profile, entry] of this.entries) {
      const e = this.entities.get(profile);
      if (!e) continue;
      e.programs.push(...entry.programs.filter((p) => !e.programs.includes(p)));
      if (entry.listedOn) e.listedOn = entry.listedOn;
    }
    if (orphanDocs > 0) {
      this.warn({
        file: this.file,
        element: 'IDRegDocuments',
        message: `${orphanDocs} IDRegDocument refer to an identity of no party and were skipped`,
      });
    }
    if (this.unknownFeatures.size > 0) {
      this.warn({
        file: this.file,
        element: 'Feature',
        message: `FeatureTypeID ${[...this.unknownFeatures].join(', ')} not in ReferenceValueSets; those features were skipped`,
      });
    }
    for (const entity of this.entities.values()) yield { type: 'entity', entity };
  }

  private applyLocation(e: ListEntity, role: LocationRole, location: XmlNode): void {
    const parts = new Map<string, string>();
    for (const part of children(location, 'LocationPart')) {
      const type = this.ref('LocPartType', part.attrs.LocPartTypeID)?.value.toUpperCase() ?? 'UNKNOWN';
      const values = children(part, 'LocationPartValue');
      const value = textOf(values.find((v) => v.attrs.Primary === 'true') ?? values[0] ?? part, 'Value');
      if (value) parts.set(type, parts.has(type) ? `${parts.get(type)}, ${value}` : value);
    }
    let country = children(location, 'LocationCountry')
      .map((c) => this.ref('Country', c.attrs.CountryID))
      .find((c) => c !== undefined);
    if (!country) {
      const area = this.ref('AreaCode', child(location, 'LocationAreaCode')?.attrs.AreaCodeID);
      country = this.ref('Country', area?.attrs.CountryID);
    }
    const countryName = country?.value;
    const iso = country?.attrs.ISO2 || (countryName ? countryCode(countryName) : undefined);
    const street = ['ADDRESS1', 'ADDRESS2', 'ADDRESS3']
      .map((p) => parts.get(p))
      .filter(Boolean)
      .join(', ');
    const city = parts.get('CITY');
    const region = parts.get('STATE/PROVINCE') ?? parts.get('REGION');
    const postalCode = parts.get('POSTAL CODE');
    const other = parts.get('UNKNOWN');
    if (role === 'address') {
      const full = [other, street, city, region, postalCode, countryName].filter(Boolean).join(', ');
      if (!full) return;
      const a: EntityAddress = { full };
      if (street) a.street = street;
      if (city) a.city = city;
      if (region) a.region = region;
      if (postalCode) a.postalCode = postalCode;
      if (iso) a.country = iso;
      if (!e.addresses.some((x) => x.full === full)) e.addresses.push(a);
      if (iso) addCountry(e, iso, 'location');
      return;
    }
    if (role === 'birth') {
      addPlaceOfBirth(e, [other, street, city, region, countryName].filter(Boolean).join(', '));
      if (iso) addCountry(e, iso, 'birth');
      return;
    }
    addCountry(e, iso ?? other ?? region, role);
  }
}

const NAME_ORDER: readonly NameKind[] = [
  'primary',
  'strong_alias',
  'former_name',
  'original_script',
  'weak_alias',
];

/** Features whose value is a location (`VersionLocation`), by lower-cased feature type. */
const LOCATION_FEATURES: Record<string, LocationRole> = {
  location: 'address',
  'place of birth': 'birth',
  'nationality country': 'nationality',
  'citizenship country': 'citizenship',
  'nationality of registration': 'registration',
  'vessel flag': 'registration',
};

const GIVEN_ORDER: Record<string, number> = {
  'first name': 1,
  'middle name': 2,
  patronymic: 3,
  matronymic: 4,
};

/** Builds OFAC's `SURNAME, Given names` from typed name parts (entities just join their parts). */
function composeName(parts: Array<{ type: string; value: string }>): string {
  const present = parts.filter((p) => p.value);
  const isLast = (t: string) => t === 'last name' || t === 'maiden name';
  const last = present.filter((p) => isLast(p.type.toLowerCase()));
  const given = present
    .filter((p) => !isLast(p.type.toLowerCase()))
    .map((p, i) => ({ ...p, rank: GIVEN_ORDER[p.type.toLowerCase()] ?? 5, i }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i);
  const surname = last.map((p) => p.value).join(' ');
  const rest = given.map((p) => p.value).join(' ');
  if (surname && rest) return `${surname}, ${rest}`;
  return surname || rest;
}

function ymdOf(node: XmlNode | undefined): Ymd | undefined {
  if (!node) return undefined;
  const y = Number(textOf(node, 'Year'));
  if (!Number.isInteger(y) || y < 1000) return undefined;
  const m = Number(textOf(node, 'Month'));
  const d = Number(textOf(node, 'Day'));
  const out: Ymd = { y };
  if (Number.isInteger(m) && m >= 1 && m <= 12) {
    out.m = m;
    if (Number.isInteger(d) && d >= 1 && d <= 31) out.d = d;
  }
  return out;
}

function formatYmd(v: Ymd, precision: 'y' | 'm' | 'd' = 'd'): string {
  const parts = [String(v.y)];
  if (precision !== 'y' && v.m !== undefined) {
    parts.push(String(v.m).padStart(2, '0'));
    if (precision === 'd' && v.d !== undefined) parts.push(String(v.d).padStart(2, '0'));
  }
  return parts.join('-');
}

function lastDayOfMonth(y: number, m: number): number {
  return (
    [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][
      m - 1
    ] ?? 31
  );
}

/**
 * A `DatePeriod` as a partial date: `1970-01-01..1970-12-31` is `1970`, a whole month is
 * `YYYY-MM`, one day is `YYYY-MM-DD`; a wider span keeps its start and the span as note
 * (`1960 to 1965`), an approximate one is noted `circa`.
 */
function periodDate(period: XmlNode): { value: string; note?: string } | undefined {
  const start = child(period, 'Start');
  const end = child(period, 'End');
  const from = ymdOf(child(start ?? period, 'From')) ?? ymdOf(child(start ?? period, 'To'));
  if (!from) return undefined;
  const to = ymdOf(child(end ?? period, 'To')) ?? ymdOf(child(end ?? period, 'From')) ?? from;
  const wholeYears = (from.m ?? 1) === 1 && (from.d ?? 1) === 1 && (to.m ?? 12) === 12 && (to.d ?? 31) === 31;
  const wholeMonths =
    (from.d ?? 1) === 1 &&
    (to.m === undefined || (to.d ?? lastDayOfMonth(to.y, to.m)) === lastDayOfMonth(to.y, to.m));
  const precision = wholeYears ? 'y' : wholeMonths ? 'm' : 'd';
  const a = formatYmd(from, precision);
  const b = formatYmd(to, precision);
  const approximate = start?.attrs.Approximate === 'true' || end?.attrs.Approximate === 'true';
  const span = a === b ? a : `${a} to ${b}`;
  if (!approximate && a === b) return { value: a };
  return { value: a, note: approximate ? `circa ${span}` : span };
}
