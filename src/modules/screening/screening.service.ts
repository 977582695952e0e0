import type { ValidAddress } from '../chains/index.js';
import type { ActiveAddressRow, ListEntity } from '../lists/index.js';
import { type AddressIndex, type AddressScreening, buildAddressIndex } from './address-index.js';
import { createNameIndexBuilder, type EntityMatch, type NameIndex, type NameQuery } from './name-index.js';
import {
  compareNames,
  DEFAULT_THRESHOLD,
  type NameComparison,
  type NameKind,
  prepareName,
  REVIEW_THRESHOLD,
} from './names/index.js';

/** Where the screening indexes are built from (the active list versions). */
export interface ScreeningSource {
  activeLabels(): Promise<Record<string, string>>;
  entities(): AsyncIterable<{ entity: ListEntity; versionId: string }>;
  addresses(): Promise<ActiveAddressRow[]>;
}

/** The indexes of one set of active versions; replaced whole, never edited. */
export interface ScreeningSnapshot {
  versions: Record<string, string>;
  names: NameIndex;
  addresses: AddressIndex;
  buildMs: number;
}

/** Thresholds from configuration. */
export interface ScreeningSettings {
  /** A score at or above it is a match. */
  threshold: number;
  /** Scores from here up to the threshold are returned for review. */
  reviewThreshold: number;
}

/** A name screening result: matches at or above the review threshold, best first. */
export interface NameScreening {
  query: NameQuery;
  matches: (EntityMatch & { decision: 'match' | 'review' })[];
}

/** Screens names and addresses against the active lists, from in-memory indexes. */
export interface ScreeningService {
  /** Rebuilds the indexes if the active versions changed (or `force`), then swaps them in at once. */
  refresh(force?: boolean): Promise<{ rebuilt: boolean; snapshot: ScreeningSnapshot }>;
  snapshot(): Promise<ScreeningSnapshot>;
  screenNames(
    queries: NameQuery[],
    options?: { limit?: number },
  ): Promise<{ versions: Record<string, string>; results: NameScreening[] }>;
  /** `checked`: what `normalizeAddress(address, chain)` returned, when the caller has it (see `AddressIndex.screen`). */
  screenAddresses(
    inputs: { address: string; chain?: string; checked?: ValidAddress }[],
  ): Promise<{ versions: Record<string, string>; results: AddressScreening[] }>;
  /** Two names against each other, explained. */
  match(
    a: string,
    b: string,
    kind?: NameKind,
  ): { score: number; match: boolean; review: boolean; comparison: NameComparison };
  readonly settings: ScreeningSettings;
}

/** Built-in defaults for the thresholds. */
export const DEFAULT_SCREENING_SETTINGS: ScreeningSettings = {
  threshold: DEFAULT_THRESHOLD,
  reviewThreshold: REVIEW_THRESHOLD,
};

/**
 * Builds the screening service. Indexes are built off the request path (in slices that yield to
 * the event loop via `yieldNow`) and swapped in with one assignment: a query sees the old indexes or
 * the new ones, never a mix.
 */
export function createScreeningService(deps: {
  source: ScreeningSource;
  settings: ScreeningSettings;
  yieldNow: () => Promise<void>;
  now: () => number;
}): ScreeningService {
  let current: ScreeningSnapshot | undefined;
  let building: Promise<ScreeningSnapshot> | undefined;

  async function build(versions: Record<string, string>): Promise<ScreeningSnapshot> {
    const t0 = deps.now();
    const builder = createNameIndexBuilder();
    const names = new Map<string, string>();
    let n = 0;
    for await (const e of deps.source.entities()) {
      builder.add(e);
      names.set(
        e.entity.id,
        (e.entity.names.find((x) => x.kind === 'primary') ?? e.entity.names[0])?.value ?? e.entity.id,
      );
      if (++n % 500 === 0) await deps.yieldNow();
    }
    const nameIndex = builder.finish();
    const rows = await deps.source.addresses();
    const addresses = buildAddressIndex(rows, (id) => names.get(id));
    return { versions, names: nameIndex, addresses, buildMs: deps.now() - t0 };
  }

  async function refresh(force = false) {
    const versions = await deps.source.activeLabels();
    if (!force && current && sameVersions(current.versions, versions))
      return { rebuilt: false, snapshot: current };
    if (!building) {
      building = build(versions).finally(() => {
        building = undefined;
      });
    }
    const snapshot = await building;
    current = snapshot;
    return { rebuilt: true, snapshot };
  }

  async function snapshot(): Promise<ScreeningSnapshot> {
    return current ?? (await refresh()).snapshot;
  }

  const settings = deps.settings;
  return {
    settings,
    refresh,
    snapshot,
    async screenNames(queries, options = {}) {
      const s = await snapshot();
      const results = queries.map((query) => {
        const found = s.names.search(query, {
          limit: options.limit ?? 10,
          minScore: settings.reviewThreshold,
        });
        return {
          query,
          matches: found.map((m) => ({
            ...m,
            decision: m.score >= settings.threshold ? ('match' as const) : ('review' as const),
          })),
        };
      });
      return { versions: s.versions, results };
    },
    async screenAddresses(inputs) {
      const s = await snapshot();
      return {
        versions: s.versions,
        results: inputs.map((i) => s.addresses.screen(i.address, i.chain, i.checked)),
      };
    },
    match(a, b, kind) {
      const comparison = compareNames(prepareName(a, kind), prepareName(b, kind));
      return {
        score: comparison.score,
        match: comparison.score >= settings.threshold,
        review: comparison.score >= settings.reviewThreshold,
        comparison,
      };
    },
  };
}

function sameVersions(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}
