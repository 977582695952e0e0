/**
 * The canonical list model: every source (OFAC, UN, EU, UK, FinCEN 311, OpenSanctions, attribution
 * files) is mapped into these shapes, so versions, diffs and screening deal with one model only.
 * Inspired by FollowTheMoney, reduced to what screening and investigations use.
 */

/** What a listed entity is. */
export type EntityKind = 'person' | 'organization' | 'vessel' | 'aircraft' | 'wallet';

/**
 * How a name relates to the entity. OFAC does not expect screening on weak aliases alone;
 * original-script names are matched in their script and transliterated.
 */
export type NameKind = 'primary' | 'strong_alias' | 'weak_alias' | 'original_script' | 'former_name';

export interface EntityName {
  value: string;
  kind: NameKind;
  /** ISO 639 language or script hint where the source gives one (e.g. `ar`, `zh`, `ru`). */
  lang?: string;
}

/** A date as precise as the source gives it: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
export type PartialDate = string;

export interface EntityDate {
  kind: 'birth' | 'incorporation';
  value: PartialDate;
  /** Free text when the source gives a range or an approximation ("circa 1970", "1960 to 1965"). */
  note?: string;
}

export type CountryRole = 'nationality' | 'citizenship' | 'residence' | 'registration' | 'location' | 'birth';

export interface EntityCountry {
  /** ISO 3166-1 alpha-2 when it could be mapped, otherwise the source's text. */
  country: string;
  role: CountryRole;
}

export interface EntityIdentifier {
  /** e.g. `passport`, `national_id`, `registration`, `tax_id`, `imo`, `swift`, `lei`, `email`, `website`. */
  type: string;
  value: string;
  /** Issuing country or authority when given. */
  issuer?: string;
}

export interface EntityAddress {
  full: string;
  street?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  country?: string;
}

/** A crypto address as listed: the currency or chain code exactly as the source gives it. */
export interface ListedCryptoAddress {
  /** Source's code: `XBT`, `ETH`, `TRX`, `USDT`, `USDC`, … (resolved to a chain by the screening index). */
  currency: string;
  address: string;
}

export type RelationType =
  | 'subsidiary_of'
  | 'parent_of'
  | 'owned_by'
  | 'owner_of'
  | 'rebrand_of'
  | 'rebranded_as'
  | 'related';

export interface EntityRelation {
  type: RelationType;
  /** Canonical id of the other entity (`<source>:<sourceId>`). */
  target: string;
  note?: string;
}

/** One listed entity in one version of one source. */
export interface ListEntity {
  /** Canonical id: `<source>:<sourceId>`, stable across versions of the same source. */
  id: string;
  source: string;
  sourceId: string;
  kind: EntityKind;
  names: EntityName[];
  dates: EntityDate[];
  countries: EntityCountry[];
  identifiers: EntityIdentifier[];
  addresses: EntityAddress[];
  /** Programs or measures, prefixed by authority: `OFAC:DPRK3`, `UN:QDi`, `FinCEN-311`. */
  programs: string[];
  cryptoAddresses: ListedCryptoAddress[];
  relations: EntityRelation[];
  placesOfBirth: string[];
  gender?: 'male' | 'female';
  /** Listing and delisting dates, `YYYY-MM-DD`, when the source gives them. */
  listedOn?: string;
  delistedOn?: string;
  sourceUrl?: string;
  /** The source's free-text remarks, kept for analysts. */
  remarks?: string;
}

/** Categories an address attribution can carry. */
export const ATTRIBUTION_CATEGORIES = [
  'sanctioned',
  'special-measures',
  'scam',
  'guarantee-marketplace',
  'mixer',
  'exchange',
  'bridge',
  'stolen-funds',
  'ransomware',
  'darknet-market',
  'gambling',
  'terrorist-financing',
  'fraud-shop',
  'other',
] as const;
export type AttributionCategory = (typeof ATTRIBUTION_CATEGORIES)[number];

/** A chain address attributed to an entity or cluster by an analytics vendor or an investigation. */
export interface Attribution {
  /** Chain or currency code as given (`ETH`, `tron`, `BTC`, …). */
  chain: string;
  address: string;
  /** The entity or cluster name (or canonical entity id when it refers to a listed entity). */
  entity: string;
  category: AttributionCategory;
  /** Who says so (vendor, report, investigation id). */
  source: string;
  /** 0..1 */
  confidence: number;
  validFrom?: string;
  validTo?: string;
}

/** One item a parser yields: an entity or an attribution. */
export type ListRecord =
  | { type: 'entity'; entity: ListEntity }
  | { type: 'attribution'; attribution: Attribution };

/** A file handed to a parser: its name (for error messages) and its bytes as a stream. */
export interface SourceFile {
  name: string;
  /** Opens the file from the start; may be called more than once. */
  open(): AsyncIterable<Uint8Array>;
}

/** A non-fatal oddity a parser met (skipped row, unknown code), reported with the import. */
export interface ParseWarning {
  file: string;
  line?: number;
  element?: string;
  message: string;
}

/**
 * A source's parser: streams records out of its files, so memory stays bounded however large the
 * file. Bad input throws a CordonError of kind `invalid`, code `lists.parse_error`, whose details
 * name the `file` and the `line` or `element` at fault. Warnings go to `warn`.
 */
export type ListParser = (files: SourceFile[], warn: (w: ParseWarning) => void) => AsyncIterable<ListRecord>;

/** An empty entity to fill in, so mappers only set what their source has. */
export function emptyEntity(source: string, sourceId: string, kind: EntityKind): ListEntity {
  return {
    id: `${source}:${sourceId}`,
    source,
    sourceId,
    kind,
    names: [],
    dates: [],
    countries: [],
    identifiers: [],
    addresses: [],
    programs: [],
    cryptoAddresses: [],
    relations: [],
    placesOfBirth: [],
  };
}
