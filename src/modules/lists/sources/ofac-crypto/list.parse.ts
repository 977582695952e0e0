import type { Attribution, ListParser, ListRecord, SourceFile } from '../../model.js';
import { parseError } from '../../parse-error.js';

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
    for await (const line of lines(file)) {
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

async function* lines(file: SourceFile): AsyncIterable<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest = '';
  let lineNo = 0;
  for await (const chunk of file.open()) {
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw parseError(file.name, 'not UTF-8 text (binary file?)', { line: lineNo + 1 });
    }
    if (text.includes('\u0000'))
      throw parseError(file.name, 'binary content (NUL byte)', { line: lineNo + 1 });
    rest += text;
    let nl = rest.indexOf('\n');
    while (nl >= 0) {
      lineNo++;
      yield rest.slice(0, nl).replace(/\r$/, '');
      rest = rest.slice(nl + 1);
      nl = rest.indexOf('\n');
    }
  }
  if (rest !== '') yield rest;
}
