import cliProgress from 'cli-progress';

/** Progress of long work; a no-op unless a person is watching stderr. */
export interface Progress {
  increment(by?: number): void;
  update(done: number, total?: number): void;
  stop(): void;
}

/**
 * A progress bar on stderr when it is a terminal and output is not JSON; otherwise nothing, so
 * logs and pipes stay clean.
 */
export function createProgress(
  label: string,
  total: number,
  options: { json: boolean; stream?: NodeJS.WriteStream },
): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.json || !stream.isTTY) {
    return { increment() {}, update() {}, stop() {} };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`,
      stream,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    increment: (by = 1) => bar.increment(by),
    update: (done, newTotal) => {
      if (newTotal !== undefined) bar.setTotal(newTotal);
      bar.update(done);
    },
    stop: () => bar.stop(),
  };
}
