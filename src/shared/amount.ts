/**
 * Amounts as exact integers in an asset's base units (satoshi, wei, USDT's 10^-6), never floats:
 * `1250.00` USDT with 6 decimals is `1250000000n`. Parsing names what is wrong; formatting trims
 * trailing zeros.
 */

/** Why a value is not an amount. */
export type AmountError = 'not_numeric' | 'negative' | 'zero' | 'too_precise' | 'too_large';

/** The result of parsing an amount: base units, or the reason it is not one. */
export type AmountResult = { ok: true; base: bigint } | { ok: false; error: AmountError; reason: string };

/** Largest accepted amount in base units (2^128 − 1: above any real token supply). */
export const MAX_AMOUNT_BASE = (1n << 128n) - 1n;

const DECIMAL = /^(\d+)(?:\.(\d*))?$/;

/**
 * Parses a decimal string or a JSON number into base units of an asset with `decimals` places.
 * Rejects signs, exponents beyond what a number prints, more fractional digits than the asset
 * has (`too_precise`: never rounds), zero unless `allowZero`, and absurd magnitudes.
 *
 * @example parseAmount('1250.5', 6) // { ok: true, base: 1250500000n }
 */
export function parseAmount(value: unknown, decimals: number, allowZero = false): AmountResult {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return fail('not_numeric', 'amount is not a finite number');
    if (value < 0) return fail('negative', 'amount is negative');
    text = numberToPlain(value);
  } else if (typeof value === 'string') {
    text = value.trim();
    if (text.startsWith('-')) return fail('negative', 'amount is negative');
  } else {
    return fail('not_numeric', 'amount must be a decimal string or a number');
  }
  const m = DECIMAL.exec(text);
  if (m === null) return fail('not_numeric', `amount "${text.slice(0, 40)}" is not a decimal number`);
  const whole = m[1] ?? '0';
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > decimals) {
    return fail('too_precise', `amount has ${frac.length} decimal places; the asset has ${decimals}`);
  }
  if (whole.length > 60) return fail('too_large', 'amount is too large');
  const base = BigInt(whole) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, '0') || '0');
  if (base > MAX_AMOUNT_BASE) return fail('too_large', 'amount is too large');
  if (base === 0n && !allowZero) return fail('zero', 'amount is zero');
  return { ok: true, base };
}

/**
 * Formats base units as a decimal string without trailing zeros.
 *
 * @example formatAmount(1250500000n, 6) // '1250.5'
 */
export function formatAmount(base: bigint, decimals: number): string {
  const negative = base < 0n;
  const digits = (negative ? -base : base).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${frac === '' ? '' : `.${frac}`}`;
}

/** A JSON number printed without exponent (`1e-7` → `0.0000001`), as its shortest round-trip form. */
function numberToPlain(value: number): string {
  const s = String(value);
  if (!/e/i.test(s)) return s;
  const [mantissa = '0', expText = '0'] = s.toLowerCase().split('e');
  const exp = Number(expText);
  const [intPart = '0', fracPart = ''] = mantissa.split('.');
  const digits = intPart + fracPart;
  const point = intPart.length + exp;
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

function fail(error: AmountError, reason: string): AmountResult {
  return { ok: false, error, reason };
}
