import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SourceFile } from '../model.js';
import { bytesSource, chunkedSource, isParseError } from './testing.js';
import { csvRecords, type LineOptions, readLines } from './text-lines.js';

async function lines(file: SourceFile, options?: LineOptions): Promise<string[]> {
  const out: string[] = [];
  for await (const line of readLines(file, options)) out.push(line);
  return out;
}

const encode = (text: string) => new TextEncoder().encode(text);

describe('readLines', () => {
  it('yields lines without LF or CRLF, a leading BOM dropped, the last line with or without a newline', async () => {
    assert.deepEqual(await lines(bytesSource('a.txt', '\uFEFFone\r\ntwo\n\nthree')), [
      'one',
      'two',
      '',
      'three',
    ]);
    assert.deepEqual(await lines(bytesSource('b.txt', 'one\n\uFEFFtwo\n')), ['one', '\uFEFFtwo']);
  });

  it('reads the same whatever the chunk boundaries, multi-byte characters and CRLF split included', async () => {
    const text = 'Иван Петров\r\n汇旺 Spółka 😀\nlast';
    const expected = ['Иван Петров', '汇旺 Spółka 😀', 'last'];
    for (const size of [1, 2, 3, 5, 64]) {
      assert.deepEqual(await lines(chunkedSource('u.txt', text, size)), expected, `chunks of ${size}`);
    }
  });

  it('yields nothing for an empty file, and one empty line for a lone newline', async () => {
    assert.deepEqual(await lines(bytesSource('empty.txt', '')), []);
    assert.deepEqual(await lines(bytesSource('nl.txt', '\n')), ['']);
  });

  it('rejects bytes that are not UTF-8, naming the file and line, whatever the chunks', async () => {
    const bytes = new Uint8Array([...encode('ok\nfine\nbad '), 0xe2, 0x82, ...encode(' end\nnext\n')]);
    for (const size of [1, 3, bytes.length]) {
      await assert.rejects(
        lines(chunkedSource('bad.txt', bytes, size)),
        isParseError('bad.txt', /^bad\.txt:3: invalid UTF-8$/, { line: 3 }),
      );
    }
    const cut = encode('ok\nЖ').subarray(0, -1);
    await assert.rejects(
      lines(bytesSource('cut.txt', cut)),
      isParseError('cut.txt', /invalid UTF-8/, { line: 2 }),
    );
  });

  it('rejects a NUL byte as binary content, naming its line, after the lines before it', async () => {
    const bytes = new Uint8Array([...encode('one\ntwo\nth'), 0, ...encode('ree\n')]);
    for (const size of [1, 4, bytes.length]) {
      const seen: string[] = [];
      await assert.rejects(
        (async () => {
          for await (const line of readLines(chunkedSource('bin.txt', bytes, size))) seen.push(line);
        })(),
        isParseError('bin.txt', /binary content \(NUL byte\)/, { line: 3 }),
      );
      assert.deepEqual(seen, ['one', 'two']);
    }
    const last = new Uint8Array([...encode('one\n'), 0x50, 0x4b, 0]);
    await assert.rejects(
      lines(bytesSource('zip.txt', last)),
      isParseError('zip.txt', /NUL byte/, { line: 2 }),
    );
  });

  it('rejects a line longer than the limit', async () => {
    const text = `short\n${'x'.repeat(40)}\n`;
    await assert.rejects(
      lines(chunkedSource('long.txt', text, 8), { maxLineBytes: 32 }),
      isParseError('long.txt', /line longer than 32 bytes/, { line: 2 }),
    );
    assert.equal((await lines(chunkedSource('long.txt', text, 8), { maxLineBytes: 64 })).length, 2);
  });
});

describe('csvRecords', () => {
  it('yields cells with the line each record ends on, blank lines skipped, quoted newlines kept', async () => {
    const records: Array<{ cells: string[]; line: number }> = [];
    const text = 'a,b\r\n\r\n"x\r\ny",z\n1,"汇旺"\n';
    for await (const r of csvRecords(chunkedSource('r.csv', text, 3))) records.push(r);
    assert.deepEqual(records, [
      { cells: ['a', 'b'], line: 1 },
      { cells: ['x\ny', 'z'], line: 4 },
      { cells: ['1', '汇旺'], line: 5 },
    ]);
  });

  it('names the file and line of a CSV syntax error and of bytes that are not UTF-8', async () => {
    const read = async (file: SourceFile) => {
      for await (const _ of csvRecords(file));
    };
    await assert.rejects(
      read(bytesSource('q.csv', 'a,b\nc,"d\n')),
      isParseError('q.csv', /Quote Not Closed/),
    );
    const bytes = new Uint8Array([...encode('a,b\nc,d\ne,'), 0xff, 0x0a]);
    await assert.rejects(
      read(bytesSource('u.csv', bytes)),
      isParseError('u.csv', /^u\.csv:3: invalid UTF-8$/),
    );
  });
});
