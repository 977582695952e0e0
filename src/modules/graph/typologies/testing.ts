/**
 * Test support for the detectors: terse transfers on a `ledger` chain (addresses are plain names,
 * so alerts name them as written), a config that runs one detector, and a steady background.
 */
import type { Transfer } from '../transfer.js';
import { DEFAULT_TYPOLOGY_CONFIG, parseTypologyConfig, type TypologyConfig } from './config.js';
import { detectTypologies } from './detect.js';
import type { Typology, TypologyAlert } from './model.js';

/** 2024-03-01T00:00:00Z. */
export const T0 = 1_709_251_200;
/** A minute, in seconds. */
export const MIN = 60;
/** An hour, in seconds. */
export const HOUR = 3600;
/** A day, in seconds. */
export const DAY = 86_400;

let counter = 0;

/** A transfer of `amount` units (6 decimals, USDT by default) at `T0 + at` seconds. */
export function tx(
  from: string,
  to: string,
  amount: number,
  at: number,
  asset = 'USDT',
  id?: string,
): Transfer {
  counter++;
  return {
    id: id ?? `x${counter}`,
    chain: 'ledger',
    asset,
    decimals: 6,
    from: `ledger:${from}`,
    to: `ledger:${to}`,
    amountBase: BigInt(Math.round(amount * 1e6)),
    timestamp: T0 + Math.floor(at),
  };
}

/** A config running only `typology`, with `override` on top. */
export function only(typology: Typology, override: Record<string, unknown> = {}): TypologyConfig {
  return parseTypologyConfig({ ...override, typologies: [typology] }, DEFAULT_TYPOLOGY_CONFIG);
}

/** Alerts of one detector as `subject:typology` strings, sorted. */
export function found(
  transfers: readonly Transfer[],
  typology: Typology,
  override: Record<string, unknown> = {},
) {
  return detectTypologies(transfers, only(typology, override))
    .map((a) => `${a.subject}:${a.typology}`)
    .sort();
}

/** The alerts themselves, for a closer look. */
export function alertsOf(
  transfers: readonly Transfer[],
  typology: Typology,
  override: Record<string, unknown> = {},
): TypologyAlert[] {
  return detectTypologies(transfers, only(typology, override));
}

/**
 * A month of ordinary traffic that no detector should report: `users` people each paying a
 * neighbour a few irregular amounts at irregular times, so the data spans 30 days and addresses
 * in a test have company. Deterministic.
 */
export function quietMonth(users = 40): Transfer[] {
  const out: Transfer[] = [];
  for (let i = 0; i < users; i++) {
    for (let k = 0; k < 3; k++) {
      const at = ((i * 7919 + k * 104_729) % 29) * DAY + ((i * 31 + k * 17) % 24) * HOUR;
      const amount = 20 + ((i * 37 + k * 53) % 400) + k * 0.37;
      out.push(tx(`user${i}`, `user${(i + 1 + k) % users}`, amount, at));
    }
  }
  return out;
}
