import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';

/**
 * Writes a UN-consolidated-list XML of about `targetBytes`, in the published schema, by repeating
 * the real file's INDIVIDUAL and ENTITY elements with fresh reference numbers and ids.
 */
export async function writeScaledUnXml(
  realFile: string,
  outFile: string,
  targetBytes: number,
): Promise<{ bytes: number; records: number }> {
  const xml = readFileSync(realFile, 'utf8');
  const individuals = xml.match(/<INDIVIDUAL>[\s\S]*?<\/INDIVIDUAL>/g) ?? [];
  const entities = xml.match(/<ENTITY>[\s\S]*?<\/ENTITY>/g) ?? [];
  const out = createWriteStream(outFile);
  let bytes = 0;
  const write = async (s: string) => {
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(
    '<?xml version="1.0" encoding="UTF-8"?>\n<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:00.000Z">\n<INDIVIDUALS>\n',
  );
  let records = 0;
  // Repeats `elements` with fresh ids (the round number) until the file reaches `untilBytes`.
  const repeat = async (elements: string[], untilBytes: number) => {
    for (let round = 1; bytes < untilBytes; round++) {
      for (const el of elements) {
        records++;
        const renamed = el
          .replace(/<DATAID>(\d+)<\/DATAID>/, `<DATAID>${round}$1</DATAID>`)
          .replace(
            /<REFERENCE_NUMBER>([^<]+)<\/REFERENCE_NUMBER>/,
            `<REFERENCE_NUMBER>$1.r${round}</REFERENCE_NUMBER>`,
          );
        await write(`${renamed}\n`);
      }
    }
  };
  const individualBytes = individuals.join('').length;
  await repeat(individuals, targetBytes * (individualBytes / (individualBytes + entities.join('').length)));
  await write('</INDIVIDUALS>\n<ENTITIES>\n');
  await repeat(entities, targetBytes);
  await write('</ENTITIES>\n</CONSOLIDATED_LIST>\n');
  out.end();
  await once(out, 'finish');
  return { bytes, records };
}
