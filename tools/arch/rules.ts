/**
 * Dependency rules of the codebase, as data, plus the pure functions that classify
 * files and import specifiers. The checker in `check.ts` only combines these.
 */

/** Stable rule ids with a one-line rationale; ids appear in CLI output and must not change. */
export const RULES = {
  'pure-imports-io': 'pure code must not import I/O builtins, I/O packages, src/platform or src/main',
  'pure-uses-ambient-io': 'pure code must not read the environment, clock, randomness or network ambiently',
  'service-imports-adapter': 'services depend on ports, never on adapters, I/O packages or runtime plumbing',
  'route-imports-repository': 'routes go through services, never straight to a repository',
  'module-boundary': "a module's index.ts is its only public entry",
  'layer-direction': 'shared <- modules <- platform <- main; only main wires everything',
  'import-cycle': 'runtime imports between source files must form a DAG',
} as const;

/** Identifier of one rule, used as `Violation.rule`. */
export type RuleId = keyof typeof RULES;

/** Top-level area of `src/` a file belongs to. */
export type Layer = 'shared' | 'modules' | 'platform' | 'main' | 'other';

/** What a file is for; decides which rules apply to it. */
export type Role = 'pure' | 'service' | 'adapter' | 'entry' | 'plumbing' | 'test';

/** Classification of one repo-relative path. */
export interface FileClass {
  layer: Layer;
  /** Module name for files under `src/modules/<m>/`. */
  module: string | undefined;
  role: Role;
}

/** Node builtins that perform I/O (compared without the `node:` prefix and subpath). */
export const IO_BUILTINS: ReadonlySet<string> = new Set([
  'fs',
  'net',
  'http',
  'https',
  'http2',
  'child_process',
  'dgram',
  'dns',
  'tls',
  'worker_threads',
  'cluster',
  'readline',
  'inspector',
  'v8',
  'vm',
  'os',
  'process',
]);

/** npm packages that perform I/O (compared by package name, ignoring subpaths). */
export const IO_PACKAGES: ReadonlySet<string> = new Set([
  'pg',
  '@electric-sql/pglite',
  'kysely',
  'fastify',
  'pino',
  'pino-pretty',
  'prom-client',
  'commander',
  'cli-progress',
  'viem',
  'undici',
  'ioredis',
]);

/** npm scopes whose every package performs I/O. */
export const IO_SCOPES: readonly string[] = ['@fastify/', '@nats-io/'];

/** Basename suffixes marking adapter files inside a module. */
export const ADAPTER_SUFFIXES: readonly string[] = [
  '.repository.ts',
  '.routes.ts',
  '.consumer.ts',
  '.command.ts',
  '.client.ts',
  '.follower.ts',
  '.download.ts',
];

/** Adapter files recognised by their full basename. */
export const ADAPTER_BASENAMES: ReadonlySet<string> = new Set(['download.ts']);

/** `global.member` accesses that are ambient I/O in pure code (flagged on any access). */
export const AMBIENT_MEMBERS: ReadonlySet<string> = new Set([
  'process.env',
  'process.exit',
  'Date.now',
  'Math.random',
  'globalThis.fetch',
]);

/** Global functions whose direct call is ambient I/O in pure code. */
export const AMBIENT_CALLS: ReadonlySet<string> = new Set(['fetch']);

/** Global constructors that read ambient state when called with no arguments. */
export const AMBIENT_NO_ARG_CONSTRUCTORS: ReadonlySet<string> = new Set(['Date']);

/** Last path segment of a POSIX path. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Whether a path is a source file the checker reads (TypeScript, not a declaration file). */
export function isSourceFile(path: string): boolean {
  return /\.tsx?$/.test(path) && !path.endsWith('.d.ts');
}

/** Whether a path is a test file, which every rule skips. */
export function isTestFile(path: string): boolean {
  // `testing.ts` files hold test-only support (fixtures, file sources) beside the code they serve.
  return /\.test\.tsx?$/.test(path) || /(^|\/)testing\.tsx?$/.test(path);
}

/** Whether a basename marks a module adapter (the only module files allowed runtime plumbing). */
export function isAdapterName(name: string): boolean {
  return ADAPTER_BASENAMES.has(name) || ADAPTER_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

/** Classifies a repo-relative POSIX path into layer, module and role. */
export function classify(path: string): FileClass {
  const parts = path.split('/');
  const area = parts[0] === 'src' ? parts[1] : undefined;
  const test = isTestFile(path);
  if (area === 'shared') return { layer: 'shared', module: undefined, role: test ? 'test' : 'pure' };
  if (area === 'platform' || area === 'main') {
    return { layer: area, module: undefined, role: test ? 'test' : 'plumbing' };
  }
  if (area !== 'modules') return { layer: 'other', module: undefined, role: test ? 'test' : 'plumbing' };
  const module = parts.length > 3 ? parts[2] : undefined;
  const name = baseName(path);
  let role: Role = 'pure';
  if (test) role = 'test';
  else if (module !== undefined && parts.length === 4 && name === 'index.ts') role = 'entry';
  else if (isAdapterName(name)) role = 'adapter';
  else if (name.endsWith('.service.ts')) role = 'service';
  return { layer: 'modules', module, role };
}

/** Whether a bare specifier names an I/O builtin or I/O package. */
export function isIoSpecifier(specifier: string): boolean {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return false;
  const bare = specifier.startsWith('node:') ? specifier.slice('node:'.length) : specifier;
  if (IO_SCOPES.some((scope) => bare.startsWith(scope))) return true;
  const segments = bare.split('/');
  const pkg = bare.startsWith('@') ? segments.slice(0, 2).join('/') : (segments[0] ?? bare);
  return IO_BUILTINS.has(pkg) || IO_PACKAGES.has(pkg);
}
