import { Command } from 'commander';
import type { Output } from '../../platform/cli/output.js';
import { createProgress } from '../../platform/cli/progress.js';
import { localFile } from '../../platform/files.js';
import { detectFormat, FORMATS, formatByName } from './formats.js';
import type { ListUpdater } from './lists.download.js';
import type { ImportResult, ListDiff, ListService } from './lists.service.js';

/** What the lists commands need, opened on demand by the composition root. */
export interface ListsCommandDeps {
  lists: ListService;
  updater: ListUpdater;
  maxFileBytes: number;
}

/** `cordon lists import|update|status|versions|diff|activate|formats`. */
export function listsCommands(
  run: <T>(use: (deps: ListsCommandDeps, out: Output) => Promise<T>) => Promise<T>,
): Command {
  const lists = new Command('lists').description(
    'watchlists and attributions: import, update, versions, diffs',
  );

  lists
    .command('import')
    .description('load list or attribution files into a new active version (atomic)')
    .argument('<files...>', 'the files of one list (e.g. sdn.csv add.csv alt.csv sdn_comments.csv)')
    .option('--format <format>', `one of ${Object.keys(FORMATS).join(', ')} (detected when omitted)`)
    .option('--source <name>', 'the source the version belongs to (default: the format’s)')
    .option(
      '--skip-invalid-addresses',
      'skip listed addresses that fail their checksum (with a warning) instead of refusing the file',
    )
    .action((paths: string[], opts: { format?: string; source?: string; skipInvalidAddresses?: boolean }) =>
      run(async ({ lists: service, maxFileBytes }, out) => {
        const files = paths.map(localFile);
        const format = opts.format ? formatByName(opts.format) : await detectFormat(files);
        const progress = createProgress(`import ${format.name}`, 0, { json: out.json });
        try {
          const result = await service.importFiles({
            format,
            source: opts.source,
            files,
            importedBy: 'cli',
            maxFileBytes,
            skipInvalidAddresses: opts.skipInvalidAddresses === true,
            onProgress: (n) => progress.update(n, Math.max(n, 1)),
          });
          progress.stop();
          out.result(result, describeImport);
        } finally {
          progress.stop();
        }
      }),
    );

  lists
    .command('update')
    .description('download official lists from their publishers, verify and import them')
    .option('--source <name>', 'only this source')
    .action((opts: { source?: string }) =>
      run(async ({ updater }, out) => {
        const results = await updater.update(opts.source);
        out.result({ results }, ({ results: rs }) =>
          rs
            .map((r) =>
              r.ok ? describeImport(r.result) : `${r.source}: FAILED: ${r.error} (active version kept)`,
            )
            .join('\n'),
        );
        if (results.some((r) => !r.ok)) process.exitCode = 6;
      }),
    );

  lists
    .command('status')
    .description('the active version of every source, with counts')
    .action(() =>
      run(async ({ lists: service }, out) => {
        const active = await service.status();
        out.result({ active }, ({ active: vs }) =>
          vs.length === 0
            ? 'no lists loaded (cordon lists import FILE…)'
            : vs
                .map(
                  (v) =>
                    `${v.source.padEnd(16)} ${v.id}  ${v.counts.entities} entities, ${v.counts.names} names, ${v.counts.addresses} addresses, ${v.counts.attributions} attributions  (active since ${v.activatedAt.toISOString()})`,
                )
                .join('\n'),
        );
      }),
    );

  lists
    .command('versions')
    .description('every version of a source, oldest first')
    .argument('<source>')
    .action((source: string) =>
      run(async ({ lists: service }, out) => {
        const versions = await service.versions(source);
        out.result({ versions }, ({ versions: vs }) =>
          vs.length
            ? vs
                .map(
                  (v) =>
                    `${v.active ? '*' : ' '} ${v.id}  ${v.importedAt.toISOString()}  ${v.counts.entities} entities, ${v.counts.addresses} addresses  [${v.files.map((f) => f.name).join(', ')}]`,
                )
                .join('\n')
            : `no versions of ${source}`,
        );
      }),
    );

  lists
    .command('diff')
    .description('what changed: V1 → V2, or one version (or source) against its predecessor')
    .argument('[v1]', 'version id, source@hash-prefix, or a source (its active version)')
    .argument('[v2]')
    .option('--source <name>', 'the source, when versions are given by hash prefix')
    .action((v1: string | undefined, v2: string | undefined, opts: { source?: string }) =>
      run(async ({ lists: service }, out) => {
        const diff = await service.diff(v1, v2, opts.source);
        out.result(diff, describeDiff);
      }),
    );

  lists
    .command('activate')
    .description('make an earlier version active again (rollback), atomically')
    .argument('<version>')
    .action((version: string) =>
      run(async ({ lists: service }, out) => {
        out.result(await service.activate(version, 'cli'), describeImport);
      }),
    );

  lists
    .command('formats')
    .description('the formats cordon reads')
    .action(() =>
      run(async (_deps, out) => {
        const formats = Object.values(FORMATS).map(({ name, description, defaultSource }) => ({
          name,
          description,
          defaultSource,
        }));
        out.result({ formats }, ({ formats: fs }) =>
          fs.map((f) => `${f.name.padEnd(16)} ${f.description} (source ${f.defaultSource})`).join('\n'),
        );
      }),
    );

  return lists;
}

function describeImport(r: ImportResult): string {
  const v = r.version;
  const head =
    r.status === 'unchanged'
      ? `${v.source}: unchanged, ${v.id} stays active`
      : `${v.source}: ${r.status} ${v.id} (previous: ${r.previous ?? 'none'})`;
  const d = r.diff;
  const counts = `  ${v.counts.entities} entities, ${v.counts.names} names, ${v.counts.addresses} addresses, ${v.counts.attributions} attributions`;
  const diff = `  diff: +${d.entitiesAdded} -${d.entitiesRemoved} ~${d.entitiesChanged} entities, +${d.addressesAdded} -${d.addressesRemoved} addresses`;
  const warnings = v.warnings.length
    ? `\n  ${v.warnings.length} warning(s):\n${v.warnings
        .slice(0, 10)
        .map((w) => `    ${w.file}${w.line ? `:${w.line}` : ''}: ${w.message}`)
        .join('\n')}`
    : '';
  return [head, counts, diff].join('\n') + warnings;
}

function describeDiff(d: ListDiff): string {
  const lines = [`${d.source}: ${d.from ?? '(nothing)'} → ${d.to}`];
  const e = d.entities;
  lines.push(`entities: +${e.added.length} -${e.removed.length} ~${e.changed.length}`);
  for (const x of e.added.slice(0, 50)) lines.push(`  + ${x.id}  ${x.name}`);
  for (const x of e.removed.slice(0, 50)) lines.push(`  - ${x.id}  ${x.name}`);
  for (const x of e.changed.slice(0, 50)) lines.push(`  ~ ${x.id}  ${x.name}`);
  const a = d.addresses;
  lines.push(`addresses: +${a.added.length} -${a.removed.length}`);
  for (const x of a.added.slice(0, 100)) lines.push(`  + ${x.currency} ${x.address}  (${x.entityId})`);
  for (const x of a.removed.slice(0, 100)) lines.push(`  - ${x.currency} ${x.address}  (${x.entityId})`);
  if (e.added.length > 50 || e.removed.length > 50 || a.added.length > 100 || a.removed.length > 100)
    lines.push('(truncated; use --json for everything)');
  return lines.join('\n');
}
