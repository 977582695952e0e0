import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  createClusterer,
  createGraphService,
  type FlagSource,
  type GraphService,
  type NodeFlag,
  openSegmentStore,
  parseTransferLine,
  restoreClusterer,
  type Transfer,
} from '../modules/graph/index.js';
import { createActiveListReader } from '../modules/lists/index.js';
import { type AddressIndex, buildAddressIndex } from '../modules/screening/index.js';
import { type Config, graphDirOf } from '../platform/config.js';
import type { Store } from '../platform/db/store.js';
import type { Logger } from '../platform/logger.js';

/** Where flags come from at this moment: the current address index and the versions behind it. */
export interface FlagView {
  index: AddressIndex;
  versions: Record<string, string>;
}

/**
 * Flags for the graph from the screening address index (list addresses and attributions): one
 * index, so exposure and screening never disagree. `view` is read on every call, so a rebuilt index
 * is used as soon as it is swapped in. With a graph whose clustering is on, an address that is not
 * flagged itself inherits its cluster's attributions (source `cluster:<source>`), cached per
 * cluster until clusters or the index change.
 */
export function flagSourceOf(
  view: () => FlagView,
  graph: () => GraphService | undefined = () => undefined,
): FlagSource {
  const cache = new WeakMap<object, NodeFlag[]>();
  let clusterCache = new Map<number, NodeFlag[] | null>();
  let cacheKey = '';
  return {
    flagsOf(key) {
      const v = view();
      const hits = v.index.lookupKey(key);
      if (hits !== undefined && hits.length > 0) {
        let flags = cache.get(hits);
        if (flags === undefined) {
          flags = hits.map((h) => ({
            entityId: h.entityId,
            entityName: h.entityName,
            category: h.category,
            source: h.source,
          }));
          cache.set(hits, flags);
        }
        return flags;
      }
      const g = graph();
      const clusterer = g?.clusterer;
      if (g === undefined || clusterer === undefined) return undefined;
      const { root, size } = clusterer.rootOf(key);
      if (root < 0 || size < 2) return undefined;
      const k = `${g.clusterVersion}|${Object.values(v.versions).join(',')}`;
      if (k !== cacheKey) {
        clusterCache = new Map();
        cacheKey = k;
      }
      let flags = clusterCache.get(root);
      if (flags === undefined) {
        const inherited = clusterer.clusterOf(key).attributions;
        flags =
          inherited.length === 0
            ? null
            : inherited.map((a) => ({
                entityId: a.entityId,
                entityName: a.entityName,
                category: a.category,
                source: `cluster:${a.source}`,
              }));
        clusterCache.set(root, flags);
      }
      return flags ?? undefined;
    },
    basis: () => Object.values(view().versions).sort(),
  };
}

/** Opens the graph folder of this configuration, with clustering over the same flags, and loads it. */
export async function openGraph(config: Config, view: () => FlagView): Promise<GraphService> {
  let graph: GraphService | undefined;
  const attributions = (key: string) => view().index.lookupKey(key);
  graph = createGraphService({
    segments: await openSegmentStore(graphDirOf(config)),
    flags: flagSourceOf(view, () => graph),
    clustering: (log) =>
      log === undefined ? createClusterer({ attributions }) : restoreClusterer(log, { attributions }),
  });
  await graph.load();
  return graph;
}

/** The flag view of the store's active lists, for commands that need no name index. */
export async function activeFlagView(store: Store): Promise<FlagView> {
  const reader = createActiveListReader(store.db);
  const [versions, rows] = await Promise.all([reader.activeLabels(), reader.addresses()]);
  const wanted = new Set(rows.map((r) => r.entityId));
  const names = new Map<string, string>();
  for await (const { entity } of reader.entities()) {
    if (wanted.has(entity.id))
      names.set(
        entity.id,
        (entity.names.find((n) => n.kind === 'primary') ?? entity.names[0])?.value ?? entity.id,
      );
  }
  return { index: buildAddressIndex(rows, (id) => names.get(id)), versions };
}

/**
 * Background upkeep of a serving graph: compaction of the append buffer, the flag index after a
 * change of flags, and merging of small segments.
 */
export function scheduleGraphUpkeep(graph: GraphService, logger: Logger, intervalMs = 5_000): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      if (graph.stats().bufferedTransfers > 0) graph.compact();
      else graph.refreshFlagIndex();
      await graph.saveClusters();
      const merged = await graph.mergeSmallSegments();
      if (merged > 0) logger.info({ merged }, 'graph segments merged');
    } catch (err) {
      logger.warn({ err }, 'graph upkeep failed; it will be tried again');
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Demo mode: the made-up transfers of demo/transfers.jsonl, once, so exposure has a story to tell. */
export async function seedDemoTransfers(graph: GraphService, logger: Logger): Promise<void> {
  if (graph.stats().transfers > 0) return;
  const text = await readFile(fileURLToPath(new URL('../../demo/transfers.jsonl', import.meta.url)), 'utf8');
  const transfers: Transfer[] = [];
  text.split('\n').forEach((line, i) => {
    const r = parseTransferLine(line, i + 1);
    if (!r.ok) throw new Error(`demo/transfers.jsonl: ${r.message}`);
    if (r.kind === 'transfer') transfers.push(r.transfer);
  });
  const { added } = await graph.ingest(transfers);
  logger.info({ added }, 'demo mode: loaded demo transfers');
}
