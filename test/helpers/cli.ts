import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The `cordon` executable of this checkout. */
export const CORDON_BIN = fileURLToPath(new URL('../../bin/cordon.js', import.meta.url));

/** Runs `cordon …` to completion and returns its exit code and output. */
export function runCordon(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CORDON_BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A `cordon serve` child process listening on a free port. */
export interface ServeProcess {
  child: ChildProcess;
  url: string;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
  stderr(): string;
}

/** Starts `cordon serve --port 0 --json` and waits for its "listening" line. */
export function startServe(
  args: string[],
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [...nodeArgs, CORDON_BIN, 'serve', '--port', '0', '--json', ...args],
    {
      env: { ...process.env, CORDON_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start within 60 s: ${stderr}`)), 60_000);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}) before listening: ${stderr}`));
    });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      try {
        const event = JSON.parse(line) as { event?: string; url?: string };
        if (event.event === 'listening' && event.url) {
          clearTimeout(timer);
          resolve({ child, url: event.url, exited, stderr: () => stderr });
        }
      } catch {
        // not our line
      }
    });
  });
}
