import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import type { Output } from '../../platform/cli/output.js';
import { createProgress } from '../../platform/cli/progress.js';
import { CordonError, invalid } from '../../shared/errors.js';
import type { NameKind } from './names/index.js';
import { matchJson } from './screening.routes.js';
import type { ScreeningService } from './screening.service.js';

type Run = <T>(use: (screening: ScreeningService, out: Output) => Promise<T>) => Promise<T>;

/** `cordon screen name|address`, `cordon screen --input --output`. */
export function screenCommand(run: Run): Command {
  const screen = new Command('screen')
    .description('screen names or addresses against the active lists (bulk with --input/--output)')
    .option(
      '--input <file>',
      'JSON Lines queries: {"id","name","type","country","dob"} or {"id","address","chain"}',
    )
    .option('--output <file>', 'JSON Lines results, one per query, in input order')
    .option('--strict', 'stop at the first malformed line instead of reporting it and going on')
    .action((opts: { input?: string; output?: string; strict?: boolean }) => {
      if (!opts.input || !opts.output)
        throw invalid('cli.usage', 'give --input and --output, or use `screen name` / `screen address`');
      return run((screening, out) =>
        bulkScreen(screening, out, opts.input as string, opts.output as string, opts.strict === true),
      );
    });

  screen
    .command('name')
    .description('screen one name of a person or organisation')
    .argument('<name>')
    .option('--type <type>', 'person or organization')
    .option('--country <cc>', 'ISO 3166-1 alpha-2 country (nationality, residence or registration)')
    .option('--dob <date>', 'date of birth or incorporation: YYYY, YYYY-MM or YYYY-MM-DD')
    .option('--limit <n>', 'most matches to show', '10')
    .action((name: string, opts: { type?: string; country?: string; dob?: string; limit: string }) =>
      run(async (screening, out) => {
        const query = checkQuery({ name, type: opts.type, country: opts.country, dob: opts.dob }, 'argument');
        const r = await screening.screenNames([query], { limit: Number(opts.limit) || 10 });
        const matches = (r.results[0]?.matches ?? []).map(matchJson);
        out.result({ query: name, versions: r.versions, matches }, (v) =>
          v.matches.length === 0
            ? `no match for ${JSON.stringify(name)} (lists: ${Object.values(v.versions).join(', ')})`
            : v.matches
                .map(
                  (m) =>
                    `${m.score.toFixed(3)} ${m.decision.padEnd(6)} ${m.name}  [${m.list} ${m.entityId}]${m.matchedName !== m.name ? `\n        matched ${m.matchedNameKind} "${m.matchedName}"` : ''}${m.programs.length ? `\n        programs ${m.programs.join(', ')}` : ''}${m.related.map((rel) => `\n        ${rel.relation} ${rel.name} (${rel.programs.join(', ')})`).join('')}\n        ${m.explanation.features.map((f) => `${f.name} ${f.value >= 0 ? '+' : ''}${f.value}`).join(', ')}`,
                )
                .join('\n'),
        );
      }),
    );

  screen
    .command('address')
    .description('screen one crypto address (exact, chain-aware)')
    .argument('<address>')
    .option('--chain <chain>', 'chain or currency code (inferred when omitted)')
    .action((address: string, opts: { chain?: string }) =>
      run(async (screening, out) => {
        const r = await screening.screenAddresses([{ address, chain: opts.chain }]);
        const result = r.results[0];
        if (!result?.ok)
          throw new CordonError(
            'invalid',
            result?.code ?? 'address.invalid_format',
            `${address}: ${result && !result.ok ? result.reason : 'invalid'}`,
          );
        out.result({ ...result, versions: r.versions }, (v) =>
          v.hits.length === 0
            ? `${v.normalized} (${v.chain}): no hit`
            : [
                `${v.normalized} (${v.chain}): ${v.hits.length} hit(s)`,
                ...v.hits.map(
                  (h) =>
                    `  ${h.category.padEnd(22)} ${h.entityName} [${h.source} ${h.versionId}] confidence ${h.confidence}`,
                ),
              ].join('\n'),
        );
      }),
    );
  return screen;
}

/** `cordon match A B`, `cordon match --input --output`: no store needed. */
export function matchCommand(getScreening: () => ScreeningService, output: () => Output): Command {
  return new Command('match')
    .description('score two names against each other, with the explanation (bulk with --input/--output)')
    .argument('[a]')
    .argument('[b]')
    .option('--type <type>', 'person or organization')
    .option('--input <file>', 'JSON Lines pairs: {"id","a","b","type"}')
    .option('--output <file>', 'JSON Lines results: {"id","score","match"}')
    .option('--strict', 'stop at the first malformed line')
    .action(
      async (
        a: string | undefined,
        b: string | undefined,
        opts: { type?: string; input?: string; output?: string; strict?: boolean },
      ) => {
        const screening = getScreening();
        const out = output();
        if (opts.input || opts.output) {
          if (!opts.input || !opts.output) throw invalid('cli.usage', 'give both --input and --output');
          await bulk(opts.input, opts.output, opts.strict === true, out, (row, line) => {
            const r = row as { id?: unknown; a?: unknown; b?: unknown; type?: unknown };
            if (typeof r.a !== 'string' || typeof r.b !== 'string' || !r.a.trim() || !r.b.trim()) {
              throw invalid('match.invalid_line', `line ${line}: "a" and "b" must be non-empty strings`, {
                line,
              });
            }
            const m = screening.match(r.a, r.b, kindOf(r.type, line));
            return { id: r.id ?? null, score: Math.round(m.score * 10_000) / 10_000, match: m.match };
          });
          return;
        }
        if (!a || !b) throw invalid('cli.usage', 'give two names, or --input and --output');
        const m = screening.match(a, b, kindOf(opts.type, 0));
        out.result(
          { a, b, score: m.score, match: m.match, review: m.review, explanation: m.comparison },
          (v) =>
            [
              `${v.score.toFixed(3)} ${v.match ? 'MATCH' : v.review ? 'review' : 'no match'}`,
              ...v.explanation.aligned.map(
                (x) => `  ${x.query} ~ ${x.candidate}  ${x.similarity.toFixed(2)} (${x.how})`,
              ),
              ...(v.explanation.unmatchedQuery.length
                ? [`  only in A: ${v.explanation.unmatchedQuery.join(' ')}`]
                : []),
              ...(v.explanation.unmatchedCandidate.length
                ? [`  only in B: ${v.explanation.unmatchedCandidate.join(' ')}`]
                : []),
              ...v.explanation.notes.map((n) => `  note: ${n}`),
            ].join('\n'),
        );
      },
    );
}

/**
 * The words a file's `type` may use for each kind, case and spaces aside: files made by other
 * systems say `Person`, `individual`, `Company`, `organisation` or `LegalEntity` for the same thing.
 */
const KIND_WORDS: Readonly<Record<string, NameKind | 'unknown'>> = {
  person: 'person',
  individual: 'person',
  naturalperson: 'person',
  people: 'person',
  human: 'person',
  organization: 'organization',
  organisation: 'organization',
  org: 'organization',
  company: 'organization',
  corporation: 'organization',
  business: 'organization',
  entity: 'organization',
  legalentity: 'organization',
  legalperson: 'organization',
  unknown: 'unknown',
  any: 'unknown',
};

function kindOf(value: unknown, line: number): NameKind | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const kind =
    typeof value === 'string' ? KIND_WORDS[value.toLowerCase().replace(/[\s_-]+/g, '')] : undefined;
  if (kind !== undefined) return kind === 'unknown' ? undefined : kind;
  throw invalid(
    'screen.invalid_type',
    `${line ? `line ${line}: ` : ''}type must be person or organization (or individual, company, entity, organisation, unknown)`,
    { field: 'type', line },
  );
}

function checkQuery(
  r: { name?: unknown; type?: unknown; country?: unknown; dob?: unknown },
  where: string | number,
) {
  const at = typeof where === 'number' ? `line ${where}: ` : '';
  const line = typeof where === 'number' ? where : undefined;
  if (typeof r.name !== 'string' || r.name.trim() === '')
    throw invalid('screen.invalid_name', `${at}name must be a non-empty string`, { field: 'name', line });
  if (r.name.length > 500)
    throw invalid('screen.invalid_name', `${at}name is longer than 500 characters`, { field: 'name', line });
  if (r.country !== undefined && (typeof r.country !== 'string' || !/^[A-Za-z]{2}$/.test(r.country))) {
    throw invalid('screen.invalid_country', `${at}country must be an ISO 3166-1 alpha-2 code`, {
      field: 'country',
      line,
    });
  }
  if (r.dob !== undefined && (typeof r.dob !== 'string' || !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(r.dob))) {
    throw invalid('screen.invalid_dob', `${at}dob must be YYYY, YYYY-MM or YYYY-MM-DD`, {
      field: 'dob',
      line,
    });
  }
  return {
    name: r.name,
    kind: kindOf(r.type, typeof where === 'number' ? where : 0),
    country: typeof r.country === 'string' ? r.country.toUpperCase() : undefined,
    dob: r.dob as string | undefined,
  };
}

async function bulkScreen(
  screening: ScreeningService,
  out: Output,
  input: string,
  output: string,
  strict: boolean,
) {
  await screening.snapshot(); // build the index before the clock starts
  await bulk(input, output, strict, out, async (row, line) => {
    const r = row as Record<string, unknown>;
    const id = r.id ?? null;
    if (typeof r.address === 'string') {
      const res = (
        await screening.screenAddresses([
          { address: r.address, chain: typeof r.chain === 'string' ? r.chain : undefined },
        ])
      ).results[0];
      if (!res?.ok)
        throw invalid(
          res?.code ?? 'address.invalid_format',
          `line ${line}: ${res && !res.ok ? res.reason : 'invalid address'}`,
          { line },
        );
      return { id, address: res.normalized, chain: res.chain, hits: res.hits };
    }
    const query = checkQuery(r, line);
    const res = await screening.screenNames([query]);
    return {
      id,
      matches: (res.results[0]?.matches ?? []).map((m) => ({
        entityId: m.entityId,
        list: m.source,
        name: m.name,
        matchedName: m.matchedName,
        score: Math.round(m.score * 10_000) / 10_000,
        decision: m.decision,
      })),
    };
  });
}

/**
 * Reads JSON Lines, maps each object, writes one JSON line per input line that could be read. A
 * malformed line is reported on stderr with its number and skipped, unless `strict`.
 */
async function bulk(
  input: string,
  output: string,
  strict: boolean,
  out: Output,
  map: (row: unknown, line: number) => unknown,
) {
  const stream = createReadStream(input, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (err) =>
      reject(
        invalid(
          'cli.unreadable_input',
          `${input}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : err.message}`,
          { file: input },
        ),
      ),
    );
  });
  await opened;
  const sink = createWriteStream(output);
  const progress = createProgress('screen', 0, { json: out.json });
  let line = 0;
  let ok = 0;
  const errors: { line: number; message: string }[] = [];
  try {
    for await (const text of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
      line++;
      if (text.trim() === '') continue;
      let result: unknown;
      try {
        let row: unknown;
        try {
          row = JSON.parse(text);
        } catch {
          throw invalid('bulk.malformed_line', `line ${line}: not valid JSON`, { line });
        }
        if (!row || typeof row !== 'object' || Array.isArray(row))
          throw invalid('bulk.malformed_line', `line ${line}: not a JSON object`, { line });
        result = await map(row, line);
      } catch (err) {
        if (strict || !(err instanceof CordonError)) throw err;
        errors.push({ line, message: err.message });
        out.note(`${input}:${line}: ${err.message.replace(/^line \d+: /, '')} (skipped)`);
        continue;
      }
      ok++;
      if (!sink.write(`${JSON.stringify(result)}\n`)) await once(sink, 'drain');
      if (ok % 1000 === 0) progress.update(ok, ok);
    }
  } finally {
    progress.stop();
    sink.end();
    await once(sink, 'finish');
  }
  out.result(
    { input, output, lines: line, written: ok, errors },
    (v) =>
      `${v.written} result(s) written to ${v.output}${v.errors.length ? `; ${v.errors.length} line(s) skipped` : ''}`,
  );
}
