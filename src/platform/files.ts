import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { CordonError } from '../shared/errors.js';

/** A file on disk as a parser input: its name and a stream of its bytes (opened on demand). */
export interface LocalFile {
  name: string;
  path: string;
  bytes: number;
  open(): AsyncIterable<Uint8Array>;
}

/** Opens a local file for streaming parsers; a missing path or a folder is a clear `invalid` error. */
export function localFile(path: string): LocalFile {
  let bytes: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error('not a regular file');
    bytes = st.size;
  } catch (err) {
    throw new CordonError(
      'invalid',
      'file.unreadable',
      `${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
      {
        file: path,
      },
    );
  }
  return {
    name: basename(path),
    path,
    bytes,
    open: () => createReadStream(path, { highWaterMark: 256 * 1024 }),
  };
}
