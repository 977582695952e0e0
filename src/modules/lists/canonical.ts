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
  const json = canonicalEntityJson(entity);
  return { json, hash: sha256Hex(json) };
}

// The model's fields in sorted order, per shape: an entity is rebuilt with its keys in this order
// and serialised natively, which is several times faster than sorting keys generically.
const ENTITY_KEYS = [
  'addresses',
  'countries',
  'cryptoAddresses',
  'dates',
  'delistedOn',
  'gender',
  'id',
  'identifiers',
  'kind',
  'listedOn',
  'names',
  'placesOfBirth',
  'programs',
  'relations',
  'remarks',
  'source',
  'sourceId',
  'sourceUrl',
] as const;
const NESTED_KEYS: Partial<Record<(typeof ENTITY_KEYS)[number], readonly string[]>> = {
  addresses: ['city', 'country', 'full', 'postalCode', 'region', 'street'],
  countries: ['country', 'role'],
  cryptoAddresses: ['address', 'currency'],
  dates: ['kind', 'note', 'value'],
  identifiers: ['issuer', 'type', 'value'],
  names: ['kind', 'lang', 'value'],
  relations: ['note', 'target', 'type'],
};
const KNOWN = new Set<string>(ENTITY_KEYS);

/**
 * `canonicalJson` for a ListEntity, fast path: the same bytes as the generic function for every
 * entity made of the model's fields; anything else (an unexpected field) takes the generic path.
 */
export function canonicalEntityJson(entity: ListEntity): string {
  const e = entity as unknown as Record<string, unknown>;
  for (const k in e) if (!KNOWN.has(k)) return canonicalJson(entity);
  const out: Record<string, unknown> = {};
  for (const key of ENTITY_KEYS) {
    const v = e[key];
    if (v === undefined) continue;
    const nested = NESTED_KEYS[key];
    if (nested && Array.isArray(v)) {
      const items: unknown[] = [];
      for (const item of v) {
        const o = item as Record<string, unknown>;
        let count = 0;
        for (const k in o) if (o[k] !== undefined) count++;
        const copy: Record<string, unknown> = {};
        let copied = 0;
        for (const k of nested) {
          if (o[k] !== undefined) {
            copy[k] = o[k];
            copied++;
          }
        }
        if (copied !== count) return canonicalJson(entity); // a field outside the model
        items.push(copy);
      }
      out[key] = items;
    } else out[key] = v;
  }
  return JSON.stringify(out);
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
