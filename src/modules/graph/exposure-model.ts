/**
 * The shape of an exposure answer, shared by the graph (which computes it), the HTTP and CLI
 * edges, and the decision pipeline (which writes rules over it). Semantics: docs/exposure.md.
 */

/**
 * Which way money is traced: `incoming` is the source of funds (what reached the address: deposits),
 * `outgoing` the destination of funds (where it went: withdrawals), `both` reports each.
 */
export type ExposureDirection = 'incoming' | 'outgoing' | 'both';

/** `poison`: any contact taints fully; `haircut`: taint flows in proportion to value. */
export type ExposureMethod = 'poison' | 'haircut';

/** What is asked. `address` is a match key (`tron:T…`, `evm:0x…`). */
export interface ExposureQuery {
  readonly address: string;
  readonly direction: ExposureDirection;
  readonly method: ExposureMethod;
  /** Hops to trace, 1 = direct counterparties only. */
  readonly hops: number;
  /** Restrict to one asset symbol (all assets when undefined). */
  readonly asset?: string;
  /** How many evidence paths to return (best first). */
  readonly maxPaths?: number;
}

/** One transfer on an evidence path, in the contract's JSON form. */
export interface PathTransfer {
  readonly id: string;
  readonly chain: string;
  readonly asset: string;
  readonly from: string;
  readonly to: string;
  readonly amount: string;
  readonly timestamp: string;
  readonly tx?: string;
}

/** Exposure to one flagged entity (or one category, when grouped by category). */
export interface ExposureItem {
  readonly entityId: string;
  readonly entityName: string;
  readonly category: string;
  /** Attribution sources behind the flag (list source labels or attribution files). */
  readonly sources: readonly string[];
  /** True when the entity is a direct counterparty (hop 1). */
  readonly direct: boolean;
  /** Fewest hops between the address and the entity. */
  readonly minHops: number;
  /** Exposed amount per asset symbol, decimal strings. */
  readonly amounts: Readonly<Record<string, string>>;
  /** Fraction of the address's volume in this direction, in [0, 1] (max over assets). */
  readonly share: number;
}

/** Exposure to one category, summed over its entities. */
export interface CategoryExposure {
  readonly category: string;
  readonly direct: boolean;
  readonly minHops: number;
  readonly amounts: Readonly<Record<string, string>>;
  readonly share: number;
}

/** The answer for one direction. */
export interface DirectionalExposure {
  readonly direction: 'incoming' | 'outgoing';
  /** The address's own volume in this direction, per asset, decimal strings. */
  readonly volume: Readonly<Record<string, string>>;
  readonly entities: readonly ExposureItem[];
  readonly categories: readonly CategoryExposure[];
  /** Best evidence paths: the transfers from the address to a flagged entity (or back). */
  readonly paths: ReadonlyArray<{
    readonly entityId: string;
    readonly category: string;
    readonly hops: number;
    readonly share: number;
    readonly transfers: readonly PathTransfer[];
  }>;
}

/** The full answer. */
export interface ExposureReport {
  readonly address: string;
  readonly method: ExposureMethod;
  readonly hops: number;
  /** The address's own attribution, if it is itself flagged. */
  readonly self?: { readonly entityId: string; readonly entityName: string; readonly category: string };
  readonly directions: readonly DirectionalExposure[];
  /** Label of every list version and attribution set the answer used. */
  readonly basis: readonly string[];
  /** Transfers in the graph when the answer was computed. */
  readonly graphTransfers: number;
}
