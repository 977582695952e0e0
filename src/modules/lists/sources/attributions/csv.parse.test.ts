import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CordonError } from '../../../../shared/errors.js';
import type { Attribution, SourceFile } from '../../model.js';
import { bytesSource } from '../testing.js';
import { parseAttributionCsv } from './csv.parse.js';

const HEADER = 'chain,address,entity,category,source,confidence,valid_from,valid_to';

async function parse(files: SourceFile[]): Promise<Attribution[]> {
  const out: Attribution[] = [];
  for await (const r of parseAttributionCsv(files, () => assert.fail('no warnings expected'))) {
    assert.equal(r.type, 'attribution');
    if (r.type === 'attribution') out.push(r.attribution);
  }
  return out;
}

async function failure(text: string | Uint8Array): Promise<CordonError> {
  try {
    await parse([bytesSource('attr.csv', text)]);
  } catch (err) {
    assert.ok(err instanceof CordonError, String(err));
    assert.equal(err.code, 'lists.parse_error');
    return err;
  }
  assert.fail('expected a parse error');
}

describe('parseAttributionCsv', () => {
  test('reads the documented example', async () => {
    const rows = await parse([
      bytesSource(
        'attr.csv',
        `${HEADER}\nTRX,TAQPzv9941nVuTj4ng2vd6L11Re57r42pW,Xinbi Guarantee,guarantee-marketplace,OFAC SDN (TCO),1,,\nETH,0x8589427373d6d84e98730d7795d8f6f8731fda16,Tornado Cash,mixer,etherscan label,0.8,2022-08-08,2025-03-21\n`,
      ),
    ]);
    assert.deepEqual(rows, [
      {
        chain: 'TRX',
        address: 'TAQPzv9941nVuTj4ng2vd6L11Re57r42pW',
        entity: 'Xinbi Guarantee',
        category: 'guarantee-marketplace',
        source: 'OFAC SDN (TCO)',
        confidence: 1,
      },
      {
        chain: 'ETH',
        address: '0x8589427373d6d84e98730d7795d8f6f8731fda16',
        entity: 'Tornado Cash',
        category: 'mixer',
        source: 'etherscan label',
        confidence: 0.8,
        validFrom: '2022-08-08',
        validTo: '2025-03-21',
      },
    ]);
  });

  test('the validity columns are optional; cells are trimmed and may be quoted', async () => {
    const six = await parse([
      bytesSource(
        'a.csv',
        'chain,address,entity,category,source,confidence\r\n BTC , 1abc ,"Group, Inc.",scam,"report ""X""",.5\r\n\r\n',
      ),
    ]);
    assert.deepEqual(six, [
      {
        chain: 'BTC',
        address: '1abc',
        entity: 'Group, Inc.',
        category: 'scam',
        source: 'report "X"',
        confidence: 0.5,
      },
    ]);
    const seven = await parse([
      bytesSource(
        'b.csv',
        'chain,address,entity,category,source,confidence,valid_from\nETH,0x1,E,exchange,S,0,2024-02-29T10:00:00Z\n',
      ),
    ]);
    assert.equal(seven[0]?.validFrom, '2024-02-29T10:00:00Z');
    assert.equal(seven[0]?.confidence, 0);
  });

  test('lines and characters split across chunks', async () => {
    const bytes = new TextEncoder().encode(
      `${HEADER}\r\nTRX,TAQPzv9941nVuTj4ng2vd6L11Re57r42pW,汇旺 Spółka,scam,S,1,,\r\n`,
    );
    const trickle: SourceFile = {
      name: 'trickle.csv',
      async *open() {
        for (const b of bytes) yield Uint8Array.of(b);
      },
    };
    const rows = await parse([trickle]);
    assert.equal(rows[0]?.entity, '汇旺 Spółka');
    assert.equal(rows[0]?.address, 'TAQPzv9941nVuTj4ng2vd6L11Re57r42pW');
  });

  test('several files, each with its header', async () => {
    const rows = await parse([
      bytesSource('a.csv', `${HEADER}\nBTC,1a,E,other,S,1,,\n`),
      bytesSource('b.csv', `${HEADER}\nBTC,1b,E,other,S,1,,\n`),
    ]);
    assert.deepEqual(
      rows.map((r) => r.address),
      ['1a', '1b'],
    );
  });

  test('a bad category names the line and value and lists the allowed ones', async () => {
    const err = await failure(`${HEADER}\nBTC,1a,E,other,S,1,,\nBTC,1b,E,Scam,S,1,,\n`);
    assert.equal(
      err.message,
      'attr.csv:3: category "Scam" is not one of sanctioned, special-measures, scam, guarantee-marketplace, mixer, exchange, bridge, stolen-funds, ransomware, darknet-market, gambling, terrorist-financing, fraud-shop, other',
    );
    assert.deepEqual(err.details, { file: 'attr.csv', line: 3 });
  });

  test('confidence must be a number from 0 to 1', async () => {
    for (const bad of ['90', '1.5', '-0.1', 'high', '', '0.5x', '1e-1']) {
      const err = await failure(`${HEADER}\nBTC,1a,E,scam,S,${bad},,\n`);
      assert.equal(err.message, `attr.csv:2: confidence ${JSON.stringify(bad)} is not a number from 0 to 1`);
    }
  });

  test('validity dates must be real ISO dates, in order', async () => {
    for (const bad of ['2024-13-01', '2023-02-29', '01/02/2024', '2024-1-1', '2024-01-01T10:00:00']) {
      const err = await failure(`${HEADER}\nBTC,1a,E,scam,S,1,${bad},\n`);
      assert.equal(err.message, `attr.csv:2: valid_from ${JSON.stringify(bad)} is not an ISO 8601 date`);
    }
    const order = await failure(`${HEADER}\nBTC,1a,E,scam,S,1,2024-05-01,2024-04-30\n`);
    assert.equal(order.message, 'attr.csv:2: valid_to 2024-04-30 is before valid_from 2024-05-01');
  });

  test('required cells', async () => {
    assert.match((await failure(`${HEADER}\n,1a,E,scam,S,1,,\n`)).message, /chain is empty/);
    assert.match((await failure(`${HEADER}\nBTC,,E,scam,S,1,,\n`)).message, /address is empty/);
    assert.match((await failure(`${HEADER}\nBTC,"1a 1b",E,scam,S,1,,\n`)).message, /white space/);
    assert.match((await failure(`${HEADER}\nBTC,1a,,scam,S,1,,\n`)).message, /entity is empty/);
    assert.match((await failure(`${HEADER}\nBTC,1a,E,scam,,1,,\n`)).message, /source is empty/);
    assert.match(
      (await failure(`${HEADER}\nBT C,1a,E,scam,S,1,,\n`)).message,
      /not a chain or currency code/,
    );
  });

  test('the header is checked exactly', async () => {
    assert.match(
      (await failure('chain,address,entity,category,source\n')).message,
      /^attr\.csv:1: bad header: missing column\(s\) "confidence"/,
    );
    assert.match((await failure(`${HEADER},note\n`)).message, /unexpected column\(s\) "note"/);
    assert.match(
      (await failure('chain,address,entity,category,confidence,source\n')).message,
      /columns out of order/,
    );
    assert.match(
      (await failure('Chain,Address,Entity,Category,Source,Confidence\n')).message,
      /missing column/,
    );
    assert.match(
      (await failure('chain,address,entity,category,source,confidence,valid_to\n')).message,
      /unexpected column\(s\) "valid_to"|out of order/,
    );
  });

  test('rows with a wrong cell count, invalid UTF-8 and empty files name the problem', async () => {
    assert.equal((await failure(`${HEADER}\nBTC,1a,E,scam,S,1\n`)).details.line, 2);
    const bytes = new Uint8Array([
      ...new TextEncoder().encode(`${HEADER}\nBTC,1a,E,scam,S,1,,\nBTC,1`),
      0xe2,
      0x82,
      0x0a,
    ]);
    assert.equal((await failure(bytes)).message, 'attr.csv:3: invalid UTF-8');
    assert.match((await failure('')).message, /empty/);
  });
});
