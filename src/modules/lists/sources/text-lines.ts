import { Buffer } from 'node:buffer';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import type { SourceFile } from '../model.js';
import { parseError } from '../parse-error.js';

/** Longest line `readLines` accepts unless told otherwise, so a file without newlines cannot exhaust memory. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** Options of `readLines` and `csvRecords`. */
export interface LineOptions {
  /** Longest line accepted, in bytes (default `MAX_LINE_BYTES`). */
  maxLineBytes?: number;
}

/**
 * The lines of a UTF-8 text file in order, without their line ends (LF or CRLF) and without a
 * byte order mark at the start; line N is the Nth string yielded, and an empty file has none.
 * Bytes are split at LF and each line decoded strictly, so bytes that are not UTF-8, a NUL byte
 * and a line longer than `maxLineBytes` are parse errors naming the file and the line.
 */
export async function* readLines(file: SourceFile, options: LineOptions = {}): AsyncGenerator<string> {
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let line = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const decode = (bytes: Uint8Array): string => {
    line++;
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      throw parseError(file.name, 'invalid UTF-8', { line });
    }
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return text.charCodeAt(text.length - 1) === 13 /* \r */ ? text.slice(0, -1) : text;
  };
  const binary = () => parseError(file.name, 'binary content (NUL byte), not text', { line: line + 1 });
  for await (const chunk of file.open()) {
    const nul = chunk.indexOf(0);
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      if (nul >= start && nul < nl) throw binary();
      let bytes = chunk.subarray(start, nl);
      if (pendingBytes > 0) {
        pending.push(bytes);
        bytes = Buffer.concat(pending);
        pending = [];
        pendingBytes = 0;
      }
      yield decode(bytes);
      start = nl + 1;
    }
    if (start < chunk.length) {
      if (nul >= start) throw binary();
      pending.push(chunk.slice(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes > maxLineBytes)
        throw parseError(file.name, `line longer than ${maxLineBytes} bytes`, { line: line + 1 });
    }
  }
  if (pendingBytes > 0) yield decode(Buffer.concat(pending));
}

/**
 * The records of a CSV file with the line each ends on, read through `readLines` (so a bad byte
 * names its line); blank lines are skipped and a CSV syntax error names the file and line.
 */
export async function* csvRecords(
  file: SourceFile,
  options: LineOptions = {},
): AsyncGenerator<{ cells: string[]; line: number }> {
  const parser = parse({ info: true, skip_empty_lines: true });
  const text = Readable.from(
    (async function* () {
      for await (const line of readLines(file, options)) yield `${line}\n`;
    })(),
  );
  pipeline(text, parser).catch(() => {});
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { cells: item.record, line: item.info.lines };
    }
  } catch (err) {
    if (err instanceof CsvError) {
      const line = typeof err.lines === 'number' ? err.lines : undefined;
      throw parseError(file.name, err.message, line === undefined ? {} : { line });
    }
    throw err;
  }
}
