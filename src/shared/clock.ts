/**
 * Time as a dependency: pure code takes a Clock instead of calling `Date.now()`, so tests and
 * replays can fix the time.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  nowMs(): number;
}

/** A clock stuck at a given instant (tests, replay); `advance` moves it forward. */
export function createFixedClock(startMs: number): Clock & { advance(ms: number): void } {
  let now = startMs;
  return {
    nowMs: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}
