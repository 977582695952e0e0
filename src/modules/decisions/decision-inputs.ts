/**
 * The stored form of a decision's inputs (the context, the screening answers, the exposure reports
 * and the stored aggregates). What the service records is complete; the store keeps it without
 * what it can restore exactly, so every decision writes less:
 *
 * - the exposure categories that are not exposed (all 14 zero facts of an unexposed counterparty,
 *   ≈ 1 KB): when the map has every category of `EXPOSURE_CATEGORIES` (the context always does),
 *   only the others are stored, and a known category absent from the stored map is a zero fact;
 * - the list versions of the screening answer, which equal the decision's `listVersions` (kept in
 *   the stored answer): stored as the string `"listVersions"`;
 * - the `basis` of an exposure report when it is the sorted list of those same versions: stored as
 *   the string `"listVersions"` too.
 *
 * A compacted value carries `storedForm: 2`; anything else (rows written before, inputs of another
 * shape, or whose categories are not all there) is stored and read back as it is. `expandInputs` gives back what `compactInputs` was given,
 * with its keys in the order PostgreSQL's jsonb returns them (shorter keys first, then bytewise), so a
 * decision reads back the same, byte for byte, whichever form it was stored in.
 *
 * @example
 *   const stored = compactInputs(record.decision.inputs, record.decision.listVersions);
 *   // …written as jsonb, read back…
 *   expandInputs(readBack, response.listVersions); // deep-equals record.decision.inputs
 */
import { EXPOSURE_CATEGORIES, ZERO_CATEGORY_JSON } from './context.js';

/** The marker of the compact form. */
export const COMPACT_FORM = 2;

/** What stands for the decision's list versions in the compact form. */
const SAME_AS_LIST_VERSIONS = 'listVersions';

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const KNOWN = new Set<string>(EXPOSURE_CATEGORIES);

/** The fact of a category that is not exposed, as stored (integers are numbers in JSON). */
function isZeroFact(v: unknown): boolean {
  if (!isRecord(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 4 && v.exposed === false && v.direct === false && v.minHops === 0 && v.share === 0;
}

function zeroFact(): Json {
  return { share: 0, direct: false, exposed: false, minHops: 0 };
}

/** The list versions as an exposure report's `basis` lists them when they are the same ones. */
function versionsAsBasis(listVersions: Record<string, string>): string[] {
  return Object.values(listVersions).sort();
}

function sameStrings(a: unknown, b: readonly string[]): boolean {
  return Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameVersions(a: unknown, b: Record<string, string>): boolean {
  if (!isRecord(a)) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

/** The inputs to store: without what `expandInputs` restores exactly (see above). */
export function compactInputs(inputs: unknown, listVersions: Record<string, string>): unknown {
  if (!isRecord(inputs) || Object.hasOwn(inputs, 'storedForm')) return inputs;
  // Only the decision service's shape, whose categories are always all there (so the reader may add
  // back every known category that is missing); anything else is stored as it is.
  const context = inputs.context;
  if (!isRecord(context) || !isRecord(context.exposure)) return inputs;
  const exposure = context.exposure;
  const all = exposure.categories;
  if (!isRecord(all) || !EXPOSURE_CATEGORIES.every((c) => Object.hasOwn(all, c))) return inputs;

  const categories: Json = {};
  for (const k of Object.keys(all)) {
    const v = all[k];
    if (!(KNOWN.has(k) && (v === ZERO_CATEGORY_JSON || isZeroFact(v)))) categories[k] = v;
  }
  const out: Json = { ...inputs, context: { ...context, exposure: { ...exposure, categories } } };

  const screening = inputs.screening;
  if (
    isRecord(screening) &&
    Object.hasOwn(screening, 'results') &&
    sameVersions(screening.versions, listVersions)
  )
    out.screening = { ...screening, versions: SAME_AS_LIST_VERSIONS };

  if (Array.isArray(inputs.exposure)) {
    const basis = versionsAsBasis(listVersions);
    out.exposure = inputs.exposure.map((r: unknown) =>
      basis.length > 0 && isRecord(r) && sameStrings(r.basis, basis)
        ? { ...r, basis: SAME_AS_LIST_VERSIONS }
        : r,
    );
  }
  out.storedForm = COMPACT_FORM;
  return out;
}

/**
 * The inputs as recorded, from their stored form (either form) and the decision's list versions
 * (from its stored answer). Compact values come back with their keys in jsonb order.
 */
export function expandInputs(stored: unknown, listVersions: Record<string, string>): unknown {
  if (!isRecord(stored) || stored.storedForm !== COMPACT_FORM) return stored;
  const { storedForm: _, ...out } = stored;

  const context = out.context;
  const exposure = isRecord(context) ? context.exposure : undefined;
  if (isRecord(context) && isRecord(exposure) && isRecord(exposure.categories)) {
    const categories: Json = { ...exposure.categories };
    for (const c of EXPOSURE_CATEGORIES) if (!Object.hasOwn(categories, c)) categories[c] = zeroFact();
    out.context = { ...context, exposure: { ...exposure, categories } };
  }

  const screening = out.screening;
  if (isRecord(screening) && screening.versions === SAME_AS_LIST_VERSIONS)
    out.screening = { ...screening, versions: { ...listVersions } };

  if (Array.isArray(out.exposure)) {
    const basis = versionsAsBasis(listVersions);
    out.exposure = out.exposure.map((r: unknown) =>
      isRecord(r) && r.basis === SAME_AS_LIST_VERSIONS ? { ...r, basis: [...basis] } : r,
    );
  }
  return jsonbOrder(out);
}

/** Compares object keys as jsonb orders them: by length in bytes, then byte by byte. */
function jsonbKeyOrder(a: string, b: string): number {
  const la = Buffer.byteLength(a);
  const lb = Buffer.byteLength(b);
  if (la !== lb) return la - lb;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** A copy of a JSON value with every object's keys in jsonb order (what the store returns). */
export function jsonbOrder(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(jsonbOrder);
  if (!isRecord(v)) return v;
  const out: Json = {};
  for (const k of Object.keys(v).sort(jsonbKeyOrder)) out[k] = jsonbOrder(v[k]);
  return out;
}
