import { fileURLToPath } from 'node:url';
import {
  createListRepository,
  createListService,
  createListUpdater,
  DEFAULT_LIST_SOURCES,
  detectFormat,
  ensureBuiltinLists,
  type ListService,
  type ListUpdater,
} from '../modules/lists/index.js';
import { systemClock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import type { Store } from '../platform/db/store.js';
import { localFile } from '../platform/files.js';
import type { Logger } from '../platform/logger.js';
import { newId } from '../shared/ids.js';

/** The lists capability wired on a store: service, updater and the jobs around them. */
export interface ListsWiring {
  service: ListService;
  updater: ListUpdater;
  ensureBuiltins(): ReturnType<typeof ensureBuiltinLists>;
  /** Demo data: a small attribution file of our own making (no real list is shipped). */
  seedDemo(logger: Logger): Promise<void>;
  /** Starts the periodic `lists update`; returns the function that stops it. */
  scheduleRefresh(minutes: number, logger: Logger): () => void;
}

/** Builds the lists service and its updater from the configuration. */
export function createListsWiring(store: Store, config: Config): ListsWiring {
  const service = createListService({
    store: createListRepository(store),
    clock: systemClock,
    newId: (prefix) => newId(prefix, systemClock.nowMs()),
  });
  const updater = createListUpdater({
    lists: service,
    sources: config.listSources ?? DEFAULT_LIST_SOURCES,
    maxFileBytes: config.listMaxFileBytes,
    timeoutMs: config.listDownloadTimeoutMs,
    importedBy: 'update',
  });
  return {
    service,
    updater,
    async ensureBuiltins() {
      // An import killed mid-way leaves staged rows behind; they are invisible, but take space.
      await service.discardInterruptedImports(60 * 60_000);
      return ensureBuiltinLists(service, config.listMaxFileBytes);
    },
    async seedDemo(logger) {
      const file = localFile(fileURLToPath(new URL('../../demo/attributions.csv', import.meta.url)));
      const result = await service.importFiles({
        format: await detectFormat([file]),
        source: 'demo-attributions',
        files: [file],
        importedBy: 'demo',
        maxFileBytes: config.listMaxFileBytes,
      });
      if (result.status !== 'unchanged')
        logger.info({ version: result.version.id }, 'demo mode: loaded demo attributions');
    },
    scheduleRefresh(minutes, logger) {
      if (minutes <= 0) return () => {};
      let running = false;
      const timer = setInterval(async () => {
        if (running) return;
        running = true;
        try {
          for (const outcome of await updater.update()) {
            if (outcome.ok)
              logger.info(
                { source: outcome.source, status: outcome.result.status, version: outcome.result.version.id },
                'list refreshed',
              );
            else
              logger.warn(
                { source: outcome.source, error: outcome.error },
                'list refresh failed; active version kept',
              );
          }
        } catch (err) {
          logger.warn({ err }, 'list refresh failed');
        } finally {
          running = false;
        }
      }, minutes * 60_000);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
