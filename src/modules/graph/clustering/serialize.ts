/**
 * The merge log as JSON Lines: one merge per line, exactly the evidence object (`MergeEvidence`),
 * amounts as decimal strings. Written by `Clusterer.exportLog`, read back by `restoreClusterer`;
 * the persisted log is the clusterer's whole durable state.
 */

import { invalid } from '../../../shared/errors.js';
import { MERGE_HEURISTICS, type MergeEvidence, type MergeHeuristic } from './model.js';

/** One merge as a JSON line (no trailing newline). */
export function mergeToLine(m: MergeEvidence): string {
  return JSON.stringify(m);
}

/**
 * Reads one line of a merge log, checking the fields restore relies on. Throws a CordonError
 * (`invalid`, `clustering.bad_log_line`) naming the line and the field.
 */
export function parseMergeLine(text: string, line: number): MergeEvidence {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw badLine(line, '(line)', `not JSON (${(e as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw badLine(line, '(line)', 'not an object');
  const o = raw as Record<string, unknown>;
  if (typeof o.id !== 'number' || !Number.isSafeInteger(o.id) || o.id < 1) {
    throw badLine(line, 'id', 'must be a positive integer');
  }
  if (!MERGE_HEURISTICS.includes(o.heuristic as MergeHeuristic)) {
    throw badLine(line, 'heuristic', `must be one of ${MERGE_HEURISTICS.join(', ')}`);
  }
  if (typeof o.tx !== 'string') throw badLine(line, 'tx', 'must be a string');
  if (
    !Array.isArray(o.addresses) ||
    o.addresses.length < 2 ||
    !o.addresses.every((a) => typeof a === 'string' && a !== '') ||
    !distinct(o.addresses as string[])
  ) {
    throw badLine(line, 'addresses', 'must hold at least two distinct address keys');
  }
  if (typeof o.timestamp !== 'number' || !Number.isFinite(o.timestamp))
    throw badLine(line, 'timestamp', 'must be a number');
  if (o.status !== 'active' && o.status !== 'undone')
    throw badLine(line, 'status', 'must be active or undone');
  if (typeof o.detail !== 'object' || o.detail === null) throw badLine(line, 'detail', 'must be an object');
  const detail = o.detail as Record<string, unknown>;
  if (
    o.heuristic === 'common-input' &&
    (typeof detail.chain !== 'string' ||
      !Number.isSafeInteger(detail.inputs) ||
      !Number.isSafeInteger(detail.outputs))
  ) {
    throw badLine(line, 'detail', 'a common-input merge needs { chain, inputs, outputs }');
  }
  if (o.heuristic === 'deposit-reuse' && typeof detail.depositAddress !== 'string') {
    throw badLine(line, 'detail.depositAddress', 'must be a string');
  }
  if (o.status === 'undone') {
    const u = o.undone as Record<string, unknown> | undefined;
    if (typeof u !== 'object' || u === null || typeof u.reason !== 'string') {
      throw badLine(line, 'undone', 'an undone merge needs { reason }');
    }
  }
  return o as unknown as MergeEvidence;
}

function badLine(line: number, field: string, message: string) {
  return invalid('clustering.bad_log_line', `merge log line ${line}: ${field}: ${message}`, { line, field });
}

function distinct(xs: readonly string[]): boolean {
  if (xs.length > 16) return new Set(xs).size === xs.length;
  for (let i = 1; i < xs.length; i++) if (xs.indexOf(xs[i] as string) < i) return false;
  return true;
}
