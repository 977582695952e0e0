import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { createActiveListReader } from '../modules/lists/index.js';
import {
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
