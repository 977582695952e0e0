import { Buffer } from 'node:buffer';
import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type YAMLMap } from 'yaml';
import type { AttributionCategory, ListParser, ListRecord, ParseWarning, SourceFile } from '../../model.js';
import { parseError } from '../../parse-error.js';

/** TagPacks are small; a larger file is refused before it is parsed. */
const MAX_BYTES = 50 * 1024 * 1024;

/**
 * GraphSense concepts (entity and abuse taxonomies, plus common spellings) → our categories.
 * Concepts that say what an actor is but not that it is illicit (`user`, `service`, `shop`,
 * `wallet_service`, `perpetrator` …) map to `other`: the `abuse` field says what was done.
 */
export const TAGPACK_CATEGORIES: Readonly<Record<string, AttributionCategory>> = {
  sanction: 'sanctioned',
  sanctioned: 'sanctioned',
  sanctions: 'sanctioned',
  special_measures: 'special-measures',
  scam: 'scam',
  phishing: 'scam',
  fraud: 'scam',
  investment_fraud: 'scam',
  ponzi_scheme: 'scam',
  pyramid_scheme: 'scam',
  extortion: 'scam',
  sextortion: 'scam',
  pig_butchering: 'scam',
  guarantee: 'guarantee-marketplace',
  guarantee_marketplace: 'guarantee-marketplace',
  mixing_service: 'mixer',
  mixer: 'mixer',
  coinjoin: 'mixer',
  tumbler: 'mixer',
  exchange: 'exchange',
  defi_dex: 'exchange',
  dex: 'exchange',
  atm: 'exchange',
  bridge: 'bridge',
  defi_bridge: 'bridge',
  hacker: 'stolen-funds',
  hack: 'stolen-funds',
  service_hack: 'stolen-funds',
  theft: 'stolen-funds',
  stolen_funds: 'stolen-funds',
  exploit: 'stolen-funds',
  ransomware: 'ransomware',
  darknet_market: 'darknet-market',
  dark_web: 'darknet-market',
  darkweb: 'darknet-market',
  darknet: 'darknet-market',
  gambling: 'gambling',
  casino: 'gambling',
  terrorism: 'terrorist-financing',
  terrorist_financing: 'terrorist-financing',
  extremism: 'terrorist-financing',
  fraud_shop: 'fraud-shop',
  carding: 'fraud-shop',
  carding_shop: 'fraud-shop',
  // Known concepts that carry no risk category of their own.
  entity: 'other',
  organization: 'other',
  user: 'other',
  service: 'other',
  perpetrator: 'other',
  victim: 'other',
  donation: 'other',
  wallet_service: 'other',
  escrow_wallet: 'other',
  ico_wallet: 'other',
  cold_wallet: 'other',
  filesharing: 'other',
  index: 'other',
  market: 'other',
  messaging_service: 'other',
  miner: 'other',
  mining_service: 'other',
  search_engine: 'other',
  shop: 'other',
  faucet: 'other',
  payment_processor: 'other',
  hosting: 'other',
  vpn: 'other',
  defi: 'other',
  defi_lending: 'other',
  defi_derivative: 'other',
  item: 'other',
  collectible: 'other',
  other: 'other',
};

/** When a tag maps to several categories, the first of this order wins. */
const SEVERITY: readonly AttributionCategory[] = [
  'sanctioned',
  'terrorist-financing',
  'special-measures',
  'ransomware',
  'stolen-funds',
  'darknet-market',
  'scam',
  'fraud-shop',
  'guarantee-marketplace',
  'mixer',
  'gambling',
  'bridge',
  'exchange',
  'other',
];

/**
 * GraphSense confidence names → 0..1: GraphSense's own levels (tagpack-tool `confidence.csv`,
 * 0..100) divided by 100. A tag without any confidence is taken as `unknown`.
 */
export const TAGPACK_CONFIDENCE: Readonly<Record<string, number>> = {
  override: 1,
  ownership: 1,
  manual_transaction: 0.9,
  service_api: 0.7,
  authority_data: 0.6,
  trusted_provider: 0.5,
  service_data: 0.5,
  forensic: 0.5,
  untrusted_transaction: 0.4,
  web_crawl: 0.2,
  heuristic: 0.1,
  unknown: 0.05,
};

type Fields = Record<string, string | string[]>;

/**
 * GraphSense TagPack YAML: header fields (`title`, `creator`, `source`, `currency`, `category`,
 * `abuse`, `confidence`, `label`, `lastmod`, `is_public` …) apply to every item of `tags:` unless the
 * item sets its own. Each tag with an address becomes an attribution: entity = label, chain =
 * `network` or else `currency`, category from `abuse`, `concepts` and `category` via
 * TAGPACK_CATEGORIES (most severe wins; a pack with no risk concept whose label or title names a
 * sanctions list is `sanctioned`), confidence via TAGPACK_CONFIDENCE or a number (0..1, or 0..100
 * divided by 100). Files over 50 MB are refused.
 */
export const parseTagpackYaml: ListParser = async function* (files, warn): AsyncIterable<ListRecord> {
  for (const file of files) yield* parseOne(file, await readText(file), warn);
};

function* parseOne(file: SourceFile, text: string, warn: (w: ParseWarning) => void): Generator<ListRecord> {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    schema: 'failsafe',
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const firstError = doc.errors[0];
  if (firstError) {
    const line = firstError.linePos?.[0].line ?? lines.linePos(firstError.pos[0]).line;
    throw parseError(file.name, `invalid YAML: ${firstError.message.split('\n')[0]}`, { line });
  }
  const lineOf = (node: Node | null | undefined): { line?: number } => {
    const start = node?.range?.[0];
    return start === undefined ? {} : { line: lines.linePos(start).line };
  };
  const root = doc.contents;
  if (!isMap(root))
    throw parseError(file.name, 'not a TagPack: the document is not a mapping of header fields and tags');
  const header = fieldsOf(root);
  const tags = root.get('tags', true);
  if (!isSeq(tags)) throw parseError(file.name, 'not a TagPack: no "tags:" list', lineOf(root));

  const unknownConcepts = new Set<string>();
  let noConfidence = 0;
  let noAddress = 0;
  let fallbackSource = 0;
  for (const [index, raw] of tags.items.entries()) {
    const node = isAlias(raw) ? raw.resolve(doc) : raw;
    const where = lineOf(isAlias(raw) ? raw : (node as Node | undefined));
    if (!isMap(node)) throw parseError(file.name, `tags[${index}] is not a mapping`, where);
    const tag: Fields = { ...header, ...fieldsOf(node) };
    const fail = (problem: string) => parseError(file.name, `tags[${index}]: ${problem}`, where);

    const address = text1(tag.address);
    if (!address) {
      noAddress++;
      continue;
    }
    const chain = text1(tag.network) ?? text1(tag.currency);
    if (!chain) throw fail('no currency (or network) for the address');
    const entity = text1(tag.label);
    if (!entity) throw fail('no label');
    let source = text1(tag.source);
    if (!source) {
      source = text1(tag.title) ?? text1(tag.creator) ?? file.name;
      fallbackSource++;
    }

    const concepts = [tag.abuse, tag.concepts, tag.category].flatMap((v) =>
      v === undefined ? [] : Array.isArray(v) ? v : [v],
    );
    let category: AttributionCategory = 'other';
    let rank = SEVERITY.indexOf('other');
    for (const concept of concepts) {
      const key = concept
        .trim()
        .toLowerCase()
        .replace(/[\s-]+/g, '_');
      if (!key) continue;
      const mapped = Object.hasOwn(TAGPACK_CATEGORIES, key) ? TAGPACK_CATEGORIES[key] : undefined;
      if (!mapped) {
        unknownConcepts.add(concept);
        continue;
      }
      const r = SEVERITY.indexOf(mapped);
      if (r < rank) {
        category = mapped;
        rank = r;
      }
    }
    if (category === 'other' && /\bsanction/i.test(`${text1(tag.label) ?? ''} ${text1(tag.title) ?? ''}`))
      category = 'sanctioned';

    const confidenceText = text1(tag.confidence);
    let confidence: number;
    if (confidenceText === undefined) {
      noConfidence++;
      confidence = TAGPACK_CONFIDENCE.unknown as number;
    } else {
      const c = confidenceOf(confidenceText);
      if (c === undefined) {
        throw fail(
          `confidence ${JSON.stringify(confidenceText)} is neither a number (0..1 or 0..100) nor one of ${Object.keys(TAGPACK_CONFIDENCE).join(', ')}`,
        );
      }
      confidence = c;
    }

    yield { type: 'attribution', attribution: { chain, address, entity, category, source, confidence } };
  }

  if (noAddress > 0)
    warn({
      file: file.name,
      message: `${noAddress} tag(s) without an address (e.g. transaction tags) skipped`,
    });
  if (noConfidence > 0) {
    warn({
      file: file.name,
      message: `${noConfidence} tag(s) give no confidence; taken as "unknown" (${TAGPACK_CONFIDENCE.unknown})`,
    });
  }
  if (fallbackSource > 0) {
    warn({
      file: file.name,
      message: `${fallbackSource} tag(s) give no source; the pack's title or creator stands in`,
    });
  }
  for (const concept of unknownConcepts) {
    warn({
      file: file.name,
      message: `unknown GraphSense concept ${JSON.stringify(concept)}; counted as "other"`,
    });
  }
}

/** A confidence name or number → 0..1, or undefined when it is neither. */
function confidenceOf(text: string): number | undefined {
  const key = text.trim().toLowerCase();
  if (Object.hasOwn(TAGPACK_CONFIDENCE, key)) return TAGPACK_CONFIDENCE[key];
  if (!/^\d+(?:\.\d+)?$|^\.\d+$/.test(key)) return undefined;
  const n = Number(key);
  if (n <= 1) return n;
  if (n <= 100) return n / 100;
  return undefined;
}

/** A mapping's scalar fields as strings and its lists of scalars as string arrays (`tags` excluded). */
function fieldsOf(map: YAMLMap): Fields {
  const out: Fields = {};
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (!key || key === 'tags') continue;
    const value = pair.value;
    if (isScalar(value) && value.value !== null && value.value !== undefined) out[key] = String(value.value);
    else if (isSeq(value))
      out[key] = value.items.flatMap((v) => (isScalar(v) && v.value != null ? [String(v.value)] : []));
  }
  return out;
}

function text1(value: string | string[] | undefined): string | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  return v ? v : undefined;
}

/** The whole file as text: at most MAX_BYTES, strictly UTF-8 (a bad byte names its line). */
async function readText(file: SourceFile): Promise<string> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of file.open()) {
    total += chunk.byteLength;
    if (total > MAX_BYTES)
      throw parseError(
        file.name,
        `larger than ${MAX_BYTES / 1024 / 1024} MB; TagPacks are expected to be small`,
      );
    chunks.push(chunk);
  }
  const bytes = Buffer.concat(chunks);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    return decoder.decode(bytes);
  } catch {
    let line = 1;
    let start = 0;
    for (let nl = bytes.indexOf(10); ; nl = bytes.indexOf(10, start)) {
      const end = nl < 0 ? bytes.length : nl;
      try {
        decoder.decode(bytes.subarray(start, end));
      } catch {
        break;
      }
      if (nl < 0) break;
      start = nl + 1;
      line++;
    }
    throw parseError(file.name, 'invalid UTF-8', { line });
  }
}
