import type { Clock } from '../shared/clock.js';

/** The wall clock, for production wiring; pure code receives it as a `Clock`. */
export const systemClock: Clock = { nowMs: () => Date.now() };
