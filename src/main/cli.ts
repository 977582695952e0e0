import { Command, CommanderError, Option } from 'commander';
import { type CheckpointStore, createFollowerCheckpointRepository } from '../modules/chains/index.js';
import { analyzeCommand, exposureCommand, type GraphService, graphCommand } from '../modules/graph/index.js';
import { apiKeyCommands, createApiKeyRepository, createApiKeyService } from '../modules/identity/index.js';
import { type ListsCommandDeps, listsCommands } from '../modules/lists/index.js';
import {
  createScreeningService,
  DEFAULT_SCREENING_SETTINGS,
  matchCommand,
  type ScreeningService,
  screenCommand,
} from '../modules/screening/index.js';
import { createOutput, EXIT_CODES, type Output, reportError } from '../platform/cli/output.js';
import { systemClock } from '../platform/clock.js';
import { type Config, type ConfigFlags, graphDirOf, LOG_LEVELS, parseConfig } from '../platform/config.js';
import { openStore } from '../platform/db/store.js';
import { createLogger } from '../platform/logger.js';
import { VERSION } from '../platform/version.js';
import { activeFlagView, openGraph } from './graph-wiring.js';
import { createScreeningWiring } from './screening-wiring.js';
import { startServer } from './server.js';
import { createListsWiring } from './wiring.js';

interface GlobalOptions {
  db?: string;
  json?: boolean;
  logLevel?: string;
}

/**
 * The `cordon` command line. Every command takes the global `--db`, `--json` and `--log-level`;
 * errors print one line and exit with the code for their kind (see README).
 */
export function buildProgram(): Command {
  const program = new Command('cordon')
    .description('Real-time AML screening, exposure and decisions for crypto exchanges')
    .version(VERSION)
    .option(
      '--db <folder|url>',
      'store: embedded folder or postgres:// URL (env CORDON_DB; default ./.cordon)',
    )
    .option('--json', 'print results as JSON')
    .addOption(new Option('--log-level <level>', 'log level (env CORDON_LOG_LEVEL)').choices(LOG_LEVELS))
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  const configFrom = (extra: ConfigFlags = {}): Config => {
    const g = globals();
    return parseConfig({ db: g.db, logLevel: g.logLevel, ...extra }, process.env);
  };

  /** Runs a command body with the key service on an opened store, closing it afterwards. */
  const withKeys = async <T>(
    use: (keys: ReturnType<typeof createApiKeyService>, out: Output) => Promise<T>,
  ) => {
    const config = configFrom();
    const store = await openStore(config.store);
    try {
      const keys = createApiKeyService({
        store: createApiKeyRepository(store.db),
        clock: systemClock,
        cacheTtlMs: 0,
      });
      return await use(keys, createOutput(globals().json === true));
    } finally {
      await store.close();
    }
  };

  program
    .command('serve')
    .description('run the HTTP API, /metrics, /health and /openapi.json')
    .option('--port <port>', 'TCP port (env CORDON_PORT; default 8080)')
    .option('--host <host>', 'address to bind (env CORDON_HOST; default 127.0.0.1)')
    .option('--demo', 'seed demo data (an admin API key, printed once) on an empty store')
    .action(async (opts: { port?: string; host?: string; demo?: boolean }) => {
      const config = configFrom({ port: opts.port, host: opts.host });
      const logger = createLogger(config.logLevel);
      const server = await startServer(config, logger, { demo: opts.demo === true });
      const out = createOutput(globals().json === true);
      out.result(
        { event: 'listening', url: server.url, store: server.store.description },
        (v) => `cordon listening on ${v.url} (store ${v.store})`,
      );
      await waitForShutdown(server.close, config.shutdownTimeoutMs, logger);
    });

  /** Runs a lists command body on an opened store (built-in designations loaded first). */
  const withLists = async <T>(use: (deps: ListsCommandDeps, out: Output) => Promise<T>) => {
    const config = configFrom();
    const store = await openStore(config.store);
    try {
      const lists = createListsWiring(store, config);
      await lists.ensureBuiltins();
      return await use(
        { lists: lists.service, updater: lists.updater, maxFileBytes: config.listMaxFileBytes },
        createOutput(globals().json === true),
      );
    } finally {
      await store.close();
    }
  };

  /** Runs a screening command on the active lists of an opened store. */
  const withScreening = async <T>(use: (screening: ScreeningService, out: Output) => Promise<T>) => {
    const config = configFrom();
    const store = await openStore(config.store);
    try {
      await createListsWiring(store, config).ensureBuiltins();
      return await use(createScreeningWiring(store, config), createOutput(globals().json === true));
    } finally {
      await store.close();
    }
  };

  /** Runs a command with the loaded graph, its flags from the store's active lists. */
  const withGraph = async <T>(use: (graph: GraphService, out: Output) => Promise<T>) => {
    const config = configFrom();
    const store = await openStore(config.store);
    try {
      await createListsWiring(store, config).ensureBuiltins();
      const view = await activeFlagView(store);
      const graph = await openGraph(config, () => view);
      try {
        return await use(graph, createOutput(globals().json === true));
      } finally {
        await graph.saveClusters();
        graph.close();
      }
    } finally {
      await store.close();
    }
  };

  program.addCommand(apiKeyCommands(withKeys));
  /** `graph follow`: the graph plus the follower checkpoints of the same store. */
  const withFollow = async <T>(
    use: (graph: GraphService, checkpoints: CheckpointStore, out: Output, graphDir: string) => Promise<T>,
  ) => {
    const config = configFrom();
    const store = await openStore(config.store);
    try {
      const view = await activeFlagView(store);
      const graph = await openGraph(config, () => view);
      try {
        return await use(
          graph,
          createFollowerCheckpointRepository(store.db),
          createOutput(globals().json === true),
          graphDirOf(config),
        );
      } finally {
        await graph.saveClusters();
        graph.close();
      }
    } finally {
      await store.close();
    }
  };

  program.addCommand(graphCommand(withGraph, withFollow));
  program.addCommand(exposureCommand(withGraph));
  program.addCommand(screenCommand(withScreening));
  program.addCommand(
    matchCommand(
      () => {
        const config = configFrom();
        // Matching two names needs no store: the service is built over an empty source.
        return createScreeningService({
          source: {
            activeLabels: async () => ({}),
            entities: async function* () {},
            addresses: async () => [],
          },
          settings: {
            threshold: config.screenThreshold ?? DEFAULT_SCREENING_SETTINGS.threshold,
            reviewThreshold: config.screenReviewThreshold ?? DEFAULT_SCREENING_SETTINGS.reviewThreshold,
          },
          yieldNow: async () => {},
          now: () => performance.now(),
        });
      },
      () => createOutput(globals().json === true),
    ),
  );
  program.addCommand(analyzeCommand(() => createOutput(globals().json === true)));
  program.addCommand(listsCommands(withLists));
  return program;
}

/** Resolves once a SIGTERM/SIGINT has been handled: drain, close, or give up after the timeout. */
function waitForShutdown(
  close: () => Promise<void>,
  timeoutMs: number,
  logger: ReturnType<typeof createLogger>,
): Promise<void> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'shutting down: draining requests');
      const timer = setTimeout(() => {
        logger.error({ timeoutMs }, 'shutdown timed out; exiting');
        process.exit(EXIT_CODES.unavailable);
      }, timeoutMs);
      timer.unref();
      close().then(
        () => {
          logger.info('stopped');
          logger.flush?.();
          resolve();
        },
        (err: unknown) => {
          logger.error({ err }, 'error while shutting down');
          process.exitCode = EXIT_CODES.internal;
          resolve();
        },
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

/** Entry point: parses argv, runs the command, sets the exit code. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; usage errors have already printed their one line
      process.exitCode = err.exitCode === 0 ? 0 : EXIT_CODES.invalid;
      return;
    }
    process.exitCode = reportError(err, program.opts<GlobalOptions>().json === true);
  }
}
