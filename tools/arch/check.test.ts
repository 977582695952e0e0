import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { checkArchitecture, checkTree, type Violation } from './check.js';
import { classify, isIoSpecifier } from './rules.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string): string => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));

/** Runs the checker on an in-memory tree; sources are given as arrays of lines for readable line numbers. */
function check(tree: Record<string, string[]>): Violation[] {
  return checkArchitecture(new Map(Object.entries(tree).map(([file, lines]) => [file, lines.join('\n')])));
}

/** Compact `file:line rule` form, so assertions show exactly what was reported and where. */
function found(violations: Violation[]): string[] {
  return violations.map((v) => `${v.file}:${v.line} ${v.rule}`);
}

test('classify assigns roles by layer and basename', () => {
  assert.equal(classify('src/shared/ids.ts').role, 'pure');
  assert.equal(classify('src/modules/lists/index.ts').role, 'entry');
  assert.equal(classify('src/modules/lists/sub/index.ts').role, 'pure');
  assert.equal(classify('src/modules/lists/lists.service.ts').role, 'service');
  assert.equal(classify('src/modules/lists/download.ts').role, 'adapter');
  assert.equal(classify('src/modules/chains/btc.follower.ts').role, 'adapter');
  assert.equal(classify('src/modules/lists/match.test.ts').role, 'test');
  assert.equal(classify('src/platform/db/pool.ts').role, 'plumbing');
  assert.equal(classify('src/modules/graph/walk.ts').module, 'graph');
});

test('isIoSpecifier knows builtins with and without node:, packages, scopes and subpaths', () => {
  for (const io of ['fs', 'node:fs/promises', 'node:os', 'process', 'pg', 'kysely/helpers/postgres']) {
    assert.equal(isIoSpecifier(io), true, io);
  }
  for (const io of ['@fastify/swagger', '@nats-io/jetstream', '@electric-sql/pglite'])
    assert.equal(isIoSpecifier(io), true);
  for (const ok of [
    'node:crypto',
    'node:buffer',
    'node:util',
    'node:events',
    'node:stream',
    'typebox',
    './fs.js',
  ]) {
    assert.equal(isIoSpecifier(ok), false, ok);
  }
});

test('pure-imports-io: every import form of I/O in pure code is reported with its line', () => {
  const v = check({
    'src/modules/lists/normalize.ts': [
      "import { Pool } from 'pg';",
      "import { readFile } from 'node:fs/promises';",
      "import * as os from 'os';",
      "import { getDb } from '../../platform/db/pool.js';",
      "export { sql } from 'kysely';",
      "import http = require('http');",
      "export const load = () => import('node:net');",
      "import '@fastify/swagger';",
    ],
    'src/shared/clock.ts': ["import { start } from '../main/server.js';"],
  });
  const pure = v.filter((x) => x.rule === 'pure-imports-io');
  assert.deepEqual(found(pure), [
    ...[1, 2, 3, 4, 5, 6, 7, 8].map((line) => `src/modules/lists/normalize.ts:${line} pure-imports-io`),
    'src/shared/clock.ts:1 pure-imports-io',
  ]);
  assert.match(pure[0]?.message ?? '', /"pg"/);
});

test('pure-imports-io: pure-safe builtins, type-only imports, adapters and tests pass', () => {
  const v = check({
    'src/modules/lists/normalize.ts': [
      "import { createHash } from 'node:crypto';",
      "import { EventEmitter } from 'events';",
      "import { Type } from 'typebox';",
      "import type { Pool } from 'pg';",
      "import { type Kysely, type Selectable } from 'kysely';",
      "import type { Db } from '../../platform/db/pool.js';",
      "export type { FastifyInstance } from 'fastify';",
      "type Net = typeof import('node:net');",
    ],
    'src/modules/lists/lists.repository.ts': [
      "import pg from 'pg';",
      "import { db } from '../../platform/db/pool.js';",
    ],
    'src/modules/lists/lists.client.ts': ["import { fetch } from 'undici';"],
    'src/modules/lists/normalize.test.ts': ["import { readFileSync } from 'node:fs';"],
    'src/platform/db/pool.ts': ["import pg from 'pg';"],
  });
  assert.deepEqual(found(v), []);
});

test('pure-uses-ambient-io: env, exit, clock, randomness and fetch are found in the AST', () => {
  const v = check({
    'src/shared/clock.ts': [
      'export const level = process.env.LOG_LEVEL;',
      'export const die = () => process.exit(1);',
      'export const t = Date.now();',
      'export const d = new Date();',
      'export const r = Math.random();',
      "export const p = fetch('https://example.org');",
      "export const q = globalThis.fetch('https://example.org');",
      'export const now = Date.now;',
    ],
  });
  assert.deepEqual(
    found(v),
    [1, 2, 3, 4, 5, 6, 7, 8].map((line) => `src/shared/clock.ts:${line} pure-uses-ambient-io`),
  );
  assert.match(v[3]?.message ?? '', /new Date\(\)/);
});

test('pure-uses-ambient-io: comments, strings, explicit dates, injected deps and non-pure files pass', () => {
  const v = check({
    'src/modules/screening/score.ts': [
      '// process.env.X, Date.now(), Math.random() and fetch() are forbidden here',
      "const doc = 'new Date() and process.exit(1)';",
      'export const epoch = new Date(0);',
      'export const at = (ms: number) => new Date(ms);',
      'export const later = (clock: { now(): Date }) => clock.now();',
      'export const get = (fetch: (u: string) => Promise<unknown>) => fetch(doc);',
      'export class C { constructor(private readonly fetch: () => void) {} go() { this.fetch(); } }',
      'export const cfg = (env: Record<string, string>) => env.LOG_LEVEL;',
    ],
    'src/modules/screening/screening.consumer.ts': ['export const t = Date.now();'],
    'src/platform/config.ts': ['export const env = process.env;'],
    'src/main/cli.ts': ['process.exit(0);'],
  });
  assert.deepEqual(found(v), []);
});

test('service-imports-adapter: adapters (even type-only), I/O, runtime platform and main are reported', () => {
  const v = check({
    'src/modules/lists/lists.service.ts': [
      "import { ListsRepository } from './lists.repository.js';",
      "import type { ListsRoutes } from './lists.routes.js';",
      "import { pino } from 'pino';",
      "import { readFile } from 'node:fs/promises';",
      "import { getDb } from '../../platform/db/pool.js';",
      "import type { Config } from '../../main/config.js';",
    ],
    'src/modules/lists/lists.repository.ts': ['export class ListsRepository {}'],
  });
  assert.deepEqual(
    found(v.filter((x) => x.rule === 'service-imports-adapter')),
    [1, 2, 3, 4, 5, 6].map((line) => `src/modules/lists/lists.service.ts:${line} service-imports-adapter`),
  );
});

test('service-imports-adapter: ports, shared, safe builtins and type-only platform/I/O pass', () => {
  const v = check({
    'src/modules/lists/lists.service.ts': [
      "import type { ListsStore } from './lists.ports.js';",
      "import { normalize } from './normalize.js';",
      "import { newCaseId } from '../../shared/ids.js';",
      "import { createHash } from 'node:crypto';",
      "import type { Logger } from '../../platform/logger.js';",
      "import type { Pool } from 'pg';",
      "import { screen } from '../screening/index.js';",
    ],
  });
  assert.deepEqual(found(v), []);
});

test('route-imports-repository: own or foreign repository, type-only included, is reported', () => {
  const v = check({
    'src/modules/lists/lists.routes.ts': [
      "import type { ListsRepository } from './lists.repository.js';",
      "import { CasesRepository } from '../cases/cases.repository.js';",
    ],
  });
  assert.deepEqual(
    found(v.filter((x) => x.rule === 'route-imports-repository')),
    [1, 2].map((line) => `src/modules/lists/lists.routes.ts:${line} route-imports-repository`),
  );
});

test('route-imports-repository: routes using services, fastify and platform pass', () => {
  const v = check({
    'src/modules/lists/lists.routes.ts': [
      "import type { FastifyInstance } from 'fastify';",
      "import { ListsService } from './lists.service.js';",
      "import { httpError } from '../../platform/http/errors.js';",
    ],
    'src/modules/lists/lists.consumer.ts': ["import { ListsRepository } from './lists.repository.js';"],
  });
  assert.deepEqual(found(v), []);
});

test('module-boundary: reaching past another module index is reported, type-only included', () => {
  const v = check({
    'src/modules/cases/cases.service.ts': [
      "import { screen } from '../screening/screening.service.js';",
      "import type { Hit } from '../screening/model.js';",
      "export { walk } from '../graph/walk/index.js';",
    ],
    'src/main/server.ts': ["import { listsRoutes } from '../modules/lists/lists.routes.js';"],
    'src/platform/http/server.ts': ["import type { Case } from '../../modules/cases/case.js';"],
  });
  assert.deepEqual(found(v.filter((x) => x.rule === 'module-boundary')), [
    'src/main/server.ts:1 module-boundary',
    'src/modules/cases/cases.service.ts:1 module-boundary',
    'src/modules/cases/cases.service.ts:2 module-boundary',
    'src/modules/cases/cases.service.ts:3 module-boundary',
    'src/platform/http/server.ts:1 module-boundary',
  ]);
});

test('module-boundary: imports through index.ts (by file or directory) and within a module pass', () => {
  const v = check({
    'src/modules/cases/cases.service.ts': [
      "import { screen } from '../screening/index.js';",
      "import type { Hit } from '../screening/index.js';",
      "import { walk } from '../graph';",
      "import { open } from './case-state.js';",
      "import { deep } from './sub/deep.js';",
    ],
    'src/modules/graph/index.ts': ['export const walk = 1;'],
    'src/main/server.ts': ["import { listsRoutes } from '../modules/lists/index.js';"],
  });
  assert.deepEqual(found(v), []);
});

test('layer-direction: each forbidden direction is reported', () => {
  const v = check({
    'src/shared/money.ts': ["import type { Hit } from '../modules/screening/index.js';"],
    'src/platform/http/server.ts': [
      "import { listsRoutes } from '../../modules/lists/index.js';",
      "import { wire } from '../../main/wire.js';",
    ],
    'src/modules/lists/index.ts': ["export { getDb } from '../../platform/db/pool.js';"],
    'src/modules/lists/lists.repository.ts': ["import type { Deps } from '../../main/deps.js';"],
  });
  assert.deepEqual(found(v.filter((x) => x.rule === 'layer-direction')), [
    'src/modules/lists/index.ts:1 layer-direction',
    'src/modules/lists/lists.repository.ts:1 layer-direction',
    'src/platform/http/server.ts:1 layer-direction',
    'src/platform/http/server.ts:2 layer-direction',
    'src/shared/money.ts:1 layer-direction',
  ]);
});

test('layer-direction: allowed directions pass', () => {
  const v = check({
    'src/shared/money.ts': ["import { AppError } from './errors.js';"],
    'src/platform/db/pool.ts': ["import pg from 'pg';", "import { AppError } from '../../shared/errors.js';"],
    'src/modules/lists/lists.repository.ts': ["import { getDb } from '../../platform/db/pool.js';"],
    'src/modules/lists/index.ts': ["export type { Db } from '../../platform/db/pool.js';"],
    'src/main/server.ts': [
      "import { getDb } from '../platform/db/pool.js';",
      "import { lists } from '../modules/lists/index.js';",
      "import { run } from './worker.js';",
    ],
  });
  assert.deepEqual(found(v), []);
});

test('import-cycle: a runtime cycle is reported once, from its first file, with the chain', () => {
  const v = check({
    'src/shared/b.ts': ["import { c } from './c.js';", 'export const b = c;'],
    'src/shared/a.ts': ['// a starts the cycle', "import { b } from './b.js';", 'export const a = b;'],
    'src/shared/c.ts': ["export * from './a.js';", 'export const c = 1;'],
    'src/shared/self.ts': ["import { x } from './self.js';"],
    'src/modules/lists/lists.test.ts': ["import './lists.test.js';"],
  });
  assert.deepEqual(found(v), ['src/shared/a.ts:2 import-cycle', 'src/shared/self.ts:1 import-cycle']);
  assert.match(
    v[0]?.message ?? '',
    /src\/shared\/a\.ts -> src\/shared\/b\.ts -> src\/shared\/c\.ts -> src\/shared\/a\.ts$/,
  );
});

test('import-cycle: type-only back edges, test files and acyclic graphs pass', () => {
  const v = check({
    'src/shared/a.ts': ["import { b } from './b.js';"],
    'src/shared/b.ts': ["import type { A } from './a.js';", "export { type A2 } from './a.js';"],
    'src/shared/c.ts': ["import { a } from './a.js';", "import { b } from './b.js';"],
    'src/shared/a.test.ts': ["import { c } from './c.js';"],
    'src/shared/c.test.ts': ["import './a.test.js';"],
  });
  assert.deepEqual(found(v), []);
});

test('checkTree: fixture with violations reports pure pg import and route -> foreign repository', async () => {
  const v = await checkTree(fixture('violations'));
  assert.deepEqual(found(v), [
    'src/modules/lists/list-normalize.ts:1 pure-imports-io',
    'src/modules/screening/screening.routes.ts:2 module-boundary',
    'src/modules/screening/screening.routes.ts:2 route-imports-repository',
  ]);
});

test('checkTree: clean fixture (all layers wired correctly) has no violations', async () => {
  assert.deepEqual(await checkTree(fixture('clean')), []);
});

test('cli: prints file:line rule message and exits 1 on violations, 0 and a summary when clean', async () => {
  const run = promisify(execFile);
  const args = (name: string) => ['--import', 'tsx', 'tools/arch/cli.ts', fixture(name)];
  const clean = await run(process.execPath, args('clean'), { cwd: repoRoot });
  assert.equal(clean.stdout.trim(), 'architecture: 9 files, 0 violations');
  await assert.rejects(run(process.execPath, args('violations'), { cwd: repoRoot }), (error: unknown) => {
    const { code, stdout } = error as { code: number; stdout: string };
    assert.equal(code, 1);
    assert.match(
      stdout,
      /^src\/modules\/lists\/list-normalize\.ts:1 pure-imports-io pure file imports I\/O "pg"$/m,
    );
    return true;
  });
});
