/**
 * # Address attributions CSV
 *
 * A file of chain addresses attributed to entities or clusters, from an analytics vendor, a report or
 * an investigation. UTF-8, comma-separated, RFC 4180 quoting, one header row:
 *
 * ```csv
 * chain,address,entity,category,source,confidence,valid_from,valid_to
 * TRX,TAQPzv9941nVuTj4ng2vd6L11Re57r42pW,Xinbi Guarantee,guarantee-marketplace,OFAC SDN (TCO),1,,
 * ETH,0x8589427373d6d84e98730d7795d8f6f8731fda16,Tornado Cash,mixer,etherscan label,0.8,2022-08-08,2025-03-21
 * ```
 *
 * | column | required | value |
 * |---|---|---|
 * | `chain` | yes | chain or currency code as the source gives it (`ETH`, `TRX`, `BTC`, `tron`, …) |
 * | `address` | yes | the address, as written on its chain (checksums are verified at import, not here) |
 * | `entity` | yes | the entity or cluster name, or the canonical id of a listed entity (`ofac-sdn:12345`) |
 * | `category` | yes | one of `ATTRIBUTION_CATEGORIES`: sanctioned, special-measures, scam, guarantee-marketplace, mixer, exchange, bridge, stolen-funds, ransomware, darknet-market, gambling, terrorist-financing, fraud-shop, other |
 * | `source` | yes | who says so: vendor, report, investigation id |
 * | `confidence` | yes | a number from 0 to 1 (`0`, `0.75`, `1`); percentages are refused |
 * | `valid_from` | no | ISO 8601 date (`2025-05-13`) or date-time with zone (`2025-05-13T08:00:00Z`) |
 * | `valid_to` | no | same; not before `valid_from` |
 *
 * The header must be exactly these names in this order; `valid_from` and `valid_to` may be left out
 * (the last one, or both). Every row has as many cells as the header; blank lines are skipped; cells
 * are trimmed. Any bad row refuses the file with an error naming the file, the line and the value.
 */
import {
  ATTRIBUTION_CATEGORIES,
  type Attribution,
  type AttributionCategory,
  type ListParser,
  type ListRecord,
} from '../../model.js';
import { parseError } from '../../parse-error.js';
import { csvRecords } from '../text-lines.js';

const COLUMNS = [
  'chain',
  'address',
  'entity',
  'category',
  'source',
  'confidence',
  'valid_from',
  'valid_to',
] as const;
const REQUIRED = 6;

/** Longest line accepted: attribution rows are short. */
const MAX_LINE_BYTES = 1024 * 1024;

const CATEGORIES: ReadonlySet<string> = new Set(ATTRIBUTION_CATEGORIES);

/** 0, 1, or a decimal fraction between them: `0.5`, `.5`, `1.0`. */
const CONFIDENCE = /^(?:[01](?:\.\d+)?|\.\d+)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)$/;

/**
 * Address attributions in the documented CSV shape
 * `chain,address,entity,category,source,confidence[,valid_from,valid_to]` (see the format at the top
 * of this file and docs/attributions.md). Yields one attribution per row.
 */
export const parseAttributionCsv: ListParser = async function* (files): AsyncIterable<ListRecord> {
  for (const file of files) {
    let columns = 0;
    for await (const { cells, line } of csvRecords(file, { maxLineBytes: MAX_LINE_BYTES })) {
      if (columns === 0) {
        columns = checkHeader(file.name, cells, line);
        continue;
      }
      yield { type: 'attribution', attribution: toAttribution(file.name, cells, line) };
    }
    if (columns === 0) throw parseError(file.name, 'the file is empty; expected the header line');
  }
};

function checkHeader(file: string, cells: string[], line: number): number {
  const got = cells.map((c) => c.trim());
  const ok = got.length >= REQUIRED && got.length <= COLUMNS.length && got.every((c, i) => c === COLUMNS[i]);
  if (ok) return got.length;
  const known: readonly string[] = COLUMNS;
  const missing = known.slice(0, REQUIRED).filter((c) => !got.includes(c));
  const unexpected = got.filter((c) => !known.includes(c));
  const problems: string[] = [];
  if (missing.length > 0)
    problems.push(`missing column(s) ${missing.map((c) => JSON.stringify(c)).join(', ')}`);
  if (unexpected.length > 0)
    problems.push(`unexpected column(s) ${unexpected.map((c) => JSON.stringify(c)).join(', ')}`);
  if (problems.length === 0) problems.push('columns out of order');
  throw parseError(
    file,
    `bad header: ${problems.join('; ')}; expected ${COLUMNS.slice(0, REQUIRED).join(',')}[,valid_from[,valid_to]]`,
    {
      line,
    },
  );
}

function toAttribution(file: string, cells: string[], line: number): Attribution {
  const [
    chain = '',
    address = '',
    entity = '',
    category = '',
    source = '',
    confidence = '',
    validFrom = '',
    validTo = '',
  ] = cells.map((c) => c.trim());
  const fail = (problem: string) => parseError(file, problem, { line });
  if (!chain) throw fail('chain is empty');
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]*$/.test(chain))
    throw fail(`chain ${JSON.stringify(chain)} is not a chain or currency code`);
  if (!address) throw fail('address is empty');
  if (/\s/.test(address)) throw fail(`address ${JSON.stringify(address)} contains white space`);
  if (!entity) throw fail('entity is empty');
  if (!CATEGORIES.has(category)) {
    throw fail(`category ${JSON.stringify(category)} is not one of ${ATTRIBUTION_CATEGORIES.join(', ')}`);
  }
  if (!source) throw fail('source is empty');
  if (!CONFIDENCE.test(confidence) || Number(confidence) > 1) {
    throw fail(`confidence ${JSON.stringify(confidence)} is not a number from 0 to 1`);
  }
  const a: Attribution = {
    chain,
    address,
    entity,
    category: category as AttributionCategory,
    source,
    confidence: Number(confidence),
  };
  if (validFrom) {
    if (!isIsoDate(validFrom)) throw fail(`valid_from ${JSON.stringify(validFrom)} is not an ISO 8601 date`);
    a.validFrom = validFrom;
  }
  if (validTo) {
    if (!isIsoDate(validTo)) throw fail(`valid_to ${JSON.stringify(validTo)} is not an ISO 8601 date`);
    if (validFrom && Date.parse(validTo) < Date.parse(validFrom)) {
      throw fail(`valid_to ${validTo} is before valid_from ${validFrom}`);
    }
    a.validTo = validTo;
  }
  return a;
}

/** `YYYY-MM-DD` or a date-time with a zone, with a day that exists in its month. */
function isIsoDate(text: string): boolean {
  const m = DATE.exec(text) ?? DATE_TIME.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
}
