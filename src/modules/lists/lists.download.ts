import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { localFile } from '../../platform/files.js';
import { CordonError } from '../../shared/errors.js';
import { formatByName } from './formats.js';
import type { ImportResult, ListService } from './lists.service.js';
import type { ListSourceConfig } from './sources.js';

/** The outcome of updating one source: imported, or failed with the active version kept. */
export type UpdateOutcome =
  | { source: string; ok: true; result: ImportResult }
  | { source: string; ok: false; error: string };

/** Downloads official lists and imports them. */
export interface ListUpdater {
  update(source?: string): Promise<UpdateOutcome[]>;
}

/**
 * Fetches each configured source's files to a temporary folder (streaming, size-limited, with a
 * timeout), then imports them as one atomic version. Any failure — network, HTTP status, size,
 * parse error — is reported for that source and leaves its active version untouched.
 */
export function createListUpdater(deps: {
  lists: ListService;
  sources: readonly ListSourceConfig[];
  maxFileBytes: number;
  timeoutMs: number;
  importedBy: string;
}): ListUpdater {
  return {
    async update(only) {
      const selected = deps.sources.filter((s) => !only || s.source === only);
      if (only && selected.length === 0) {
        throw new CordonError(
          'not_found',
          'lists.unknown_source',
          `no download configured for source ${only}; known: ${deps.sources.map((s) => s.source).join(', ')}`,
          {
            source: only,
          },
        );
      }
      const outcomes: UpdateOutcome[] = [];
      for (const src of selected) {
        const dir = mkdtempSync(join(tmpdir(), `cordon-update-${src.source}-`));
        try {
          const format = formatByName(src.format);
          const files = [];
          for (const [i, url] of src.urls.entries()) {
            const name = fileNameOf(url, i);
            const path = join(dir, name);
            await download(url, path, deps.maxFileBytes, deps.timeoutMs);
            files.push(localFile(path));
          }
          // A publisher's own malformed address must not keep the whole official list out: it is
          // skipped and recorded as a warning on the version.
          const result = await deps.lists.importFiles({
            format,
            source: src.source,
            files,
            importedBy: deps.importedBy,
            maxFileBytes: deps.maxFileBytes,
            skipInvalidAddresses: true,
          });
          outcomes.push({ source: src.source, ok: true, result });
        } catch (err) {
          outcomes.push({ source: src.source, ok: false, error: (err as Error).message });
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
      return outcomes;
    },
  };
}

function fileNameOf(url: string, index: number): string {
  const last = new URL(url).pathname.split('/').filter(Boolean).pop() ?? `file-${index}`;
  return /^[\w.-]{1,100}$/.test(last) ? last : `file-${index}`;
}

async function download(url: string, path: string, maxBytes: number, timeoutMs: number): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (err) {
    throw new CordonError(
      'unavailable',
      'lists.download_failed',
      `${url}: ${(err as Error).cause ? String((err as Error & { cause: Error }).cause.message) : (err as Error).message}`,
      { url },
    );
  }
  if (!res.ok || !res.body) {
    throw new CordonError('unavailable', 'lists.download_failed', `${url}: HTTP ${res.status}`, {
      url,
      status: res.status,
    });
  }
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > maxBytes)
    throw new CordonError(
      'invalid',
      'lists.file_too_large',
      `${url}: ${declared} bytes is over the limit of ${maxBytes}`,
      { url },
    );
  let seen = 0;
  const limited = async function* (source: AsyncIterable<Uint8Array>) {
    for await (const chunk of source) {
      seen += chunk.byteLength;
      if (seen > maxBytes)
        throw new CordonError(
          'invalid',
          'lists.file_too_large',
          `${url}: over the limit of ${maxBytes} bytes`,
          { url },
        );
      yield chunk;
    }
  };
  await pipeline(
    Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>),
    limited,
    createWriteStream(path),
  );
}
