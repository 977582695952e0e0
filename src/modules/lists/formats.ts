import type { ListParser, SourceFile } from './model.js';
import { parseError } from './parse-error.js';
import { parseAttributionCsv } from './sources/attributions/csv.parse.js';
import { parseTagpackYaml } from './sources/attributions/tagpack.parse.js';
import { parseEuXml } from './sources/eu/xml.parse.js';
import { parseFincen311Csv } from './sources/fincen311/csv.parse.js';
import { parseFtmJsonl } from './sources/ftm/jsonl.parse.js';
import { parseOfacAdvancedXml } from './sources/ofac/advanced.parse.js';
import { parseOfacCsv } from './sources/ofac/csv.parse.js';
import { parseOfacXml } from './sources/ofac/xml.parse.js';
import { parseOfacCryptoList } from './sources/ofac-crypto/list.parse.js';
import { parseUkXml } from './sources/uk/xml.parse.js';
import { parseUnXml } from './sources/un/xml.parse.js';

/** A list format: its parser and the source name its versions go under unless told otherwise. */
export interface ListFormat {
  name: string;
  description: string;
  defaultSource: string;
  parse: ListParser;
}

/** Every format cordon reads, by name (`cordon lists import --format NAME`). */
export const FORMATS: Readonly<Record<string, ListFormat>> = Object.fromEntries(
  (
    [
      [
        'ofac-csv',
        'OFAC SDN legacy CSV family (sdn.csv, add.csv, alt.csv, sdn_comments.csv)',
        'ofac-sdn',
        parseOfacCsv,
      ],
      ['ofac-xml', 'OFAC SDN XML (sdn.xml)', 'ofac-sdn', parseOfacXml],
      ['ofac-advanced', 'OFAC SDN Advanced XML (sdn_advanced.xml)', 'ofac-sdn', parseOfacAdvancedXml],
      [
        'ofac-crypto',
        'OFAC digital currency address lists (sanctioned_addresses_<CUR>.txt or chain,address,name,program CSV)',
        'ofac-crypto',
        parseOfacCryptoList,
      ],
      ['un-xml', 'UN Security Council consolidated list XML', 'un-sc', parseUnXml],
      ['eu-xml', 'EU consolidated financial sanctions list XML (FSF)', 'eu-fsf', parseEuXml],
      ['uk-xml', 'UK sanctions list XML (FCDO/OFSI)', 'uk-sanctions', parseUkXml],
      ['fincen311-csv', 'FinCEN Section 311 special measures (curated CSV)', 'fincen-311', parseFincen311Csv],
      ['ftm', 'OpenSanctions FollowTheMoney JSON lines', 'opensanctions', parseFtmJsonl],
      [
        'attribution-csv',
        'address attributions CSV (chain,address,entity,category,source,confidence[,valid_from,valid_to])',
        'attributions',
        parseAttributionCsv,
      ],
      ['tagpack', 'GraphSense TagPack YAML', 'tagpacks', parseTagpackYaml],
    ] as const
  ).map(([name, description, defaultSource, parse]) => [name, { name, description, defaultSource, parse }]),
);

/** Looks a format up by name, with an error listing the known ones. */
export function formatByName(name: string): ListFormat {
  const f = FORMATS[name];
  if (!f) throw parseError(name, `unknown format; known formats: ${Object.keys(FORMATS).join(', ')}`);
  return f;
}

/**
 * Recognises a format from the file names and the first bytes of the first file, so
 * `cordon lists import FILE…` works without `--format` for every published shape.
 */
export async function detectFormat(files: SourceFile[]): Promise<ListFormat> {
  const first = files[0];
  if (!first) throw parseError('(no file)', 'no file given');
  const name = first.name.toLowerCase();
  const head = await peek(first, 4096);
  const text = head.replace(/^\uFEFF/, '');
  if (name.endsWith('.xml') || text.trimStart().startsWith('<')) {
    const root = /<(?!\?|!)([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(text)?.[2];
    const byRoot: Record<string, string> = {
      sdnList: 'ofac-xml',
      Sanctions: 'ofac-advanced',
      CONSOLIDATED_LIST: 'un-xml',
      export: 'eu-xml',
      Designations: 'uk-xml',
    };
    const format = root ? byRoot[root] : undefined;
    if (!format)
      throw parseError(first.name, `unrecognised XML root element <${root ?? '?'}>; give --format`);
    return formatByName(format);
  }
  if (/sanctioned_addresses_[a-z0-9]+\.txt$/.test(name)) return formatByName('ofac-crypto');
  if (name.endsWith('.yaml') || name.endsWith('.yml')) return formatByName('tagpack');
  if (name.endsWith('.jsonl') || name.endsWith('.json') || text.trimStart().startsWith('{'))
    return formatByName('ftm');
  const header = (text.split(/\r?\n/, 1)[0] ?? '').toLowerCase().replace(/"/g, '');
  if (header.startsWith('measure,relationship')) return formatByName('fincen311-csv');
  if (header.startsWith('chain,address,entity')) return formatByName('attribution-csv');
  if (header.startsWith('chain,address,name')) return formatByName('ofac-crypto');
  if (/(^|[/_-])(sdn|add|alt|sdn_comments)[^/]*\.csv$/.test(name) || /^\d+,"/.test(text))
    return formatByName('ofac-csv');
  throw parseError(first.name, 'cannot tell the format from the name or content; give --format');
}

async function peek(file: SourceFile, bytes: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of file.open()) {
    chunks.push(chunk);
    total += chunk.byteLength;
    if (total >= bytes) break;
  }
  const all = new Uint8Array(Math.min(total, bytes));
  let offset = 0;
  for (const c of chunks) {
    const take = Math.min(c.byteLength, all.byteLength - offset);
    all.set(c.subarray(0, take), offset);
    offset += take;
    if (offset >= all.byteLength) break;
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(all);
}
