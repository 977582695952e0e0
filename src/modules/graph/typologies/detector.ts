/**
 * The shape every detector shares: it reads the flow index and the config, and returns candidates
 * (transfer indexes and node ids, not yet strings), which `detectTypologies` dedupes, arbitrates
 * between typologies and turns into alerts.
 */
import type { TypologyConfig } from './config.js';
import type { FlowIndex } from './flow-index.js';
import type { AlertMetrics, Typology } from './model.js';

/** What a detector gets. */
export interface DetectorContext {
  readonly ix: FlowIndex;
  readonly config: TypologyConfig;
  /** Displayed name of a node, for explanations. */
  readonly name: (node: number) => string;
}

/** A pattern found by one detector, before arbitration. */
export interface Candidate {
  readonly typology: Typology;
  /** Node id of the subject. */
  readonly subject: number;
  readonly asset: number;
  /** Transfer indexes (any order; duplicates allowed). */
  readonly transfers: readonly number[];
  /** Strength in [0, 1]; the alert's score is derived from it. */
  readonly strength: number;
  readonly explanation: string;
  /** Node ids that matter besides the subject. */
  readonly counterparties?: readonly number[];
  readonly metrics: AlertMetrics;
}

/** A detector: pure, deterministic, O(transfers) or close to it on chain-like data. */
export type Detector = (ctx: DetectorContext) => Candidate[];
