import type { Attribution, ListParser, ListRecord, SourceFile } from '../../model.js';
import { parseError } from '../../parse-error.js';
import { readLines } from '../text-lines.js';

/** Longest line accepted: one address, or one short CSV row, per line. */
const MAX_LINE_BYTES = 64 * 1024;

/**
 * OFAC's sanctioned digital currency addresses in the two shapes community feeds publish, both
 * extracted from `sdn_advanced.xml`:
 * - one address per line, the currency in the file name (`sanctioned_addresses_ETH.txt`);
 * - CSV `chain,address,name,program` with a header.
 * Each address becomes a `sanctioned` attribution to the named SDN entity (or "OFAC SDN").
 */
export const parseOfacCryptoList: ListParser = async function* (
  files: SourceFile[],
): AsyncIterable<ListRecord> {
  for (const file of files) {
    const fromName = /sanctioned_addresses_([A-Z0-9]+)\.txt$/i.exec(file.name)?.[1]?.toUpperCase();
    let lineNo = 0;
    let header: string[] | undefined;
    for await (const line of readLines(file, { maxLineBytes: MAX_LINE_BYTES })) {
      lineNo++;
      const text = line.trim();
      if (text === '' || text.startsWith('#')) continue;
      if (fromName) {
        if (!/^[A-Za-z0-9:]+$/.test(text))
          throw parseError(file.name, `not an address: ${JSON.stringify(text.slice(0, 80))}`, {
            line: lineNo,
          });
        yield attribution({ chain: fromName, address: text, entity: 'OFAC SDN', program: undefined });
        continue;
      }
      const cells = text.split(',').map((c) => c.trim());
      if (!header) {
        header = cells.map((c) => c.toLowerCase());
        if (header[0] !== 'chain' || header[1] !== 'address') {
          throw parseError(
            file.name,
            `expected a header "chain,address,name,program", found ${JSON.stringify(text.slice(0, 80))}`,
            { line: lineNo },
          );
        }
        continue;
      }
      const [chain, address, name, program] = cells;
      if (!chain || !address) throw parseError(file.name, 'chain and address are required', { line: lineNo });
      yield attribution({ chain, address, entity: name || 'OFAC SDN', program });
    }
    if (lineNo === 0) throw parseError(file.name, 'the file is empty');
  }
};

function attribution(row: {
  chain: string;
  address: string;
  entity: string;
  program: string | undefined;
}): ListRecord {
  const a: Attribution = {
    chain: row.chain.toUpperCase(),
    address: row.address,
    entity: row.entity,
    category: 'sanctioned',
    source: row.program ? `OFAC SDN (${row.program})` : 'OFAC SDN',
    confidence: 1,
  };
  return { type: 'attribution', attribution: a };
}
