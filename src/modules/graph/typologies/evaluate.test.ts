import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateAlerts, unmatchedAlerts } from './evaluate.js';
import type { TypologyAlert, TypologyLabel } from './model.js';

const label = (subject: string, typology: TypologyLabel['typology'], transfers: string[]): TypologyLabel => ({
  subject,
  typology,
  transfers,
  chain: 'ledger',
  asset: 'USD',
});
const alert = (subject: string, typology: TypologyAlert['typology'], transfers: string[]): TypologyAlert => ({
  ...label(subject, typology, transfers),
  score: 0.8,
  explanation: '',
  windowStart: 0,
  windowEnd: 0,
  metrics: {},
});

test('evaluate: a match needs the typology, the subject and a shared transfer', () => {
  const labels = [
    label('a', 'cycle', ['t1', 't2']),
    label('b', 'fan-in', ['t3']),
    label('c', 'fan-in', ['t4']),
  ];
  const alerts = [
    alert('a', 'cycle', ['t2', 't9']), // right
    alert('b', 'fan-out', ['t3']), // wrong typology
    alert('c', 'fan-in', ['t5']), // no shared transfer
    alert('z', 'fan-in', ['t4']), // wrong subject
  ];
  const byTypology = Object.fromEntries(evaluateAlerts(alerts, labels).map((s) => [s.typology, s]));
  assert.deepEqual(
    [
      byTypology.cycle?.recall,
      byTypology.cycle?.precision,
      byTypology['fan-in']?.recall,
      byTypology['fan-in']?.precision,
    ],
    [1, 1, 0, 0],
  );
  assert.equal(byTypology['fan-out']?.precision, 0);
  assert.equal(byTypology.structuring?.recall, 1, 'nothing to find is full recall');
  assert.deepEqual(
    unmatchedAlerts(alerts, labels).map((a) => a.subject),
    ['b', 'c', 'z'],
  );
});
