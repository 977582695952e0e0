/**
 * The decision context: everything a policy rule may look at, as plain data. Rules are CEL
 * expressions over the six variables below; docs/policies.md is the reference for rule authors and
 * must follow every change here. Integers are `bigint` (CEL `int`), fractions `number` (CEL `double`).
 */

/** The customer behind the transfer, as known when the request arrived. */
export interface CustomerFacts {
  id: string;
  /** `person` or `organization`. */
  type: string;
  /** ISO 3166-1 alpha-2 country whose rules apply (from the serving legal entity), e.g. `US`. */
  jurisdiction: string;
  /** The exchange's legal entity serving the customer, e.g. `cordon-us`. */
  legalEntity: string;
  /** 0 none, 1 basic (contact details), 2 verified identity, 3 enhanced due diligence. */
  kycLevel: bigint;
  /** `low`, `medium`, `high` or `prohibited` (before this decision). */
  riskRating: string;
  /** Days since the customer was created in cordon. */
  accountAgeDays: number;
  /** Declared expected monthly volume in USD; 0 when not declared. */
  expectedMonthlyVolumeUsd: number;
  /** ISO 3166-1 alpha-2 codes. */
  nationality: string[];
  residence: string;
  /** Name screening: `clear`, `review` (possible match), `match` or `unscreened`. */
  screeningStatus: string;
}

/** The deposit or withdrawal attempt itself. */
export interface TransferFacts {
  /** `deposit` or `withdrawal`. */
  kind: string;
  chain: string;
  asset: string;
  /** Amount in whole units of the asset (1.5 for 1.5 ETH); exact base units are in the record. */
  amount: number;
  /** USD value when the request gave a price, else 0 (see `hasUsdValue`). */
  amountUsd: number;
  hasUsdValue: boolean;
  /** Facts of the asset from the registry. */
  stablecoin: boolean;
  issuerCanFreeze: boolean;
  /** Counterparty match keys: the senders of a deposit, the destination of a withdrawal. */
  counterparties: string[];
}

/** One list or attribution entry on a counterparty address. */
export interface ScreeningHitFact {
  /** Counterparty match key. */
  address: string;
  entityId: string;
  entityName: string;
  category: string;
  /** List source (`ofac-sdn`, `fincen-311-huione`, `attributions`, …). */
  source: string;
  confidence: number;
}

/** Exact address screening of the counterparties against the active lists and attributions. */
export interface ScreeningFacts {
  /** False when screening failed or timed out (the decision is then held). */
  available: boolean;
  hits: ScreeningHitFact[];
  /** Distinct categories and sources of the hits, for `"sanctioned" in screening.categories`. */
  categories: string[];
  sources: string[];
}

/** Exposure to one category, seen from the exchange: hop 1 is the counterparty address itself. */
export interface CategoryFact {
  exposed: boolean;
  /** The counterparty itself belongs to the category (listed, attributed or flagged in the graph). */
  direct: boolean;
  /** Fewest hops from the exchange (1 = the counterparty itself); 0 when not exposed. */
  minHops: bigint;
  /** Largest share of the counterparty's volume in this direction traced to the category, in [0, 1]. */
  share: number;
}

/** Exposure to one flagged entity. */
export interface EntityFact {
  entityId: string;
  entityName: string;
  category: string;
  /** List sources and attribution sets that flag the entity. */
  sources: string[];
  direct: boolean;
  minHops: bigint;
  share: number;
}

/** Direction-aware exposure: source of funds for deposits, destination of funds for withdrawals. */
export interface ExposureFacts {
  available: boolean;
  /** `incoming` (deposits) or `outgoing` (withdrawals). */
  direction: string;
  /** Every known category is present (zeros when not exposed), so rules never miss a key. */
  categories: Record<string, CategoryFact>;
  entities: EntityFact[];
}

/** Counts and USD sums of one kind of transfer in rolling windows ending now, this transfer included. */
export interface WindowFacts {
  count24h: bigint;
  sumUsd24h: number;
  count7d: bigint;
  sumUsd7d: number;
  sumUsd30d: number;
}

/** Behaviour of the customer over time, from the store. */
export interface AggregateFacts {
  deposits: WindowFacts;
  withdrawals: WindowFacts;
  /** Transfers (this one included) whose USD value fell just under a reporting threshold. */
  nearThreshold: { count24h: bigint; count7d: bigint };
  /** Money in then out: deposits and withdrawals within the pass-through window ending now. */
  passThrough: { windowHours: number; depositsUsd: number; withdrawalsUsd: number; share: number };
}

/** The whole context; `params` are the evaluated pack's own parameters. */
export interface DecisionContext {
  customer: CustomerFacts;
  transfer: TransferFacts;
  screening: ScreeningFacts;
  exposure: ExposureFacts;
  aggregates: AggregateFacts;
  params: Record<string, number>;
}

/** The variables a rule can name, in the order the documentation lists them. */
export const CONTEXT_VARIABLES = [
  'customer',
  'transfer',
  'screening',
  'exposure',
  'aggregates',
  'params',
] as const;

/** Categories every exposure context carries (kept equal to the lists module's attribution categories). */
export const EXPOSURE_CATEGORIES = [
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

/**
 * CEL types of the context, for type-checking rules when a pack is validated: a misspelt field or
 * a string compared with a number is refused with its position before the pack can be published.
 */
export const CONTEXT_TYPES = {
  types: {
    ScreeningHit: {
      address: 'string',
      entityId: 'string',
      entityName: 'string',
      category: 'string',
      source: 'string',
      confidence: 'double',
    },
    CategoryExposure: { exposed: 'bool', direct: 'bool', minHops: 'int', share: 'double' },
    EntityExposure: {
      entityId: 'string',
      entityName: 'string',
      category: 'string',
      sources: 'list<string>',
      direct: 'bool',
      minHops: 'int',
      share: 'double',
    },
    Window: {
      count24h: 'int',
      sumUsd24h: 'double',
      count7d: 'int',
      sumUsd7d: 'double',
      sumUsd30d: 'double',
    },
    NearThreshold: { count24h: 'int', count7d: 'int' },
    PassThrough: { windowHours: 'double', depositsUsd: 'double', withdrawalsUsd: 'double', share: 'double' },
  },
  variables: {
    customer: {
      id: 'string',
      type: 'string',
      jurisdiction: 'string',
      legalEntity: 'string',
      kycLevel: 'int',
      riskRating: 'string',
      accountAgeDays: 'double',
      expectedMonthlyVolumeUsd: 'double',
      nationality: 'list<string>',
      residence: 'string',
      screeningStatus: 'string',
    },
    transfer: {
      kind: 'string',
      chain: 'string',
      asset: 'string',
      amount: 'double',
      amountUsd: 'double',
      hasUsdValue: 'bool',
      stablecoin: 'bool',
      issuerCanFreeze: 'bool',
      counterparties: 'list<string>',
    },
    screening: {
      available: 'bool',
      hits: 'list<ScreeningHit>',
      categories: 'list<string>',
      sources: 'list<string>',
    },
    exposure: {
      available: 'bool',
      direction: 'string',
      categories: 'map<string, CategoryExposure>',
      entities: 'list<EntityExposure>',
    },
    aggregates: {
      deposits: 'Window',
      withdrawals: 'Window',
      nearThreshold: 'NearThreshold',
      passThrough: 'PassThrough',
    },
  },
} as const;

/** An exposure map with every known category at zero, to be filled in. */
export function emptyCategories(): Record<string, CategoryFact> {
  const out: Record<string, CategoryFact> = {};
  for (const c of EXPOSURE_CATEGORIES) out[c] = { exposed: false, direct: false, minHops: 0n, share: 0 };
  return out;
}

/** Zero aggregates (a first transfer, or a store that could not answer). */
export function emptyAggregates(windowHours: number): AggregateFacts {
  const w = (): WindowFacts => ({ count24h: 0n, sumUsd24h: 0, count7d: 0n, sumUsd7d: 0, sumUsd30d: 0 });
  return {
    deposits: w(),
    withdrawals: w(),
    nearThreshold: { count24h: 0n, count7d: 0n },
    passThrough: { windowHours, depositsUsd: 0, withdrawalsUsd: 0, share: 0 },
  };
}

/**
 * A category that is not exposed, shared by every context that has one (most have 13 or all 14):
 * read-only, like the rest of a built context.
 */
export const ZERO_CATEGORY: Readonly<CategoryFact> = Object.freeze({
  exposed: false,
  direct: false,
  minHops: 0n,
  share: 0,
});

/** Every known category, none exposed: the categories of a context with no exposure (read-only). */
export const ZERO_CATEGORIES: Readonly<Record<string, CategoryFact>> = Object.freeze(
  Object.fromEntries(EXPOSURE_CATEGORIES.map((c) => [c, ZERO_CATEGORY])),
);

const FIXED_FACTS = new Set<object>([ZERO_CATEGORY, ZERO_CATEGORIES]);

/** Whether a value is one of the shared read-only facts above, whose contents never change. */
export function isFixedFact(v: object): boolean {
  return FIXED_FACTS.has(v);
}

/** `ZERO_CATEGORY` as JSON (what `contextToJson` gives for it), shared the same way. */
export const ZERO_CATEGORY_JSON = Object.freeze({ exposed: false, direct: false, minHops: 0, share: 0 });

/**
 * The context as JSON-safe data (bigints become numbers), for storing it with the decision and
 * reading it back for replay and shadow tests with `contextFromJson`. Equal to what
 * `JSON.parse(JSON.stringify(ctx))` gives with bigints as numbers, but built for the context's own
 * shape (this runs on every decision): `transfer` and `screening` hold no bigints, so they are kept
 * as they are (shared, not copied); objects holding bigints are copied one level deep with their
 * arrays shared; unexposed categories become the shared `ZERO_CATEGORY_JSON`. Anything else (other
 * keys, other shapes) goes through the general copy.
 */
export function contextToJson(ctx: Omit<DecisionContext, 'params'> | DecisionContext): unknown {
  const out: Record<string, unknown> = {};
  const c = ctx as unknown as Record<string, unknown>;
  for (const k of Object.keys(c)) {
    const v = c[k];
    let x: unknown;
    switch (k) {
      case 'transfer':
      case 'screening':
        x = isPlainSection(v) ? v : jsonSafe(v);
        break;
      case 'customer':
        x = flatSafe(v);
        break;
      case 'exposure':
        x = exposureSafe(v);
        break;
      case 'aggregates':
        x = nestedSafe(v);
        break;
      default:
        x = jsonSafe(v);
    }
    if (x !== undefined) out[k] = x;
  }
  return out;
}

/** An object made by a literal (not an array, a class instance or null). */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype
  );
}

/** A section kept as it is: a plain object whose values are strings, booleans, finite numbers or arrays. */
function isPlainSection(v: unknown): boolean {
  if (!isPlainObject(v)) return false;
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    switch (typeof x) {
      case 'string':
      case 'boolean':
        break;
      case 'number':
        if (!Number.isFinite(x)) return false;
        break;
      case 'object':
        if (!Array.isArray(x) || !x.every(isPlainItem)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function isPlainItem(x: unknown): boolean {
  switch (typeof x) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(x);
    case 'object':
      return x !== null && !Array.isArray(x) && isPlainSection(x);
    default:
      return false;
  }
}

/**
 * A copy of a plain object whose values are scalars or arrays of strings: bigints as numbers, arrays
 * of strings shared. Anything else goes through the general copy.
 */
function flatSafe(v: unknown): unknown {
  if (!isPlainObject(v)) return jsonSafe(v);
  const out: Record<string, unknown> = {};
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    switch (typeof x) {
      case 'bigint':
        out[k] = Number(x);
        break;
      case 'string':
      case 'boolean':
        out[k] = x;
        break;
      case 'number':
        out[k] = Number.isFinite(x) ? x : null;
        break;
      case 'object':
        out[k] = Array.isArray(x) && x.every((s) => typeof s === 'string') ? x : jsonSafe(x);
        break;
      default: {
        if (k === 'toJSON' && typeof x === 'function') return jsonSafe(v);
        const y = jsonSafe(x);
        if (y !== undefined) out[k] = y;
      }
    }
  }
  return out;
}

/** Plain objects of plain objects (the aggregates): each copied by `flatSafe`. */
function nestedSafe(v: unknown): unknown {
  if (!isPlainObject(v)) return jsonSafe(v);
  const out: Record<string, unknown> = {};
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    const y = typeof x === 'object' && x !== null && !Array.isArray(x) ? flatSafe(x) : jsonSafe(x);
    if (y !== undefined) out[k] = y;
  }
  return out;
}

function exposureSafe(v: unknown): unknown {
  if (!isPlainObject(v)) return jsonSafe(v);
  const out: Record<string, unknown> = {};
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    let y: unknown;
    if (k === 'categories' && typeof x === 'object' && x !== null && !Array.isArray(x)) {
      const cats: Record<string, unknown> = {};
      for (const c in x) {
        const f = (x as Record<string, unknown>)[c];
        cats[c] = f === ZERO_CATEGORY ? ZERO_CATEGORY_JSON : flatSafe(f);
      }
      y = cats;
    } else if (k === 'entities' && Array.isArray(x)) {
      y = x.map((e) => flatSafe(e) ?? null);
    } else y = jsonSafe(x);
    if (y !== undefined) out[k] = y;
  }
  return out;
}

/**
 * What `JSON.parse(JSON.stringify(v))` gives, with bigints as numbers, built in one walk:
 * undefined, functions and symbols are left out of objects and become null in arrays, non-finite
 * numbers become null, `toJSON` (dates) is honoured.
 */
function jsonSafe(v: unknown): unknown {
  switch (typeof v) {
    case 'bigint':
      return Number(v);
    case 'number':
      return Number.isFinite(v) ? v : null;
    case 'string':
    case 'boolean':
      return v;
    case 'object': {
      if (v === null) return null;
      const toJSON = (v as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return jsonSafe(toJSON.call(v));
      if (Array.isArray(v)) {
        const out = new Array<unknown>(v.length);
        for (let i = 0; i < v.length; i++) {
          const x = jsonSafe(v[i]);
          out[i] = x === undefined ? null : x;
        }
        return out;
      }
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) {
        const x = jsonSafe((v as Record<string, unknown>)[k]);
        if (x !== undefined) out[k] = x;
      }
      return out;
    }
    default:
      return undefined;
  }
}

const INT_FIELDS = new Set(['kycLevel', 'minHops', 'count24h', 'count7d']);

/**
 * Reads a stored context back, restoring CEL integers as bigints and the exposure categories the
 * store leaves out because they are not exposed (decision-inputs.ts), so rules see every category.
 */
export function contextFromJson(value: unknown): DecisionContext {
  const ctx = JSON.parse(JSON.stringify(value), (k, v) =>
    INT_FIELDS.has(k) && typeof v === 'number' ? BigInt(Math.trunc(v)) : v,
  ) as DecisionContext;
  const categories = ctx?.exposure?.categories;
  if (typeof categories === 'object' && categories !== null)
    for (const c of EXPOSURE_CATEGORIES)
      categories[c] ??= { exposed: false, direct: false, minHops: 0n, share: 0 };
  return ctx;
}
