import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SourceFile } from '../model.js';
import { bytesSource, chunkedSource, isParseError } from './testing.js';
import {
  clean,
  textOf,
  type XmlNode,
  type XmlRecordOptions,
  type XmlRoot,
  xmlRecords,
} from './xml-stream.js';

const LIST: XmlRecordOptions = {
  root: 'list',
  isRecord: (path) => path.length === 3 && path[1] === 'items' && path[2] === 'item',
};

async function read(file: SourceFile, options: XmlRecordOptions = LIST): Promise<XmlNode[]> {
  const nodes: XmlNode[] = [];
  for await (const node of xmlRecords(file, options)) nodes.push(node);
  return nodes;
}

const DOC = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<list xmlns="urn:example:list">',
  '<header><item>not a record</item></header>',
  '<items>',
  '<item id="1"><name>Иван  Петров</name><alias>汇旺 😀</alias></item>',
  '<item id="2"><name><![CDATA[A & B]]></name>',
  '  <alias>Ä</alias></item>',
  '</items>',
  '</list>',
  '',
].join('\n');

describe('xmlRecords', () => {
  it('yields each record as a tree with attributes, text, children and the line of its start tag', async () => {
    const nodes = await read(bytesSource('list.xml', DOC));
    assert.deepEqual(
      nodes.map((n) => [n.name, { ...n.attrs }, n.line, textOf(n, 'name'), textOf(n, 'alias')]),
      [
        ['item', { id: '1' }, 5, 'Иван Петров', '汇旺 😀'],
        ['item', { id: '2' }, 6, 'A & B', 'Ä'],
      ],
    );
    assert.equal(nodes[1]?.children[1]?.line, 7);
    assert.equal(clean(undefined), '');
  });

  it('reads the same whatever the chunk boundaries, multi-byte characters split included', async () => {
    const whole = await read(bytesSource('list.xml', DOC));
    for (const size of [1, 2, 3, 5, 7, 64]) {
      assert.deepEqual(await read(chunkedSource('list.xml', DOC, size)), whole, `chunks of ${size}`);
    }
  });

  it('hands the root, its namespace and line to onRoot, prefix or not', async () => {
    const roots: XmlRoot[] = [];
    const onRoot = (root: XmlRoot) => roots.push(root);
    await read(bytesSource('a.xml', DOC), { ...LIST, onRoot });
    await read(bytesSource('b.xml', '\n<l:list xmlns:l="urn:b"/>'), { ...LIST, onRoot });
    await read(bytesSource('c.xml', '<list/>'), { ...LIST, onRoot });
    assert.deepEqual(
      roots.map((r) => [r.name, r.uri, r.line]),
      [
        ['list', 'urn:example:list', 2],
        ['list', 'urn:b', 2],
        ['list', '', 1],
      ],
    );
  });

  it('rejects bytes that are not UTF-8, naming the file and line', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('<list>\n<items>\n<item>'), 0xff, 0x3c]);
    for (const size of [1, 4, bytes.length]) {
      await assert.rejects(
        read(chunkedSource('latin1.xml', bytes, size)),
        isParseError('latin1.xml', /^latin1\.xml:3: not UTF-8 text/, { line: 3 }),
      );
    }
    const cut = new TextEncoder().encode('<list>\n<items>Ж').subarray(0, -1);
    await assert.rejects(
      read(bytesSource('cut.xml', cut)),
      isParseError('cut.xml', /the file ends inside a UTF-8 character/, { line: 2 }),
    );
  });

  it('rejects a NUL byte as binary content, naming its line', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('<list>\n\n<items>'), 0, 1, 2]);
    await assert.rejects(
      read(bytesSource('nul.xml', bytes)),
      isParseError('nul.xml', /binary content \(NUL byte\), not XML/, { line: 3 }),
    );
  });

  it('rejects an empty file, and one without a root element', async () => {
    await assert.rejects(
      read(bytesSource('empty.xml', '')),
      isParseError('empty.xml', /the file is empty \(no XML root element <list>\)/, { line: 1 }),
    );
    await assert.rejects(
      read(bytesSource('blank.xml', '  \n')),
      isParseError('blank.xml', /malformed XML: document must contain a root element/),
    );
  });

  it('rejects truncated XML after yielding the records before the cut, naming the line and open elements', async () => {
    const cut = DOC.slice(0, DOC.indexOf('<alias>Ä'));
    const names: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const node of xmlRecords(chunkedSource('cut.xml', cut, 16), LIST)) {
          names.push(textOf(node, 'name') ?? '');
        }
      })(),
      isParseError('cut.xml', /malformed XML: unclosed tag: item/, {
        line: 7,
        element: /^list\/items\/item$/,
      }),
    );
    assert.deepEqual(names, ['Иван Петров']);
  });

  it('rejects a wrong root, another declared encoding and mismatched tags', async () => {
    await assert.rejects(
      read(bytesSource('root.xml', '<?xml version="1.0"?>\n<x:other xmlns:x="urn:x"/>')),
      isParseError('root.xml', /root element is <x:other>, expected <list>/, { line: 2, element: /^other$/ }),
    );
    await assert.rejects(
      read(bytesSource('latin1.xml', '<?xml version="1.0" encoding="ISO-8859-1"?>\n<list/>')),
      isParseError('latin1.xml', /declares encoding ISO-8859-1; only UTF-8 is read/, { line: 1 }),
    );
    await assert.rejects(
      read(bytesSource('tags.xml', '<list>\n<items></list>')),
      isParseError('tags.xml', /malformed XML: unexpected close tag/, { line: 2 }),
    );
  });

  it('words the wrong root and rejected XML as the caller asks', async () => {
    const options: XmlRecordOptions = {
      ...LIST,
      wording: {
        wrongRoot: (found, expected) => `want <${expected}>, got <${found}>`,
        malformed: (reason, { open, rootSeen, root }) =>
          `${rootSeen ? 'bad' : 'no'} <${root}> at ${open.join('/') || '-'}: ${reason}`,
      },
    };
    await assert.rejects(
      read(bytesSource('a.xml', '<other/>'), options),
      /a\.xml:1: want <list>, got <other>/,
    );
    await assert.rejects(
      read(bytesSource('b.xml', 'a,b,c\n'), options),
      /b\.xml:\d+: no <list> at -: text data outside of root node/,
    );
    await assert.rejects(
      read(bytesSource('c.xml', '<list><items>'), options),
      /c\.xml:1: bad <list> at list\/items: unclosed tag: items/,
    );
  });
});
