/**
 * Thresholds of the typology detectors: one typed object with documented defaults
 * (docs/typologies.md explains each), and the reader of a partial override such as a
 * `--config FILE.json`. Durations are in seconds, shares and ratios are fractions, amounts are in
 * units of the asset (not base units).
 */
import { invalid } from '../../../shared/errors.js';
import { isTypology, TYPOLOGIES, type Typology } from './model.js';

/** When one address sends or receives far more than its own history predicts. */
export interface BurstConfig {
  /** The window must hold at least this many times the transfers expected from the rest of the data. */
  readonly minRatio: number;
  /**
   * … and be this unlikely under the address's usual rate: the Poisson chance of so many
   * transfers in one window, times the number of windows in the data.
   */
  readonly maxPValue: number;
}

/** Fan-in (many senders to one address) or fan-out (one address to many receivers). */
export interface FanConfig {
  readonly windowSeconds: number;
  /** Distinct senders (fan-in) or receivers (fan-out) within the window. */
  readonly minCounterparties: number;
}

/** Round-tripping: value that comes back to where it started. */
export interface CycleConfig {
  readonly minHops: number;
  readonly maxHops: number;
  /** From the first transfer of the cycle to the one that closes it. */
  readonly windowSeconds: number;
  /** Each hop carries between these fractions of the previous hop's amount. */
  readonly minHopRatio: number;
  readonly maxHopRatio: number;
  /** The amount that returns, as a fraction of the amount that left. */
  readonly minReturnRatio: number;
  /** Other payments an intermediate may make between receiving the value and passing it on. */
  readonly maxInterleaved: number;
  /** Search steps allowed from one starting transfer (bounds the cost on dense neighbourhoods). */
  readonly maxSteps: number;
}

/** One source pays several intermediaries, which pass the money on to one sink. */
export interface ScatterGatherConfig {
  readonly minIntermediaries: number;
  /** Longest time an intermediary holds the money. */
  readonly hopDelaySeconds: number;
  /** The scatter (source → intermediaries) fits in this window. */
  readonly windowSeconds: number;
  /** What an intermediary passes on, as a fraction of what it received. */
  readonly minRatio: number;
  readonly maxRatio: number;
  /** The intermediaries must be at least this share of the source's receivers or the sink's senders then. */
  readonly minShare: number;
  /** Other transfers an intermediary may have around the money it passes on. */
  readonly maxOtherTransfers: number;
}

/** Many senders pay one hub, which pays many receivers. */
export interface GatherScatterConfig {
  readonly windowSeconds: number;
  readonly minSenders: number;
  readonly minReceivers: number;
  /** Money out over money in. */
  readonly minFlowRatio: number;
  readonly maxFlowRatio: number;
  /** At some moment the hub holds at least this share of what it collected. */
  readonly minHeldShare: number;
  /** The burst test's p-value for the hub (see `BurstConfig`), looser than a plain fan's. */
  readonly maxPValue: number;
}

/** A chain of hops, each passing most of the value on and peeling a small part off. */
export interface PeelChainConfig {
  /** Hops that peel, at least. */
  readonly minPeels: number;
  /** Longest time between receiving and passing on. */
  readonly maxHopDelaySeconds: number;
  /** The part passed on, as a fraction of what the hop received. */
  readonly minKeepShare: number;
  /** Largest single peel, as a fraction of what the hop received. */
  readonly maxPeelShare: number;
  /** Most peels in one hop. */
  readonly maxPeelsPerHop: number;
  /** Passed on plus peeled, as a fraction of what was received. */
  readonly minConservation: number;
  readonly maxConservation: number;
}

/** Money in and out of one address within a short time at similar amounts. */
export interface PassThroughConfig {
  readonly maxDelaySeconds: number;
  /** Out over in. */
  readonly minRatio: number;
  readonly maxRatio: number;
  /** Most incoming and most outgoing transfers in one pass. */
  readonly maxLegs: number;
  /** The passes carry at least this share of what the address received around them. */
  readonly minShare: number;
  /** How far before and after the passes that share is measured. */
  readonly contextSeconds: number;
  /** Passes closer than this are one alert. */
  readonly mergeSeconds: number;
  /** A destination that this many addresses pass money on to is a collector, not a pattern. */
  readonly maxFeeders: number;
}

/** Repeated amounts just under a reporting threshold. */
export interface StructuringConfig {
  /** Thresholds per asset symbol, in units of the asset. */
  readonly thresholds: Readonly<Record<string, readonly number[]>>;
  /** "Just under": within this fraction below the threshold (0.1: 9,000 to 9,999.99 for 10,000). */
  readonly band: number;
  readonly minCount: number;
  readonly windowSeconds: number;
  /** The amounts under the threshold are at least this share of the subject's transfers then. */
  readonly minShare: number;
  /** Transfers just above the threshold, at most this many per one just under. */
  readonly maxAboveRatio: number;
}

/**
 * Which addresses are services (exchanges, hot wallets, merchants, deposit collectors): those with
 * at least `minCounterparties` distinct counterparties, or among the `topShare` best-connected
 * addresses of the data with at least `floorCounterparties`. The relative rule keeps a small file,
 * whose exchanges have fewer counterparties, from treating them as ordinary users.
 */
export interface ServiceConfig {
  readonly minCounterparties: number;
  readonly topShare: number;
  readonly floorCounterparties: number;
}

/** Every threshold of every detector. */
export interface TypologyConfig {
  /** Detectors to run. */
  readonly typologies: readonly Typology[];
  readonly services: ServiceConfig;
  /** Alerts below this score are dropped. */
  readonly minScore: number;
  readonly burst: BurstConfig;
  readonly fanIn: FanConfig;
  readonly fanOut: FanConfig;
  readonly cycle: CycleConfig;
  readonly scatterGather: ScatterGatherConfig;
  readonly gatherScatter: GatherScatterConfig;
  readonly peelChain: PeelChainConfig;
  readonly passThrough: PassThroughConfig;
  readonly structuring: StructuringConfig;
}

const HOUR = 3600;
const DAY = 24 * HOUR;
const USD_LIKE = [
  'USD',
  'USDT',
  'USDC',
  'USDH',
  'USDD',
  'BUSD',
  'DAI',
  'TUSD',
  'USDP',
  'FDUSD',
  'PYUSD',
  'RLUSD',
];
const EUR_LIKE = ['EUR', 'EURC', 'EURT', 'EURS'];

/**
 * The defaults: sound for a month of chain data with services in it. See docs/typologies.md for
 * the reasoning behind each number.
 */
export const DEFAULT_TYPOLOGY_CONFIG: TypologyConfig = {
  typologies: TYPOLOGIES,
  services: { minCounterparties: 100, topShare: 0.01, floorCounterparties: 20 },
  minScore: 0,
  burst: { minRatio: 3, maxPValue: 0.00001 },
  fanIn: { windowSeconds: 3 * DAY, minCounterparties: 5 },
  fanOut: { windowSeconds: 3 * DAY, minCounterparties: 5 },
  cycle: {
    minHops: 2,
    maxHops: 6,
    windowSeconds: 7 * DAY,
    minHopRatio: 0.9,
    maxHopRatio: 1.05,
    minReturnRatio: 0.5,
    maxInterleaved: 2,
    maxSteps: 20_000,
  },
  scatterGather: {
    minIntermediaries: 3,
    hopDelaySeconds: 3 * DAY,
    windowSeconds: 3 * DAY,
    minRatio: 0.8,
    maxRatio: 1.02,
    minShare: 0.5,
    maxOtherTransfers: 4,
  },
  gatherScatter: {
    windowSeconds: 3 * DAY,
    minSenders: 3,
    minReceivers: 3,
    minFlowRatio: 0.7,
    maxFlowRatio: 1.1,
    minHeldShare: 0.5,
    maxPValue: 0.001,
  },
  peelChain: {
    minPeels: 3,
    maxHopDelaySeconds: 2 * DAY,
    minKeepShare: 0.6,
    maxPeelShare: 0.3,
    maxPeelsPerHop: 3,
    minConservation: 0.9,
    maxConservation: 1.01,
  },
  passThrough: {
    maxDelaySeconds: 12 * HOUR,
    minRatio: 0.95,
    maxRatio: 1.005,
    maxLegs: 3,
    minShare: 0.25,
    contextSeconds: 7 * DAY,
    mergeSeconds: 7 * DAY,
    maxFeeders: 3,
  },
  structuring: {
    thresholds: Object.fromEntries([
      ...USD_LIKE.map((s) => [s, [10_000, 3_000]] as const),
      ...EUR_LIKE.map((s) => [s, [10_000, 1_000]] as const),
    ]),
    band: 0.1,
    minCount: 3,
    windowSeconds: 14 * DAY,
    minShare: 0.75,
    maxAboveRatio: 0.2,
  },
};

/** A config override: any subset of the fields, nested objects included. */
export type TypologyConfigInput = {
  readonly [K in keyof TypologyConfig]?: TypologyConfig[K] extends readonly unknown[]
    ? TypologyConfig[K]
    : TypologyConfig[K] extends object
      ? Partial<TypologyConfig[K]>
      : TypologyConfig[K];
};

type Check = 'count' | 'whole' | 'seconds' | 'share' | 'ratio' | 'score';

const FIELD_CHECKS: Record<string, Record<string, Check>> = {
  services: { minCounterparties: 'count', topShare: 'share', floorCounterparties: 'count' },
  burst: { minRatio: 'ratio', maxPValue: 'share' },
  fanIn: { windowSeconds: 'seconds', minCounterparties: 'count' },
  fanOut: { windowSeconds: 'seconds', minCounterparties: 'count' },
  cycle: {
    minHops: 'count',
    maxHops: 'count',
    windowSeconds: 'seconds',
    minHopRatio: 'ratio',
    maxHopRatio: 'ratio',
    minReturnRatio: 'ratio',
    maxInterleaved: 'whole',
    maxSteps: 'count',
  },
  scatterGather: {
    minIntermediaries: 'count',
    hopDelaySeconds: 'seconds',
    windowSeconds: 'seconds',
    minRatio: 'ratio',
    maxRatio: 'ratio',
    minShare: 'share',
    maxOtherTransfers: 'whole',
  },
  gatherScatter: {
    windowSeconds: 'seconds',
    minSenders: 'count',
    minReceivers: 'count',
    minFlowRatio: 'ratio',
    maxFlowRatio: 'ratio',
    minHeldShare: 'share',
    maxPValue: 'share',
  },
  peelChain: {
    minPeels: 'count',
    maxHopDelaySeconds: 'seconds',
    minKeepShare: 'share',
    maxPeelShare: 'share',
    maxPeelsPerHop: 'count',
    minConservation: 'ratio',
    maxConservation: 'ratio',
  },
  passThrough: {
    maxDelaySeconds: 'seconds',
    minRatio: 'ratio',
    maxRatio: 'ratio',
    maxLegs: 'count',
    minShare: 'share',
    contextSeconds: 'seconds',
    mergeSeconds: 'seconds',
    maxFeeders: 'count',
  },
  structuring: {
    band: 'share',
    minCount: 'count',
    windowSeconds: 'seconds',
    minShare: 'share',
    maxAboveRatio: 'ratio',
  },
};

/**
 * Reads an override (parsed JSON, or an object built by a caller) onto the defaults, checking
 * every field: an unknown key, a wrong type or an out-of-range value is a `config.invalid_typology`
 * error naming the field. Structuring thresholds given for a symbol replace the defaults for that
 * symbol only; `[]` removes them.
 *
 * @example parseTypologyConfig({ fanIn: { minCounterparties: 8 } }).fanIn.windowSeconds // 259200
 */
export function parseTypologyConfig(
  value: unknown,
  base: TypologyConfig = DEFAULT_TYPOLOGY_CONFIG,
): TypologyConfig {
  if (value === undefined || value === null) return base;
  const o = asObject(value, 'config');
  const out: Record<string, unknown> = { ...base };
  for (const [key, v] of Object.entries(o)) {
    if (key === 'typologies') {
      if (!Array.isArray(v) || v.some((t) => typeof t !== 'string' || !isTypology(t)))
        throw bad('typologies', `must be a list of: ${TYPOLOGIES.join(', ')}`);
      out.typologies = TYPOLOGIES.filter((t) => (v as string[]).includes(t));
    } else if (key === 'minScore') {
      out[key] = checkNumber(v, key, 'score');
    } else if (key === 'structuring') {
      out[key] = readStructuring(v, base.structuring);
    } else if (key in FIELD_CHECKS) {
      out[key] = readSection(key, v, base[key as keyof TypologyConfig] as unknown as Record<string, unknown>);
    } else {
      throw bad(key, 'is not a typology setting');
    }
  }
  const config = out as unknown as TypologyConfig;
  if (config.cycle.minHops < 2 || config.cycle.maxHops < config.cycle.minHops || config.cycle.maxHops > 12)
    throw bad('cycle.maxHops', 'hops must satisfy 2 ≤ minHops ≤ maxHops ≤ 12');
  return config;
}

function readSection(name: string, value: unknown, base: Record<string, unknown>): Record<string, unknown> {
  const o = asObject(value, name);
  const checks = FIELD_CHECKS[name] ?? {};
  const out = { ...base };
  for (const [key, v] of Object.entries(o)) {
    const check = checks[key];
    if (check === undefined) throw bad(`${name}.${key}`, 'is not a setting of this detector');
    out[key] = checkNumber(v, `${name}.${key}`, check);
  }
  return out;
}

function readStructuring(value: unknown, base: StructuringConfig): StructuringConfig {
  const o = asObject(value, 'structuring');
  const { thresholds: rawThresholds, ...rest } = o;
  const out = readSection('structuring', rest, base as unknown as Record<string, unknown>);
  let thresholds = base.thresholds;
  if (rawThresholds !== undefined) {
    const t = asObject(rawThresholds, 'structuring.thresholds');
    const merged: Record<string, readonly number[]> = { ...base.thresholds };
    for (const [symbol, list] of Object.entries(t)) {
      const field = `structuring.thresholds.${symbol}`;
      if (!Array.isArray(list)) throw bad(field, 'must be a list of amounts');
      const amounts = list.map((x) => {
        const n = typeof x === 'string' ? Number(x) : x;
        if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) throw bad(field, 'amounts must be > 0');
        return n;
      });
      merged[symbol.trim().toUpperCase()] = amounts;
    }
    thresholds = merged;
  }
  return { ...(out as unknown as StructuringConfig), thresholds };
}

function checkNumber(value: unknown, field: string, check: Check): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(field, 'must be a number');
  switch (check) {
    case 'count':
      if (!Number.isInteger(value) || value < 1) throw bad(field, 'must be a whole number ≥ 1');
      break;
    case 'whole':
      if (!Number.isInteger(value) || value < 0) throw bad(field, 'must be a whole number ≥ 0');
      break;
    case 'seconds':
      if (value <= 0) throw bad(field, 'must be > 0 seconds');
      break;
    case 'share':
      if (value < 0 || value > 1) throw bad(field, 'must be between 0 and 1');
      break;
    case 'score':
      if (value < 0 || value > 1) throw bad(field, 'must be between 0 and 1');
      break;
    case 'ratio':
      if (value < 0) throw bad(field, 'must be ≥ 0');
      break;
  }
  return value;
}

function asObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw bad(field, 'must be an object');
  return value as Record<string, unknown>;
}

function bad(field: string, message: string) {
  return invalid('config.invalid_typology', `typology config: ${field} ${message}`, { field });
}

/**
 * Reads a duration for options such as `--window`: `90s`, `45m`, `72h`, `3d`, `1w`, or plain
 * seconds. Throws `config.invalid_duration` for anything else.
 *
 * @example parseDurationSeconds('3d') // 259200
 */
export function parseDurationSeconds(text: string, field = 'duration'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|min|h|d|w)?\s*$/i.exec(text);
  const unit = (m?.[2] ?? 's').toLowerCase();
  const factor: Record<string, number> = { s: 1, m: 60, min: 60, h: HOUR, d: DAY, w: 7 * DAY };
  const seconds = m ? Number(m[1]) * (factor[unit] ?? 1) : Number.NaN;
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw invalid('config.invalid_duration', `${field}: "${text}" is not a duration (e.g. 90m, 72h, 3d)`, {
      field,
    });
  return seconds;
}
