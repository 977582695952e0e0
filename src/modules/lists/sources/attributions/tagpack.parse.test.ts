import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CordonError } from '../../../../shared/errors.js';
import type { Attribution, ParseWarning, SourceFile } from '../../model.js';
import { ATTRIBUTION_CATEGORIES } from '../../model.js';
import { bytesSource, fileSource } from '../testing.js';
import { parseTagpackYaml, TAGPACK_CATEGORIES, TAGPACK_CONFIDENCE } from './tagpack.parse.js';

const DATA = fileURLToPath(new URL('../../../../../../shared/data/address_labels/', import.meta.url));

async function parse(files: SourceFile[]): Promise<{ tags: Attribution[]; warnings: ParseWarning[] }> {
  const tags: Attribution[] = [];
  const warnings: ParseWarning[] = [];
  for await (const r of parseTagpackYaml(files, (w) => warnings.push(w))) {
    assert.equal(r.type, 'attribution');
    if (r.type === 'attribution') tags.push(r.attribution);
  }
  return { tags, warnings };
}

async function one(yaml: string): Promise<{ tags: Attribution[]; warnings: ParseWarning[] }> {
  return parse([bytesSource('pack.yaml', yaml)]);
}

async function failure(yaml: string | Uint8Array): Promise<CordonError> {
  try {
    await parse([bytesSource('pack.yaml', yaml)]);
  } catch (err) {
    assert.ok(err instanceof CordonError, String(err));
    assert.equal(err.code, 'lists.parse_error');
    return err;
  }
  assert.fail('expected a parse error');
}

function countBy<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

const PACK = `title: Test pack
creator: Test
source: https://example.org/report
currency: BTC
label: Test group
category: user
abuse: scam
confidence: forensic
lastmod: 2024-01-01
is_public: true
tags:
`;

describe('parseTagpackYaml on the real GraphSense packs', () => {
  test('Lazarus group (OFAC 2020-03-02): 21 tags, sanctioned, authority data', async () => {
    const { tags, warnings } = await parse([fileSource(`${DATA}graphsense_lazarus.yaml`)]);
    assert.deepEqual(warnings, []);
    assert.equal(tags.length, 21);
    assert.deepEqual(
      countBy(tags, (t) => t.chain),
      { BTC: 20, ETH: 1 },
    );
    for (const t of tags) {
      assert.equal(t.entity, 'Lazarus group');
      assert.equal(t.category, 'sanctioned');
      assert.equal(t.confidence, 0.6);
      assert.equal(
        t.source,
        'https://www.treasury.gov/resource-center/sanctions/OFAC-Enforcement/Pages/20200302.aspx',
      );
    }
    assert.equal(tags[0]?.address, '134r8iHv69xdT6p5qVKTsHrcUEuBVZAYak');
  });

  test('Lazarus group (FBI 2023): 6 tags', async () => {
    const { tags } = await parse([fileSource(`${DATA}graphsense_lazarus2.yaml`)]);
    assert.equal(tags.length, 6);
    assert.ok(
      tags.every((t) => t.entity === 'Lazarus group' && t.category === 'sanctioned' && t.chain === 'BTC'),
    );
    assert.equal(
      tags[0]?.source,
      'https://www.fbi.gov/news/press-releases/fbi-identifies-cryptocurrency-funds-stolen-by-dprk',
    );
  });

  test('OFAC pack: 572 tags over 13 currencies, no confidence given', async () => {
    const { tags, warnings } = await parse([fileSource(`${DATA}graphsense_ofac.yaml`)]);
    assert.equal(tags.length, 572);
    assert.deepEqual(
      countBy(tags, (t) => t.chain),
      {
        BTC: 385,
        ETH: 147,
        USDT: 9,
        LTC: 8,
        BCH: 7,
        ZEC: 3,
        DASH: 3,
        XMR: 3,
        TRX: 3,
        BSV: 1,
        XRP: 1,
        BTG: 1,
        XVG: 1,
      },
    );
    // No abuse field, category "user", but the label names the sanctions list.
    assert.ok(tags.every((t) => t.category === 'sanctioned'));
    assert.ok(tags.every((t) => t.confidence === TAGPACK_CONFIDENCE.unknown));
    assert.ok(tags.every((t) => t.entity === 'Asset listed under US Treasury OFAC Sanctions List'));
    assert.deepEqual(
      warnings.map((w) => w.message),
      ['572 tag(s) give no confidence; taken as "unknown" (0.05)'],
    );
    // Quoted hex addresses stay strings, exactly as written.
    assert.ok(tags.some((t) => t.address === '0x39D908dac893CBCB53Cc86e0ECc369aA4DeF1A29'));
    assert.equal(new Set(tags.map((t) => `${t.chain}:${t.address}`)).size, 572);
  });

  test('several packs in one import', async () => {
    const { tags } = await parse([
      fileSource(`${DATA}graphsense_lazarus.yaml`),
      fileSource(`${DATA}graphsense_lazarus2.yaml`),
    ]);
    assert.equal(tags.length, 27);
  });
});

describe('parseTagpackYaml mapping', () => {
  test('tag fields override the header', async () => {
    const { tags } = await one(
      `${PACK}- address: 1AAA\n- address: '0xabc'\n  currency: ETH\n  label: Other\n  confidence: ownership\n  source: https://x\n  abuse: ransomware\n`,
    );
    assert.deepEqual(tags, [
      {
        chain: 'BTC',
        address: '1AAA',
        entity: 'Test group',
        category: 'scam',
        source: 'https://example.org/report',
        confidence: 0.5,
      },
      {
        chain: 'ETH',
        address: '0xabc',
        entity: 'Other',
        category: 'ransomware',
        source: 'https://x',
        confidence: 1,
      },
    ]);
  });

  test('unquoted hex and numeric-looking addresses are kept verbatim', async () => {
    const { tags } = await one(
      `${PACK}- address: 0x00000000000000000000000000000000000000ff\n  currency: ETH\n- address: 0012\n`,
    );
    assert.equal(tags[0]?.address, '0x00000000000000000000000000000000000000ff');
    assert.equal(tags[1]?.address, '0012');
  });

  test('the most severe of abuse, concepts and category wins', async () => {
    const { tags } = await one(
      `${PACK.replace('abuse: scam\n', '')}- address: a1\n  category: exchange\n- address: a2\n  category: exchange\n  concepts: [mixing_service, service_hack]\n- address: a3\n  category: Mixing Service\n- address: a4\n  category: darknet_market\n  abuse: sanction\n`,
    );
    assert.deepEqual(
      tags.map((t) => t.category),
      ['exchange', 'stolen-funds', 'mixer', 'sanctioned'],
    );
  });

  test('numeric confidences: 0..1 pass, 0..100 are divided', async () => {
    const { tags } = await one(
      `${PACK}- address: a1\n  confidence: 0.75\n- address: a2\n  confidence: 80\n- address: a3\n  confidence: 1\n`,
    );
    assert.deepEqual(
      tags.map((t) => t.confidence),
      [0.75, 0.8, 1],
    );
  });

  test('unknown concepts count as other, with a warning; tags without an address are skipped', async () => {
    const { tags, warnings } = await one(
      `${PACK.replace('abuse: scam\n', '')}- address: a1\n  category: space_pirates\n- tx_hash: 'ab12'\n`,
    );
    assert.deepEqual(
      tags.map((t) => t.category),
      ['other'],
    );
    assert.deepEqual(warnings.map((w) => w.message).sort(), [
      '1 tag(s) without an address (e.g. transaction tags) skipped',
      'unknown GraphSense concept "space_pirates"; counted as "other"',
    ]);
  });

  test('every mapped category and confidence is valid', () => {
    for (const c of Object.values(TAGPACK_CATEGORIES))
      assert.ok((ATTRIBUTION_CATEGORIES as readonly string[]).includes(c), c);
    for (const v of Object.values(TAGPACK_CONFIDENCE)) assert.ok(v >= 0 && v <= 1);
  });
});

describe('parseTagpackYaml on bad input', () => {
  test('a bad confidence names the tag, its line and the allowed names', async () => {
    const err = await failure(`${PACK}- address: a1\n- address: a2\n  confidence: very_high\n`);
    assert.equal(err.details.line, 13);
    assert.match(
      err.message,
      /^pack\.yaml:13: tags\[1\]: confidence "very_high" is neither a number .* nor one of override, ownership/,
    );
    const big = await failure(`${PACK}- address: a1\n  confidence: 150\n`);
    assert.match(big.message, /confidence "150"/);
  });

  test('a tag without a label or currency is refused', async () => {
    const err = await failure(`${PACK.replace('label: Test group\n', '')}- address: a1\n`);
    assert.match(err.message, /tags\[0\]: no label/);
    const err2 = await failure(`${PACK.replace('currency: BTC\n', '')}- address: a1\n`);
    assert.match(err2.message, /no currency/);
  });

  test('invalid YAML names its line', async () => {
    const err = await failure('title: x\ntags:\n- address: [unclosed\n');
    assert.match(err.message, /^pack\.yaml:\d+: invalid YAML/);
    assert.equal(typeof err.details.line, 'number');
  });

  test('duplicate keys are refused', async () => {
    const err = await failure(`${PACK}- address: a1\n  address: a2\n`);
    assert.match(err.message, /invalid YAML/);
  });

  test('not a TagPack', async () => {
    assert.match((await failure('- a\n- b\n')).message, /not a mapping/);
    assert.match((await failure('title: x\n')).message, /no "tags:" list/);
    assert.match((await failure(`${PACK}- just a string\n`)).message, /tags\[0\] is not a mapping/);
  });

  test('invalid UTF-8 names its line', async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('title: x\ntags:\n- address: '),
      0xc3,
      0x28,
      0x0a,
    ]);
    const err = await failure(bytes);
    assert.equal(err.message, 'pack.yaml:3: invalid UTF-8');
  });

  test('files over 50 MB are refused before parsing', async () => {
    const chunk = new Uint8Array(1024 * 1024).fill(0x20);
    const huge: SourceFile = {
      name: 'huge.yaml',
      async *open() {
        for (let i = 0; i < 51; i++) yield chunk;
      },
    };
    await assert.rejects(
      parse([huge]),
      (err: unknown) => err instanceof CordonError && /huge\.yaml: larger than 50 MB/.test(err.message),
    );
  });
});
