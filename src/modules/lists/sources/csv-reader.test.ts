import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CsvRow, readCsvRows } from './csv-reader.js';

async function rows(text: string, chunk = 3): Promise<CsvRow[]> {
  const pieces = async function* () {
    for (let i = 0; i < text.length; i += chunk) yield text.slice(i, i + chunk);
  };
  const out: CsvRow[] = [];
  for await (const r of readCsvRows(pieces())) out.push(r);
  return out;
}

const cases: [string, string, [string[], number][]][] = [
  [
    'plain rows, LF',
    'a,b,c\n1,2,3\n',
    [
      [['a', 'b', 'c'], 1],
      [['1', '2', '3'], 2],
    ],
  ],
  [
    'CRLF and no final newline',
    'a,b\r\n1,2',
    [
      [['a', 'b'], 1],
      [['1', '2'], 2],
    ],
  ],
  ['quoted separators and doubled quotes', '"x, y","say ""hi""",z\n', [[['x, y', 'say "hi"', 'z'], 1]]],
  [
    'newline inside quotes keeps the start line',
    '"a\nb",c\nd,e\n',
    [
      [['a\nb', 'c'], 1],
      [['d', 'e'], 3],
    ],
  ],
  ['empty fields, trailing separator', ',a,,\n', [[['', 'a', '', ''], 1]]],
  ['a quote inside an unquoted field is text', 'O"Brien,x\n', [[['O"Brien', 'x'], 1]]],
  ['a stray quote inside a quoted field is kept', '"a "b" c",d\n', [[['a "b" c', 'd'], 1]]],
  [
    'OFAC null and quoted remarks',
    '306,"BANCO NACIONAL DE CUBA",-0- ,"CUBA","a.k.a. \'BNC\'."\n',
    [[['306', 'BANCO NACIONAL DE CUBA', '-0- ', 'CUBA', "a.k.a. 'BNC'."], 1]],
  ],
];

test('csv reader: a quote left open at the end is flagged', async () => {
  const got = await rows('a,b\n"open,x\n', 4);
  assert.deepEqual(got.at(-1), { fields: ['open,x\n'], line: 2, unterminatedQuote: true });
});

for (const [name, text, expected] of cases) {
  test(`csv reader: ${name}`, async () => {
    for (const size of [1, 2, 3, 7, 1000]) {
      const got = await rows(text, size);
      assert.deepEqual(
        got.map((r) => [r.fields, r.line]),
        expected,
        `chunk size ${size}`,
      );
    }
  });
}
