import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { SourceFile } from '../model.js';

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
