import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { LookbackNameFilter } from '../modules/decisions/index.js';
import { createActiveListReader } from '../modules/lists/index.js';
import {
  buildNameIndex,
  createScreeningService,
  DEFAULT_SCREENING_SETTINGS,
  type ScreeningService,
  type ScreeningSnapshot,
} from '../modules/screening/index.js';
import type { Config } from '../platform/config.js';
import type { Store } from '../platform/db/store.js';
import type { Logger } from '../platform/logger.js';

/** The screening service over the store's active lists, with the thresholds from configuration. */
export function createScreeningWiring(store: Store, config: Config): ScreeningService {
  return createScreeningService({
    source: createActiveListReader(store.db),
    settings: {
      threshold: config.screenThreshold ?? DEFAULT_SCREENING_SETTINGS.threshold,
      reviewThreshold: config.screenReviewThreshold ?? DEFAULT_SCREENING_SETTINGS.reviewThreshold,
    },
    yieldNow: () => yieldToLoop(),
    now: () => performance.now(),
  });
}

/**
 * Look-back's name filter: an index of only the entities a list change added or changed, taken from
 * the active screening snapshot. A name scores the same against it as against the full index, and
 * with fewer competitors it loses no candidate, so a customer it passes over cannot match (or go to
 * review with) a changed entity; the few it names are then screened in full.
 */
export function createLookbackNameFilter(screening: ScreeningService): LookbackNameFilter {
  return {
    async against(entityIds) {
      const snapshot = await screening.snapshot();
      const index = buildNameIndex(entityIds.flatMap((id) => snapshot.names.entity(id) ?? []));
      const minScore = screening.settings.reviewThreshold;
      return (queries) => queries.some((q) => index.search(q, { limit: 1, minScore }).length > 0);
    },
  };
}

/** Checks for a change of the active lists every `intervalMs` and rebuilds; returns the stop function. */
export function watchLists(
  screening: ScreeningService,
  intervalMs: number,
  logger: Logger,
  onRebuilt: (snapshot: ScreeningSnapshot) => void = () => {},
): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const { rebuilt, snapshot } = await screening.refresh();
      if (rebuilt) {
        onRebuilt(snapshot);
        logger.info(
          {
            versions: snapshot.versions,
            entities: snapshot.names.entityCount,
            names: snapshot.names.nameCount,
            addresses: snapshot.addresses.size,
            buildMs: Math.round(snapshot.buildMs),
          },
          'screening indexes rebuilt',
        );
      }
    } catch (err) {
      logger.warn({ err }, 'screening index refresh failed; the previous indexes stay in use');
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
