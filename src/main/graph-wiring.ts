import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  createGraphService,
  type FlagSource,
  type GraphService,
  type NodeFlag,
  openSegmentStore,
  parseTransferLine,
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
 * index, so exposure and screening never disagree about what is flagged. `view` is read on every
 * call, so a rebuilt index is used as soon as it is swapped in.
 */
export function flagSourceOf(view: () => FlagView): FlagSource {
  const cache = new WeakMap<object, NodeFlag[]>();
  return {
    flagsOf(key) {
      const hits = view().index.lookupKey(key);
      if (hits === undefined || hits.length === 0) return undefined;
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
    },
    basis: () => Object.values(view().versions).sort(),
  };
}

/** Opens the graph folder of this configuration and loads it. */
export async function openGraph(config: Config, flags: FlagSource): Promise<GraphService> {
  const graph = createGraphService({ segments: await openSegmentStore(graphDirOf(config)), flags });
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

/** Background upkeep of a serving graph: compaction of the append buffer and merging of small segments. */
export function scheduleGraphUpkeep(graph: GraphService, logger: Logger, intervalMs = 5_000): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      if (graph.stats().bufferedTransfers > 0) graph.compact();
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
