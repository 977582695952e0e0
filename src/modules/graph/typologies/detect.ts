/**
 * The entry point of typology detection: builds the flow index once, runs every enabled detector,
 * and arbitrates. Within one typology, episodes of one subject whose windows overlap are one
 * alert. Between typologies, composite patterns explain their parts: the sink of a scatter-gather
 * is also a fan-in, every hop of a cycle or a peel chain is also a pass-through. Detectors run in
 * `TYPOLOGIES` order (composites first) and a later alert is dropped when at least half of its
 * transfers already belong to an earlier one.
 */
import type { Transfer } from '../transfer.js';
import { DEFAULT_TYPOLOGY_CONFIG, type TypologyConfig } from './config.js';
import { detectCycles } from './cycle.js';
import type { Candidate, Detector, DetectorContext } from './detector.js';
import { detectFanIn, detectFanOut } from './fan.js';
import { buildFlowIndex, type FlowIndex } from './flow-index.js';
import { detectGatherScatter } from './gather-scatter.js';
import type { Typology, TypologyAlert } from './model.js';
import { detectPassThrough } from './pass-through.js';
import { detectPeelChains } from './peel-chain.js';
import { detectScatterGather } from './scatter-gather.js';
import { scoreOf } from './stats.js';
import { detectStructuring } from './structuring.js';

const DETECTORS: Record<Typology, Detector> = {
  cycle: detectCycles,
  'scatter-gather': detectScatterGather,
  'gather-scatter': detectGatherScatter,
  'peel-chain': detectPeelChains,
  structuring: detectStructuring,
  'fan-in': detectFanIn,
  'fan-out': detectFanOut,
  'rapid-pass-through': detectPassThrough,
};

/** Share of an alert's transfers already explained by an earlier typology that drops it. */
export const EXPLAINED_SHARE = 0.5;

/** How alerts name their subjects. */
export interface DetectOptions {
  /**
   * Displayed name of a match key; by default the address part (`tron:TXyz` → `TXyz`). The CLI
   * passes the spelling the input used.
   */
  readonly display?: (key: string) => string;
}

/**
 * Every typology alert in a set of transfers, sorted by window start, then subject. Pure and
 * deterministic: the same transfers and config give the same alerts.
 *
 * @example detectTypologies(transfers, parseTypologyConfig({ fanIn: { minCounterparties: 8 } }))
 */
export function detectTypologies(
  transfers: readonly Transfer[],
  config: TypologyConfig = DEFAULT_TYPOLOGY_CONFIG,
  options: DetectOptions = {},
): TypologyAlert[] {
  const ix = buildFlowIndex(transfers, config.services);
  const display = options.display ?? defaultDisplay;
  const names = new Map<number, string>();
  const name = (node: number): string => {
    let s = names.get(node);
    if (s === undefined) {
      s = display(ix.keys[node] as string);
      names.set(node, s);
    }
    return s;
  };
  const ctx: DetectorContext = { ix, config, name };
  const claimed = new Uint8Array(transfers.length);
  const accepted: Candidate[] = [];
  for (const typology of config.typologies) {
    const merged = mergeOverlapping(ix, DETECTORS[typology](ctx));
    merged.sort((a, b) => b.strength - a.strength || first(ix, a) - first(ix, b));
    for (const cand of merged) {
      const unique = [...new Set(cand.transfers)];
      let explained = 0;
      for (const t of unique) explained += claimed[t] as number;
      if (explained >= EXPLAINED_SHARE * unique.length) continue;
      for (const t of unique) claimed[t] = 1;
      accepted.push({ ...cand, transfers: unique });
    }
  }
  return accepted
    .map((c) => toAlert(ix, c, name))
    .filter((a) => a.score >= config.minScore)
    .sort(
      (a, b) =>
        a.windowStart - b.windowStart ||
        (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0) ||
        (a.typology < b.typology ? -1 : a.typology > b.typology ? 1 : 0),
    );
}

function defaultDisplay(key: string): string {
  const i = key.indexOf(':');
  return i < 0 ? key : key.slice(i + 1);
}

function first(ix: FlowIndex, c: Candidate): number {
  let t = Number.POSITIVE_INFINITY;
  for (const i of c.transfers) t = Math.min(t, ix.ts[i] as number);
  return t;
}

/** One candidate per subject and typology for overlapping windows: the strongest leads. */
function mergeOverlapping(ix: FlowIndex, candidates: Candidate[]): Candidate[] {
  const spans = candidates.map((c) => {
    let start = Number.POSITIVE_INFINITY;
    let end = Number.NEGATIVE_INFINITY;
    for (const t of c.transfers) {
      start = Math.min(start, ix.ts[t] as number);
      end = Math.max(end, ix.ts[t] as number);
    }
    return { c, start, end };
  });
  spans.sort((a, b) => a.c.subject - b.c.subject || a.start - b.start);
  const out: Candidate[] = [];
  let group: typeof spans = [];
  let groupEnd = Number.NEGATIVE_INFINITY;
  const flush = () => {
    if (group.length === 0) return;
    if (group.length === 1) out.push((group[0] as (typeof spans)[number]).c);
    else {
      const lead = group.reduce((x, y) => (y.c.strength > x.c.strength ? y : x)).c;
      out.push({
        ...lead,
        transfers: [...new Set(group.flatMap((g) => g.c.transfers))],
        explanation: `${lead.explanation} (+${group.length - 1} overlapping episode${group.length > 2 ? 's' : ''})`,
        metrics: { ...lead.metrics, episodes: group.length },
      });
    }
    group = [];
  };
  for (const s of spans) {
    const last = group[group.length - 1];
    if (last !== undefined && (last.c.subject !== s.c.subject || s.start > groupEnd)) flush();
    if (group.length === 0) groupEnd = s.end;
    else groupEnd = Math.max(groupEnd, s.end);
    group.push(s);
  }
  flush();
  return out;
}

function toAlert(ix: FlowIndex, c: Candidate, name: (node: number) => string): TypologyAlert {
  const ordered = [...c.transfers].sort((a, b) => (ix.ts[a] as number) - (ix.ts[b] as number) || a - b);
  const asset = ix.assets[c.asset];
  const alert: TypologyAlert = {
    subject: name(c.subject),
    typology: c.typology,
    score: scoreOf(c.strength),
    transfers: ordered.map((t) => (ix.transfers[t] as Transfer).id),
    explanation: c.explanation,
    chain: asset?.chain ?? '',
    asset: asset?.symbol ?? '',
    windowStart: ix.ts[ordered[0] as number] as number,
    windowEnd: ix.ts[ordered[ordered.length - 1] as number] as number,
    metrics: c.metrics,
  };
  return c.counterparties ? { ...alert, counterparties: c.counterparties.map(name) } : alert;
}
