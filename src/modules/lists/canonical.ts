import { createHash } from 'node:crypto';
import type { Attribution, ListEntity } from './model.js';

/**
 * Canonical JSON: object keys sorted, `undefined` dropped, so the same content always serialises to
 * the same bytes, whatever order a parser filled the fields in. Content hashes are taken over it.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** SHA-256 hex of a string. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The hash of one entity: equal entities hash equal across versions; a change changes it. */
export function entityHash(entity: ListEntity): { json: string; hash: string } {
  const json = canonicalJson(entity);
  return { json, hash: sha256Hex(json) };
}

/**
 * The content hash of a version: SHA-256 over the sorted entity hashes and attribution lines, so it
 * depends on what the list says, not on file order, whitespace or a generation timestamp.
 */
export function contentHash(
  entityHashes: Iterable<[id: string, hash: string]>,
  attributions: Iterable<Attribution>,
): string {
  const lines: string[] = [];
  for (const [id, hash] of entityHashes) lines.push(`e ${id} ${hash}`);
  for (const a of attributions) lines.push(`a ${canonicalJson(a)}`);
  lines.sort();
  const h = createHash('sha256');
  for (const line of lines) h.update(line).update('\n');
  return h.digest('hex');
}
