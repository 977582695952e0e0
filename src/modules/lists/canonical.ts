import { createHash } from 'node:crypto';
import type { ListEntity } from './model.js';

/**
 * Canonical JSON: object keys sorted, `undefined` dropped, so the same content always serialises to
 * the same bytes, whatever order a parser filled the fields in. Content hashes are taken over it.
 */
export function canonicalJson(value: unknown): string {
  return write(value) ?? 'null';
}

/** Serialises without building sorted copies: one pass, strings through JSON.stringify. */
function write(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return JSON.stringify(value);
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'bigint':
      throw new TypeError('bigint has no JSON form');
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += write(value[i]) ?? 'null';
    }
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const v = write(obj[key]);
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${v}`;
    first = false;
  }
  return `${out}}`;
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
 * The content hash of a version: SHA-256 over the sorted entity hashes and attribution hashes, so it
 * depends on what the list says, not on file order, whitespace or a generation timestamp.
 */
export function contentHash(
  entityHashes: Iterable<[id: string, hash: string]>,
  attributionHashes: Iterable<string>,
): string {
  const lines: string[] = [];
  for (const [id, hash] of entityHashes) lines.push(`e ${id} ${hash}`);
  for (const a of attributionHashes) lines.push(`a ${a}`);
  lines.sort();
  const h = createHash('sha256');
  for (const line of lines) h.update(line).update('\n');
  return h.digest('hex');
}
