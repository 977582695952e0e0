import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_TYPOLOGY_CONFIG, parseTypologyConfig } from './config.js';
import { detectTypologies } from './detect.js';
import { evaluateAlerts } from './evaluate.js';
import { type GenerateOptions, generateTypologyData } from './generate.js';
import { TYPOLOGIES, type TypologyAlert, type TypologyLabel } from './model.js';
import { createRng } from './random.js';
import { DAY, HOUR, quietMonth, tx } from './testing.js';

/** Alerts and labels over three seeds, ids tagged with the seed so the tally stays per data set. */
function tally(options: Partial<GenerateOptions>) {
  const planted = Object.fromEntries(TYPOLOGIES.map((t) => [t, 8]));
  const alerts: TypologyAlert[] = [];
  const labels: TypologyLabel[] = [];
  for (const seed of [1, 2, 3]) {
    const data = generateTypologyData({ rng: createRng(seed), transfers: 15_000, planted, ...options });
    const tag = (id: string) => `${seed}/${id}`;
    labels.push(...data.labels.map((l) => ({ ...l, transfers: l.transfers.map(tag) })));
    alerts.push(...detectTypologies(data.transfers).map((a) => ({ ...a, transfers: a.transfers.map(tag) })));
  }
  return evaluateAlerts(alerts, labels);
}

describe('detectTypologies on generated chain-like data', () => {
  for (const score of tally({})) {
    test(`${score.typology}: recall ≥ 0.9 and precision ≥ 0.8 over three seeds`, () => {
      assert.equal(score.labels, 24);
      assert.ok(score.recall >= 0.9, `recall ${score.found}/${score.labels}`);
      assert.ok(score.precision >= 0.8, `precision ${score.correct}/${score.alerts}`);
    });
  }

  // Patterns hidden in the traffic of active users, with ordinary amounts: harder, and not what
  // the defaults were looked at with first.
  for (const score of tally({ plantedIn: 'busy', plantedAmounts: 'ordinary' })) {
    test(`${score.typology}, planted in busy users with ordinary amounts: recall ≥ 0.85, precision ≥ 0.8`, () => {
      assert.ok(score.recall >= 0.85, `recall ${score.found}/${score.labels}`);
      assert.ok(score.precision >= 0.8, `precision ${score.correct}/${score.alerts}`);
    });
  }

  test('a clean background raises at most one chance alert per 10,000 transfers', () => {
    const raised: string[] = [];
    for (const seed of [4, 5]) {
      const data = generateTypologyData({
        rng: createRng(seed),
        transfers: 20_000,
        planted: Object.fromEntries(TYPOLOGIES.map((t) => [t, 0])),
      });
      raised.push(...detectTypologies(data.transfers).map((a) => `${a.typology}: ${a.explanation}`));
    }
    assert.ok(raised.length <= 4, raised.join('\n'));
  });
});

describe('detectTypologies', () => {
  test('no transfers, no alerts', () => {
    assert.deepEqual(detectTypologies([]), []);
  });

  test('the order of the input does not matter', () => {
    const data = generateTypologyData({ rng: createRng(9), transfers: 6000 });
    const forward = detectTypologies(data.transfers);
    const backward = detectTypologies([...data.transfers].reverse());
    assert.ok(forward.length > 0);
    assert.deepEqual(backward, forward);
  });

  test('a scatter-gather is not also a fan-out at its source or a fan-in at its sink', () => {
    const pattern = Array.from({ length: 6 }, (_, i) => [
      tx('src', `mule${i}`, 3000 + i, 5 * DAY + i * HOUR),
      tx(`mule${i}`, 'sink', (3000 + i) * 0.99, 5 * DAY + (i + 1) * HOUR),
    ]).flat();
    const all = detectTypologies([...quietMonth(), ...pattern]);
    assert.deepEqual(
      all.map((a) => `${a.subject}:${a.typology}`),
      ['src:scatter-gather'],
    );
    // Each alone would have been reported.
    const fans = detectTypologies(
      [...quietMonth(), ...pattern],
      parseTypologyConfig({ typologies: ['fan-in', 'fan-out'] }),
    );
    assert.deepEqual(fans.map((a) => `${a.subject}:${a.typology}`).sort(), ['sink:fan-in', 'src:fan-out']);
  });

  test('alerts are named with the display function and within [0.5, 1]', () => {
    const burst = Array.from({ length: 7 }, (_, i) => tx(`s${i}`, 'hub', 1000, 5 * DAY + i * HOUR));
    const [alert] = detectTypologies([...quietMonth(), ...burst], DEFAULT_TYPOLOGY_CONFIG, {
      display: (key) => key.toUpperCase(),
    });
    assert.equal(alert?.subject, 'LEDGER:HUB');
    assert.ok(alert && alert.score >= 0.5 && alert.score <= 1);
    assert.equal(alert?.chain, 'ledger');
    assert.equal(alert?.asset, 'USDT');
  });

  test('minScore drops weaker alerts', () => {
    const burst = Array.from({ length: 7 }, (_, i) => tx(`s${i}`, 'hub', 1000, 5 * DAY + i * HOUR));
    assert.equal(
      detectTypologies([...quietMonth(), ...burst], parseTypologyConfig({ minScore: 0.99 })).length,
      0,
    );
  });
});
