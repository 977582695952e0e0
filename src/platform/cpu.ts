/**
 * CPU time from Linux's /proc: for benchmarks and the database thread's `stats`, where
 * `process.cpuUsage()` (the whole process) is not what is asked.
 */
import { readFileSync } from 'node:fs';

/**
 * CPU seconds (user + system) recorded in a /proc `stat` file: `/proc/<pid>/stat` for a process,
 * `/proc/<pid>/task/<tid>/stat` or `/proc/thread-self/stat` for a thread; NaN where it cannot be read.
 */
export function procCpuSeconds(statPath: string): number {
  try {
    const stat = readFileSync(statPath, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}
