/**
 * Precision and recall of alerts against labelled patterns, per typology: what the tests assert
 * and the benchmark reports. An alert matches a label when both name the same typology and
 * subject and share at least one transfer.
 */
import { TYPOLOGIES, type Typology, type TypologyAlert, type TypologyLabel } from './model.js';

/** The tally for one typology. */
export interface TypologyScore {
  readonly typology: Typology;
  readonly labels: number;
  readonly alerts: number;
  /** Labels matched by at least one alert. */
  readonly found: number;
  /** Alerts that match a label. */
  readonly correct: number;
  /** found / labels (1 when there are no labels). */
  readonly recall: number;
  /** correct / alerts (1 when there are no alerts). */
  readonly precision: number;
}

/**
 * Scores alerts against labels, one row per typology.
 *
 * @example evaluateAlerts(detectTypologies(data.transfers), data.labels).find((s) => s.typology === 'cycle')?.recall
 */
export function evaluateAlerts(
  alerts: readonly TypologyAlert[],
  labels: readonly TypologyLabel[],
): TypologyScore[] {
  return TYPOLOGIES.map((typology) => {
    const ls = labels.filter((l) => l.typology === typology);
    const as = alerts.filter((a) => a.typology === typology);
    const matches = (a: TypologyAlert, l: TypologyLabel) => {
      if (a.subject !== l.subject) return false;
      const ids = new Set(l.transfers);
      return a.transfers.some((t) => ids.has(t));
    };
    const found = ls.filter((l) => as.some((a) => matches(a, l))).length;
    const correct = as.filter((a) => ls.some((l) => matches(a, l))).length;
    return {
      typology,
      labels: ls.length,
      alerts: as.length,
      found,
      correct,
      recall: ls.length === 0 ? 1 : found / ls.length,
      precision: as.length === 0 ? 1 : correct / as.length,
    };
  });
}

/** Alerts that match no label of their own typology, for diagnosing false positives. */
export function unmatchedAlerts(
  alerts: readonly TypologyAlert[],
  labels: readonly TypologyLabel[],
): TypologyAlert[] {
  return alerts.filter(
    (a) =>
      !labels.some(
        (l) =>
          l.typology === a.typology &&
          l.subject === a.subject &&
          a.transfers.some((t) => l.transfers.includes(t)),
      ),
  );
}
