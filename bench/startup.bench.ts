import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/cordon.js', import.meta.url));

/** Time from spawning `cordon serve` to its "listening" line, then a SIGTERM and the time to exit. */
function startOnce(dir: string): Promise<{ startMs: number; stopMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--json', '--db', dir], {
      env: { ...process.env, CORDON_LOG_LEVEL: 'warn', CORDON_LIST_REFRESH_MINUTES: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let startMs = 0;
    let t1 = 0;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.includes('"listening"')) {
        startMs = performance.now() - t0;
        t1 = performance.now();
        child.kill('SIGTERM');
      }
    });
    child.on('exit', (code) =>
      startMs ? resolve({ startMs, stopMs: performance.now() - t1 }) : reject(new Error(`exit ${code}`)),
    );
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/** Cold start of `cordon serve` on the embedded store: a new folder (initdb) and an existing one. */
export async function run(): Promise<void> {
  const fresh: number[] = [];
  const warm: number[] = [];
  const stop: number[] = [];
  for (let i = 0; i < 3; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'cordon-start-'));
    fresh.push((await startOnce(dir)).startMs);
    for (let j = 0; j < 2; j++) {
      const r = await startOnce(dir);
      warm.push(r.startMs);
      stop.push(r.stopMs);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('| cordon serve, embedded store | median | runs |');
  console.log('|---|---|---|');
  console.log(
    `| first start on an empty folder (creates the database) | ${median(fresh).toFixed(0)} ms | ${fresh.length} |`,
  );
  console.log(`| start on an existing store | ${median(warm).toFixed(0)} ms | ${warm.length} |`);
  console.log(`| graceful stop (SIGTERM → exit) | ${median(stop).toFixed(0)} ms | ${stop.length} |`);
}
