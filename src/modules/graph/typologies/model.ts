/**
 * What the typology detectors produce: one alert per subject, typology and time window, naming the
 * transfers that make the pattern and saying in one line why it was raised. The JSON form of an
 * alert is the contract's (`subject`, `typology`, `score`, `transfers`, `explanation`) plus the
 * extra fields below, which readers may ignore.
 */

/** Every typology cordon detects, in the order the detectors run (composite patterns first). */
export const TYPOLOGIES = [
  'cycle',
  'scatter-gather',
  'gather-scatter',
  'peel-chain',
  'structuring',
  'rapid-pass-through',
  'fan-in',
  'fan-out',
] as const;

/** The name of one typology as alerts and labels spell it. */
export type Typology = (typeof TYPOLOGIES)[number];

/** Whether a string names a typology (for options and labels read from files). */
export function isTypology(value: string): value is Typology {
  return (TYPOLOGIES as readonly string[]).includes(value);
}

/** Numbers that back an alert's score (counts, ratios, durations in seconds), for analysts. */
export type AlertMetrics = Readonly<Record<string, number | string>>;

/** One detected pattern. */
export interface TypologyAlert {
  /** Displayed address or account the pattern is about (the collector of a fan-in, …). */
  readonly subject: string;
  readonly typology: Typology;
  /** Strength in [0, 1]; an alert is only raised when every threshold holds, so it is ≥ 0.5. */
  readonly score: number;
  /** Ids of the transfers that make the pattern, in time order. */
  readonly transfers: readonly string[];
  /** One line for people. */
  readonly explanation: string;
  readonly chain: string;
  readonly asset: string;
  /** Unix seconds of the first and last transfer. */
  readonly windowStart: number;
  readonly windowEnd: number;
  /** Other addresses that matter (the sink of a scatter-gather, the hops of a cycle). */
  readonly counterparties?: readonly string[];
  readonly metrics: AlertMetrics;
}

/** A planted pattern with its answer: what a detector should report (for generated data). */
export interface TypologyLabel {
  readonly subject: string;
  readonly typology: Typology;
  readonly transfers: readonly string[];
  readonly chain: string;
  readonly asset: string;
}

/**
 * The contract's JSON form of an alert: the five contract fields first, then `chain`, `asset`,
 * `window` (ISO 8601), `counterparties` and `metrics`.
 */
export function alertToJson(a: TypologyAlert): Record<string, unknown> {
  const json: Record<string, unknown> = {
    subject: a.subject,
    typology: a.typology,
    score: Math.round(a.score * 1000) / 1000,
    transfers: a.transfers,
    explanation: a.explanation,
    chain: a.chain,
    asset: a.asset,
    window: { start: isoSeconds(a.windowStart), end: isoSeconds(a.windowEnd) },
  };
  if (a.counterparties !== undefined && a.counterparties.length > 0) json.counterparties = a.counterparties;
  json.metrics = a.metrics;
  return json;
}

function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
