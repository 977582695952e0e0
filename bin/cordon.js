#!/usr/bin/env node
// The cordon command. `npm ci` compiles src/ to dist/ (the "prepare" script); when dist/ is missing
// or older than the sources (a developer editing), the sources run through tsx's loader instead,
// so no one ever runs a separate build step.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = `${root}dist/main/cli.js`;
const stamp = `${root}dist/.tsbuildinfo`;

function sourcesNewerThan(ms) {
  for (const file of readdirSync(`${root}src`, { recursive: true })) {
    if (String(file).endsWith('.ts') && statSync(`${root}src/${file}`).mtimeMs > ms) return true;
  }
  return false;
}

const useCompiled =
  process.env.CORDON_FROM_SOURCE !== '1' &&
  existsSync(compiled) &&
  existsSync(stamp) &&
  !sourcesNewerThan(statSync(stamp).mtimeMs);

let cli;
if (useCompiled) {
  cli = await import(compiled);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../src/main/cli.ts');
}
await cli.main(process.argv);
