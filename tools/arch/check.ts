import { readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import ts from 'typescript';
import {
  AMBIENT_CALLS,
  AMBIENT_MEMBERS,
  AMBIENT_NO_ARG_CONSTRUCTORS,
  baseName,
  classify,
  type FileClass,
  isIoSpecifier,
  isSourceFile,
  type RuleId,
} from './rules.js';

/** One broken dependency rule, located at the offending line. */
export interface Violation {
  file: string;
  line: number;
  rule: RuleId;
  message: string;
}

/** One import-like reference found in a source file. */
interface ImportRef {
  specifier: string;
  line: number;
  typeOnly: boolean;
  /** Repo-relative path for relative specifiers (best guess when the file is absent), else undefined. */
  target: string | undefined;
}

type Finding = [RuleId, string];

const GLOBALS_OF_INTEREST = new Set(['process', 'Date', 'Math', 'fetch', 'globalThis']);

/** Checks every `src/**` source file in `files` (repo-relative POSIX path -> source) against the rules. */
export function checkArchitecture(files: ReadonlyMap<string, string>): Violation[] {
  const checked = [...files.keys()]
    .filter((file) => file.startsWith('src/') && isSourceFile(file) && classify(file).role !== 'test')
    .sort();
  const inGraph = new Set(checked);
  const violations: Violation[] = [];
  const edges = new Map<string, Map<string, number>>();

  for (const file of checked) {
    const sf = ts.createSourceFile(
      file,
      files.get(file) ?? '',
      ts.ScriptTarget.Latest,
      true,
      scriptKind(file),
    );
    const from = classify(file);
    const out = new Map<string, number>();
    edges.set(file, out);
    for (const ref of collectImports(sf, files)) {
      for (const [rule, message] of checkImport(file, from, ref)) {
        violations.push({ file, line: ref.line, rule, message });
      }
      if (!ref.typeOnly && ref.target !== undefined && inGraph.has(ref.target) && !out.has(ref.target)) {
        out.set(ref.target, ref.line);
      }
    }
    if (from.role === 'pure') {
      for (const { line, what } of findAmbientIo(sf)) {
        violations.push({ file, line, rule: 'pure-uses-ambient-io', message: `pure file uses ${what}` });
      }
    }
  }
  violations.push(...findCycles(edges));
  return violations.sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule),
  );
}

/** Reads every `*.ts`/`*.tsx` (not `*.d.ts`) under `rootDir/src`, keyed by POSIX path relative to rootDir. */
export async function readTree(rootDir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(join(rootDir, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && isSourceFile(entry.name))
        files.set(path, await readFile(join(rootDir, path), 'utf8'));
    }
  };
  await walk('src');
  return files;
}

/** Checks the source tree of a checkout on disk. */
export async function checkTree(rootDir: string): Promise<Violation[]> {
  return checkArchitecture(await readTree(rootDir));
}

function scriptKind(file: string): ts.ScriptKind {
  return file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
}

function lineOf(sf: ts.SourceFile, node: ts.Node): number {
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

/** Finds static/dynamic imports, re-exports, `import x = require()` and `import('x')` types. */
function collectImports(sf: ts.SourceFile, files: ReadonlyMap<string, string>): ImportRef[] {
  const refs: ImportRef[] = [];
  const add = (node: ts.Node, spec: ts.Node | undefined, typeOnly: boolean): void => {
    if (spec === undefined || !ts.isStringLiteralLike(spec)) return;
    const target = resolve(sf.fileName, spec.text, files);
    refs.push({ specifier: spec.text, line: lineOf(sf, node), typeOnly, target });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const allTypeNames =
        clause?.name === undefined &&
        named !== undefined &&
        ts.isNamedImports(named) &&
        named.elements.length > 0 &&
        named.elements.every((e) => e.isTypeOnly);
      add(node, node.moduleSpecifier, clause?.isTypeOnly === true || allTypeNames);
    } else if (ts.isExportDeclaration(node)) {
      const named = node.exportClause;
      const allTypeNames =
        named !== undefined &&
        ts.isNamedExports(named) &&
        named.elements.length > 0 &&
        named.elements.every((e) => e.isTypeOnly);
      add(node, node.moduleSpecifier, node.isTypeOnly || allTypeNames);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node, node.arguments[0], false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return refs;
}

/** Maps a relative ESM specifier (`./x.js`, `./dir`) to the `.ts` file it denotes. */
function resolve(from: string, specifier: string, files: ReadonlyMap<string, string>): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  const jsExt = /\.[cm]?jsx?$/.exec(base);
  let candidates: string[];
  if (jsExt !== null) {
    const stem = base.slice(0, jsExt.index);
    candidates = [`${stem}.ts`, `${stem}.tsx`];
  } else if (/\.(tsx?|json)$/.test(base)) {
    candidates = [base];
  } else {
    candidates = [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`];
  }
  return candidates.find((c) => files.has(c)) ?? candidates[0];
}

/** Applies the per-import rules (all but the cycle rule) to one import of `file`. */
function checkImport(file: string, from: FileClass, ref: ImportRef): Finding[] {
  const findings: Finding[] = [];
  const to = ref.target === undefined ? undefined : classify(ref.target);
  const what = `"${ref.specifier}"`;
  const ioPackage = ref.target === undefined && isIoSpecifier(ref.specifier);
  const plumbing = to?.layer === 'platform' || to?.layer === 'main';

  if (from.role === 'pure' && !ref.typeOnly && (ioPackage || plumbing)) {
    findings.push(['pure-imports-io', `pure file imports I/O ${what}`]);
  }
  if (from.role === 'service') {
    if (to?.role === 'adapter') findings.push(['service-imports-adapter', `service imports adapter ${what}`]);
    else if (to?.layer === 'main')
      findings.push(['service-imports-adapter', `service imports src/main ${what}`]);
    else if (!ref.typeOnly && (ioPackage || to?.layer === 'platform')) {
      findings.push(['service-imports-adapter', `service imports I/O ${what} (only type-only allowed)`]);
    }
  }
  if (baseName(file).endsWith('.routes.ts') && ref.target?.endsWith('.repository.ts')) {
    findings.push(['route-imports-repository', `route imports repository ${what}; go through a service`]);
  }
  const crossesModule =
    to?.layer === 'modules' &&
    to.module !== undefined &&
    (from.layer === 'main' ||
      from.layer === 'platform' ||
      (from.layer === 'modules' && from.module !== to.module));
  if (crossesModule && ref.target !== `src/modules/${to.module}/index.ts`) {
    findings.push(['module-boundary', `${what} reaches past src/modules/${to.module}/index.ts`]);
  }
  if (to !== undefined) {
    const layer = layerFinding(from, to, ref.typeOnly);
    if (layer !== undefined) findings.push(['layer-direction', `${layer} (${what})`]);
  }
  return findings;
}

function layerFinding(from: FileClass, to: FileClass, typeOnly: boolean): string | undefined {
  if (from.layer === 'shared' && to.layer !== 'shared') return 'src/shared may import only src/shared';
  if (from.layer !== 'main' && to.layer === 'main') return 'only src/main may import src/main';
  if (from.layer === 'platform' && to.layer === 'modules') return 'src/platform may not import src/modules';
  if (from.layer === 'modules' && to.layer === 'platform' && from.role !== 'adapter' && !typeOnly) {
    return 'only adapters may import src/platform at runtime';
  }
  return undefined;
}

/** Finds ambient I/O in AST nodes, ignoring globals the file shadows with its own declarations. */
function findAmbientIo(sf: ts.SourceFile): { line: number; what: string }[] {
  const shadowed = new Set<string>();
  const found: { line: number; what: string }[] = [];
  const collect = (node: ts.Node): void => {
    const name = (node as { name?: ts.Node }).name;
    if (ts.isDeclarationStatement(node) || ts.isVariableDeclaration(node) || ts.isParameter(node)) {
      if (name !== undefined && ts.isIdentifier(name) && GLOBALS_OF_INTEREST.has(name.text))
        shadowed.add(name.text);
    }
    if ((ts.isImportClause(node) || ts.isImportSpecifier(node) || ts.isNamespaceImport(node)) && node.name) {
      shadowed.add(node.name.text);
    }
    if (ts.isBindingElement(node) && ts.isIdentifier(node.name)) shadowed.add(node.name.text);
    ts.forEachChild(node, collect);
  };
  const global = (node: ts.Node): string | undefined =>
    ts.isIdentifier(node) && !shadowed.has(node.text) ? node.text : undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node)) {
      const owner = global(node.expression);
      const member = `${owner}.${node.name.text}`;
      if (owner !== undefined && AMBIENT_MEMBERS.has(member))
        found.push({ line: lineOf(sf, node), what: member });
    } else if (ts.isCallExpression(node)) {
      const callee = global(node.expression);
      if (callee !== undefined && AMBIENT_CALLS.has(callee)) {
        found.push({ line: lineOf(sf, node), what: `${callee}()` });
      }
    } else if (ts.isNewExpression(node)) {
      const ctor = global(node.expression);
      if (
        ctor !== undefined &&
        AMBIENT_NO_ARG_CONSTRUCTORS.has(ctor) &&
        (node.arguments?.length ?? 0) === 0
      ) {
        found.push({ line: lineOf(sf, node), what: `new ${ctor}()` });
      }
    }
    ts.forEachChild(node, visit);
  };
  collect(sf);
  visit(sf);
  return found;
}

/** Reports one shortest cycle per strongly connected component of the runtime import graph. */
function findCycles(edges: ReadonlyMap<string, ReadonlyMap<string, number>>): Violation[] {
  const violations: Violation[] = [];
  for (const component of stronglyConnected(edges)) {
    const start = [...component].sort()[0];
    if (start === undefined) continue;
    const selfLoop = edges.get(start)?.has(start) === true;
    if (component.size === 1 && !selfLoop) continue;
    const chain = selfLoop ? [start, start] : shortestLoop(start, component, edges);
    const next = chain[1] ?? start;
    const extra =
      component.size > chain.length - 1 ? ` (${component.size} files are mutually dependent)` : '';
    violations.push({
      file: start,
      line: edges.get(start)?.get(next) ?? 1,
      rule: 'import-cycle',
      message: `runtime import cycle: ${chain.join(' -> ')}${extra}`,
    });
  }
  return violations;
}

/** Tarjan's algorithm over the import graph; deterministic because edges are visited in insertion order. */
function stronglyConnected(edges: ReadonlyMap<string, ReadonlyMap<string, number>>): Set<string>[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: Set<string>[] = [];
  const connect = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component = new Set<string>();
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member !== undefined) {
        onStack.delete(member);
        component.add(member);
      }
    } while (member !== undefined && member !== node);
    components.push(component);
  };
  for (const node of edges.keys()) if (!index.has(node)) connect(node);
  return components;
}

/** Breadth-first search for the shortest path from `start` back to itself inside one component. */
function shortestLoop(
  start: string,
  component: ReadonlySet<string>,
  edges: ReadonlyMap<string, ReadonlyMap<string, number>>,
): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i] as string;
    for (const next of edges.get(node)?.keys() ?? []) {
      if (!component.has(next)) continue;
      if (next === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(parent.get(path[0] as string) as string);
        return [...path, start];
      }
      if (!parent.has(next)) {
        parent.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}
