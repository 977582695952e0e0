import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { isCordonError } from '../../../shared/errors.js';
import type { ListEntity, ListParser, ParseWarning, SourceFile } from '../model.js';

/** A source file read from disk in chunks, for tests that feed parsers real files. */
export function fileSource(path: string, name: string = basename(path)): SourceFile {
  return {
    name,
    async *open() {
      for await (const chunk of createReadStream(path)) yield chunk as Uint8Array;
    },
  };
}

/** A source file held in memory, for tests that feed parsers hand-made input. */
export function bytesSource(name: string, text: string | Uint8Array): SourceFile {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  return {
    name,
    async *open() {
      yield bytes;
    },
  };
}

/** A source file held in memory and read `size` bytes at a time, so chunks split lines and characters. */
export function chunkedSource(name: string, text: string | Uint8Array, size: number): SourceFile {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  return {
    name,
    async *open() {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    },
  };
}

/** The entities a parser yields for `files`, and the warnings it reports. */
export async function parseAll(
  parser: ListParser,
  files: SourceFile[],
): Promise<{ entities: ListEntity[]; warnings: ParseWarning[] }> {
  const entities: ListEntity[] = [];
  const warnings: ParseWarning[] = [];
  for await (const record of parser(files, (w) => warnings.push(w))) {
    if (record.type === 'entity') entities.push(record.entity);
  }
  return { entities, warnings };
}

/** Runs a parser until it throws: the ids of the entities yielded first, and the error thrown. */
export async function parseUntilError(
  parser: ListParser,
  files: SourceFile[],
): Promise<{ ids: string[]; error: unknown }> {
  const ids: string[] = [];
  try {
    for await (const record of parser(files, () => {})) {
      if (record.type === 'entity') ids.push(record.entity.sourceId);
    }
  } catch (error) {
    return { ids, error };
  }
  assert.fail(`expected a parse error, got ${ids.length} entities`);
}

/**
 * A check for `assert.rejects`: a `lists.parse_error` of kind `invalid` naming `file` (its message
 * starting with the file name), whose message matches `message`, at `line` and in an `element`
 * matching `where.element` when those are given.
 */
export function isParseError(
  file: string,
  message: RegExp,
  where: { line?: number; element?: RegExp } = {},
): (err: unknown) => true {
  return (err) => {
    assert.ok(isCordonError(err), `expected a CordonError, got ${String(err)}`);
    assert.equal(err.code, 'lists.parse_error');
    assert.equal(err.kind, 'invalid');
    assert.equal(err.details.file, file);
    assert.ok(err.message.startsWith(file), err.message);
    assert.match(err.message, message);
    if (where.line !== undefined) assert.equal(err.details.line, where.line);
    if (where.element) assert.match(String(err.details.element), where.element);
    return true;
  };
}
