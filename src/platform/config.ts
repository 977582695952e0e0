import { resolve } from 'node:path';
import { CordonError } from '../shared/errors.js';

/** Log levels accepted by `--log-level` / `CORDON_LOG_LEVEL`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where the store lives: the embedded PGlite folder or a PostgreSQL URL. */
export type StoreLocation = { kind: 'pglite'; dir: string } | { kind: 'postgres'; url: string };

/** The whole configuration of a cordon process, parsed and validated once at start-up. */
export interface Config {
  store: StoreLocation;
  host: string;
  port: number;
  logLevel: LogLevel;
  /** Largest accepted HTTP request body. */
  bodyLimitBytes: number;
  /** How long a graceful shutdown may drain in-flight requests before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** How long a verified API key stays cached in memory (revocations take at most this long elsewhere). */
  apiKeyCacheTtlMs: number;
  /** Largest list file accepted by an import or download. */
  listMaxFileBytes: number;
  /** How often `cordon serve` downloads the official lists; 0 turns the schedule off. */
  listRefreshMinutes: number;
  /** Download timeout for one list file. */
  listDownloadTimeoutMs: number;
  /** Name screening: a score at or above this is a match (null: the matcher's default). */
  screenThreshold: number | null;
  /** Name screening: the lower end of the review band (null: the matcher's default). */
  screenReviewThreshold: number | null;
  /** How often a server checks whether the active lists changed, to rebuild its indexes. */
  screenRefreshMs: number;
  /** Folder of the transfer graph's segments: null for `<store folder>/graph` (or ./.cordon-graph on PostgreSQL). */
  graphDir: string | null;
  /**
   * Where the decision path reads idempotency, customers and time-window aggregates: `memory` (kept
   * in the process, filled from the store) or `store` (read from the store on every decision).
   */
  decisionState: 'memory' | 'store';
  /** How long the decision path keeps a customer it read (with `decisionState` memory). */
  customerCacheTtlMs: number;
  /** The exchange's legal entities and the jurisdiction each answers to (null: the built-in three). */
  legalEntities: Record<string, string> | null;
  /** Hops of the exposure computed for each decision. */
  decisionExposureHops: number;
  /** Attribution method of the exposure computed for each decision. */
  decisionExposureMethod: 'haircut' | 'poison';
  /** How long screening, exposure, aggregates or policies may take before a decision is held without them. */
  decisionTimeoutMs: number;
  /** Most decisions committed in one group-commit batch (one statement, one transaction). */
  decisionBatchMax: number;
  /** How long one group-commit batch should take to write: its size follows (0: only `decisionBatchMax`). */
  decisionBatchTargetMs: number;
  /** Download sources overriding the publishers' URLs: null for the defaults. */
  listSources: { source: string; format: string; urls: string[] }[] | null;
}

/** Raw values as given on the command line (commander's camelCase names); all optional. */
export type ConfigFlags = Partial<Record<keyof typeof SETTINGS, string | number | undefined>>;

interface Setting<T> {
  env: string;
  flag: string;
  default: string;
  parse(raw: string): T;
}

function integer(min: number, max: number) {
  return (raw: string): number => {
    if (!/^\d+$/.test(raw.trim())) throw new Error(`expected an integer between ${min} and ${max}`);
    const n = Number(raw);
    if (n < min || n > max) throw new Error(`expected an integer between ${min} and ${max}`);
    return n;
  };
}

function either<A extends string, B extends string>(a: A, b: B) {
  return (raw: string): A | B => {
    const v = raw.trim();
    if (v !== a && v !== b) throw new Error(`expected ${a} or ${b}`);
    return v as A | B;
  };
}

function optionalScore(raw: string): number | null {
  if (raw.trim() === '') return null;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > 1) throw new Error('expected a score between 0 and 1');
  return n;
}

/** Every setting with its flag, environment variable and default: the single source of truth. */
const SETTINGS = {
  db: {
    env: 'CORDON_DB',
    flag: '--db',
    default: './.cordon',
    parse(raw: string): StoreLocation {
      const value = raw.trim();
      if (value === '') throw new Error('expected a folder or a postgres:// URL');
      if (/^postgres(ql)?:\/\//i.test(value)) {
        try {
          new URL(value);
        } catch {
          throw new Error('not a valid postgres:// URL');
        }
        return { kind: 'postgres', url: value };
      }
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value))
        throw new Error('only folders and postgres:// URLs are supported');
      return { kind: 'pglite', dir: resolve(value) };
    },
  },
  host: {
    env: 'CORDON_HOST',
    flag: '--host',
    default: '127.0.0.1',
    parse(raw: string): string {
      const value = raw.trim();
      if (!/^[A-Za-z0-9.:[\]-]+$/.test(value)) throw new Error('expected a host name or IP address');
      return value;
    },
  },
  port: { env: 'CORDON_PORT', flag: '--port', default: '8080', parse: integer(0, 65535) },
  logLevel: {
    env: 'CORDON_LOG_LEVEL',
    flag: '--log-level',
    default: 'info',
    parse(raw: string): LogLevel {
      const value = raw.trim().toLowerCase();
      if (!(LOG_LEVELS as readonly string[]).includes(value))
        throw new Error(`expected one of ${LOG_LEVELS.join(', ')}`);
      return value as LogLevel;
    },
  },
  bodyLimitBytes: {
    env: 'CORDON_BODY_LIMIT_BYTES',
    flag: '--body-limit-bytes',
    default: String(4 * 1024 * 1024),
    parse: integer(1024, 1024 * 1024 * 1024),
  },
  shutdownTimeoutMs: {
    env: 'CORDON_SHUTDOWN_TIMEOUT_MS',
    flag: '--shutdown-timeout-ms',
    default: '10000',
    parse: integer(0, 600_000),
  },
  apiKeyCacheTtlMs: {
    env: 'CORDON_API_KEY_CACHE_TTL_MS',
    flag: '--api-key-cache-ttl-ms',
    default: '30000',
    parse: integer(0, 3_600_000),
  },
  listMaxFileBytes: {
    env: 'CORDON_LIST_MAX_FILE_BYTES',
    flag: '--list-max-file-bytes',
    default: String(512 * 1024 * 1024),
    parse: integer(1, 8 * 1024 * 1024 * 1024),
  },
  listRefreshMinutes: {
    env: 'CORDON_LIST_REFRESH_MINUTES',
    flag: '--list-refresh-minutes',
    default: '360',
    parse: integer(0, 10_080),
  },
  listDownloadTimeoutMs: {
    env: 'CORDON_LIST_DOWNLOAD_TIMEOUT_MS',
    flag: '--list-download-timeout-ms',
    default: '120000',
    parse: integer(100, 3_600_000),
  },
  screenThreshold: {
    env: 'CORDON_SCREEN_THRESHOLD',
    flag: '--screen-threshold',
    default: '',
    parse: optionalScore,
  },
  screenReviewThreshold: {
    env: 'CORDON_SCREEN_REVIEW_THRESHOLD',
    flag: '--screen-review-threshold',
    default: '',
    parse: optionalScore,
  },
  screenRefreshMs: {
    env: 'CORDON_SCREEN_REFRESH_MS',
    flag: '--screen-refresh-ms',
    default: '5000',
    parse: integer(100, 3_600_000),
  },
  graphDir: {
    env: 'CORDON_GRAPH_DIR',
    flag: '--graph-dir',
    default: '',
    parse: (raw: string): string | null => (raw.trim() === '' ? null : resolve(raw.trim())),
  },
  decisionState: {
    env: 'CORDON_DECISION_STATE',
    flag: '--decision-state',
    default: 'memory',
    parse: either('memory', 'store'),
  },
  customerCacheTtlMs: {
    env: 'CORDON_CUSTOMER_CACHE_TTL_MS',
    flag: '--customer-cache-ttl-ms',
    default: '10000',
    parse: integer(0, 3_600_000),
  },
  legalEntities: {
    env: 'CORDON_LEGAL_ENTITIES',
    flag: '--legal-entities',
    default: '',
    parse(raw: string): Record<string, string> | null {
      if (raw.trim() === '') return null;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        throw new Error('expected a JSON object of legal entity → jurisdiction, e.g. {"acme-us":"US"}');
      }
      if (
        typeof value !== 'object' ||
        value === null ||
        Array.isArray(value) ||
        Object.keys(value).length === 0
      )
        throw new Error(
          'expected a non-empty JSON object of legal entity → jurisdiction, e.g. {"acme-us":"US"}',
        );
      for (const [entity, j] of Object.entries(value)) {
        if (!/^[A-Za-z0-9._:-]{1,64}$/.test(entity))
          throw new Error(`legal entity "${entity}": 1-64 letters, digits or . _ : -`);
        if (typeof j !== 'string' || !/^[A-Z]{2,3}$/.test(j))
          throw new Error(`legal entity "${entity}": the jurisdiction must be a code such as US, EU or GB`);
      }
      return value as Record<string, string>;
    },
  },
  decisionBatchMax: {
    env: 'CORDON_DECISION_BATCH_MAX',
    flag: '--decision-batch-max',
    default: '200',
    parse: integer(1, 10_000),
  },
  decisionBatchTargetMs: {
    env: 'CORDON_DECISION_BATCH_TARGET_MS',
    flag: '--decision-batch-target-ms',
    default: '40',
    parse: integer(0, 10_000),
  },
  decisionExposureHops: {
    env: 'CORDON_DECISION_EXPOSURE_HOPS',
    flag: '--decision-exposure-hops',
    default: '3',
    parse: integer(1, 6),
  },
  decisionExposureMethod: {
    env: 'CORDON_DECISION_EXPOSURE_METHOD',
    flag: '--decision-exposure-method',
    default: 'haircut',
    parse: either('haircut', 'poison'),
  },
  decisionTimeoutMs: {
    env: 'CORDON_DECISION_TIMEOUT_MS',
    flag: '--decision-timeout-ms',
    default: '2000',
    parse: integer(10, 60_000),
  },
  listSources: {
    env: 'CORDON_LIST_SOURCES',
    flag: '--list-sources',
    default: '',
    parse(raw: string): { source: string; format: string; urls: string[] }[] | null {
      if (raw.trim() === '') return null;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        throw new Error('expected a JSON array of {"source","format","urls"}');
      }
      if (!Array.isArray(value)) throw new Error('expected a JSON array of {"source","format","urls"}');
      return value.map((item, i) => {
        const o = item as Record<string, unknown>;
        const ok =
          typeof o.source === 'string' &&
          typeof o.format === 'string' &&
          Array.isArray(o.urls) &&
          o.urls.length > 0 &&
          o.urls.every((u) => typeof u === 'string' && /^https?:\/\//.test(u));
        if (!ok) throw new Error(`item ${i} needs "source", "format" and "urls" (http or https URLs)`);
        return { source: o.source as string, format: o.format as string, urls: o.urls as string[] };
      });
    },
  },
} satisfies Record<string, Setting<unknown>>;

/**
 * Builds the configuration: each setting from its flag, else its `CORDON_*` environment variable,
 * else its default. A bad value fails with a CordonError naming the setting, where it came from
 * and what was expected.
 *
 * @example parseConfig({ port: '9000' }, process.env).port // 9000
 */
export function parseConfig(flags: ConfigFlags, env: Readonly<Record<string, string | undefined>>): Config {
  const out: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(SETTINGS) as [keyof typeof SETTINGS, Setting<unknown>][]) {
    const fromFlag = flags[name];
    const fromEnv = env[setting.env];
    const [raw, source] =
      fromFlag !== undefined
        ? [String(fromFlag), setting.flag]
        : fromEnv !== undefined && fromEnv !== ''
          ? [fromEnv, setting.env]
          : [setting.default, 'default'];
    try {
      out[name] = setting.parse(raw);
    } catch (err) {
      throw new CordonError(
        'invalid',
        'config.invalid',
        `invalid ${source === 'default' ? name : source} value ${JSON.stringify(raw)}: ${(err as Error).message}`,
        { setting: name, source, value: raw },
      );
    }
  }
  const { db, ...rest } = out;
  return { store: db, ...rest } as Config;
}

/** The graph folder: the configured one, else beside the embedded store, else ./.cordon-graph. */
export function graphDirOf(config: Pick<Config, 'graphDir' | 'store'>): string {
  if (config.graphDir !== null) return config.graphDir;
  return config.store.kind === 'pglite' ? resolve(config.store.dir, 'graph') : resolve('.cordon-graph');
}

/** Where each setting can be given, for `--help` texts and docs. */
export function describeSettings(): { name: string; flag: string; env: string; default: string }[] {
  return Object.entries(SETTINGS).map(([name, s]) => ({
    name,
    flag: s.flag,
    env: s.env,
    default: s.default,
  }));
}
