import type { AddressInfo } from 'node:net';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Histogram } from 'prom-client';
import {
  cachingCustomerStore,
  createCustomerService,
  createCustomersRepository,
  createDecisionService,
  createDecisionState,
  createDecisionsRepository,
  createLookbackRepository,
  createLookbackService,
  createPoliciesRepository,
  createPolicyService,
  customersRoutes,
  DEFAULT_DECISION_SETTINGS,
  DEFAULT_LEGAL_ENTITIES,
  DEFAULT_RISK_SETTINGS,
  decisionsRoutes,
  ensureBuiltinPacks,
  lookbackRoutes,
  ONE_CONNECTION_LOOKBACK_SETTINGS,
  policiesRoutes,
} from '../modules/decisions/index.js';
import { clusterRoutes, graphRoutes } from '../modules/graph/index.js';
import { apiKeyRoutes, createApiKeyRepository, createApiKeyService } from '../modules/identity/index.js';
import { listsRoutes } from '../modules/lists/index.js';
import { screeningRoutes } from '../modules/screening/index.js';
import { systemClock } from '../platform/clock.js';
import { type Config, graphDirOf } from '../platform/config.js';
import { openStore, type Store } from '../platform/db/store.js';
import { type App, buildApp } from '../platform/http/app.js';
import type { Logger } from '../platform/logger.js';
import { createMetrics } from '../platform/metrics.js';
import { VERSION } from '../platform/version.js';
import { newId } from '../shared/ids.js';
import { type FlagView, openGraph, scheduleGraphUpkeep, seedDemoTransfers } from './graph-wiring.js';
import { createLookbackNameFilter, createScreeningWiring, watchLists } from './screening-wiring.js';
import { createListsWiring } from './wiring.js';

/** A running server and how to stop it. */
export interface RunningServer {
  app: App;
  store: Store;
  url: string;
  /** Graceful stop: refuse new connections, drain in-flight requests, close the store. */
  close(): Promise<void>;
}

/**
 * Wires cordon's HTTP server from its configuration: opens (and migrates) the store, builds the
 * services and routes, and listens.
 */
export async function startServer(
  config: Config,
  logger: Logger,
  options: { demo?: boolean } = {},
): Promise<RunningServer> {
  const store = await openStore(config.store);
  try {
    const keys = createApiKeyService({
      store: createApiKeyRepository(store.db),
      clock: systemClock,
      cacheTtlMs: config.apiKeyCacheTtlMs,
    });
    if (options.demo) await seedDemo(keys, logger);
    const lists = createListsWiring(store, config);
    const builtin = await lists.ensureBuiltins();
    if (builtin.status !== 'unchanged')
      logger.info({ version: builtin.version.id }, 'loaded the built-in Huione Group designations');
    if (options.demo) await lists.seedDemo(logger);
    const screening = createScreeningWiring(store, config);
    const { snapshot } = await screening.refresh(true);
    logger.info(
      {
        entities: snapshot.names.entityCount,
        names: snapshot.names.nameCount,
        addresses: snapshot.addresses.size,
        buildMs: Math.round(snapshot.buildMs),
      },
      'screening indexes built',
    );

    let flagView: FlagView = { index: snapshot.addresses, versions: snapshot.versions };
    const graph = await openGraph(config, () => flagView);
    if (options.demo) await seedDemoTransfers(graph, logger);
    logger.info({ ...graph.stats(), dir: graphDirOf(config) }, 'transfer graph loaded');

    const ids = (prefix: string) => newId(prefix, systemClock.nowMs());
    const policies = createPolicyService({ store: createPoliciesRepository(store.db), clock: systemClock });
    const seeded = await ensureBuiltinPacks(policies);
    if (seeded.published.length + seeded.drafted.length > 0) logger.info(seeded, 'policy packs seeded');
    const memoryState = config.decisionState === 'memory';
    const customerCache = memoryState
      ? cachingCustomerStore(createCustomersRepository(store.db), {
          ttlMs: config.customerCacheTtlMs,
          now: () => systemClock.nowMs(),
          random: Math.random,
        })
      : undefined;
    const customerStore = customerCache ?? createCustomersRepository(store.db);
    const metrics = createMetrics();
    const batchSize = new Histogram({
      name: 'cordon_decision_batch_size',
      help: 'Decisions per group-commit batch written in one statement',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: [metrics.registry],
    });
    const batchWrite = new Histogram({
      name: 'cordon_decision_batch_write_seconds',
      help: 'Time to write one group-commit batch, from sending the statement to its answer',
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5],
      registers: [metrics.registry],
    });
    const decisionsRepository = createDecisionsRepository(store.db, {
      maxBatch: config.decisionBatchMax,
      batchTargetMs: config.decisionBatchTargetMs,
      inFlight: store.kind === 'pglite' ? 2 : 1,
      onBatchWritten: (b) => {
        batchSize.observe(b.size);
        batchWrite.observe(b.writeMs / 1000);
        logger.debug(b, 'decision batch written');
      },
    });
    const decisionState = memoryState
      ? createDecisionState(decisionsRepository, decisionsRepository, {
          riskCommitted: (id, risk) => customerCache?.riskCommitted(id, risk),
        })
      : undefined;
    // Until the decided client ids are in, every decision reads the store for its idempotency check.
    decisionState
      ?.load()
      .then((n) => logger.info({ clientIds: n }, 'decision state loaded'))
      .catch((err: unknown) => logger.error({ err }, 'decision state failed to load; reading the store'));
    const customers = createCustomerService({
      store: customerStore,
      screener: screening,
      clock: systemClock,
      newId: ids,
      legalEntities: config.legalEntities ?? DEFAULT_LEGAL_ENTITIES,
      riskSettings: DEFAULT_RISK_SETTINGS,
    });
    const decisions = createDecisionService({
      store: decisionState?.store ?? decisionsRepository,
      customers,
      screening,
      exposure: graph,
      policies,
      clock: systemClock,
      newId: ids,
      riskSettings: DEFAULT_RISK_SETTINGS,
      settings: {
        exposure: {
          hops: config.decisionExposureHops,
          method: config.decisionExposureMethod,
          maxPaths: DEFAULT_DECISION_SETTINGS.exposure.maxPaths,
        },
        dependencyTimeoutMs: config.decisionTimeoutMs,
      },
    });
    const lookback = createLookbackService({
      store: createLookbackRepository(store.db),
      lists: lists.service,
      screening,
      customers,
      names: createLookbackNameFilter(screening),
      clock: systemClock,
      newId: ids,
      yieldNow: () => yieldToLoop(),
      // The embedded store runs one statement at a time: the job leaves it free part of the time.
      ...(store.kind === 'pglite' ? { settings: ONE_CONNECTION_LOOKBACK_SETTINGS } : {}),
    });

    const app = await buildApp({
      logger,
      metrics,
      authenticate: keys.authenticate,
      checks: { store: store.ping },
      bodyLimitBytes: config.bodyLimitBytes,
      version: VERSION,
      routes: [
        apiKeyRoutes(keys),
        listsRoutes(lists.service, { maxFileBytes: config.listMaxFileBytes }),
        screeningRoutes(screening),
        graphRoutes(graph, { now: () => performance.now() }),
        clusterRoutes(graph),
        decisionsRoutes(decisions),
        customersRoutes(customers),
        policiesRoutes(policies),
        lookbackRoutes(lookback),
      ],
    });
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`;
    logger.info({ url, store: store.description, version: VERSION }, 'cordon listening');

    const stopRefresh = lists.scheduleRefresh(config.listRefreshMinutes, logger);
    const stopWatching = watchLists(screening, config.screenRefreshMs, logger, (s) => {
      flagView = { index: s.addresses, versions: s.versions };
    });
    const stopGraphUpkeep = scheduleGraphUpkeep(graph, logger);
    const stopLookback = lookback.start(config.screenRefreshMs, (err) =>
      logger.warn({ err }, 'look-back failed; it resumes at the next poll'),
    );

    let closing: Promise<void> | undefined;
    return {
      app,
      store,
      url,
      close: () => {
        closing ??= (async () => {
          stopRefresh();
          stopWatching();
          stopGraphUpkeep();
          stopLookback();
          await app.close();
          await graph.saveClusters();
          graph.close();
          await store.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}

/** Demo mode: an admin key so a first-time user can call the API at once (only on an empty store). */
async function seedDemo(keys: ReturnType<typeof createApiKeyService>, logger: Logger): Promise<void> {
  const existing = await keys.list();
  if (existing.length > 0) return;
  const { key, token } = await keys.create({ name: 'demo admin', role: 'admin', createdBy: 'demo' });
  logger.warn({ keyId: key.id }, 'demo mode: created an admin API key');
  process.stderr.write(`\n  demo admin API key (shown once): ${token}\n\n`);
}
