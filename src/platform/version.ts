import { readFileSync } from 'node:fs';

/** cordon's version, from package.json (reported by `/health`, OpenAPI and `--version`). */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
