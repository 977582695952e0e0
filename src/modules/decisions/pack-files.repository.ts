import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parsePackText } from './pack-format.js';
import type { PolicyService } from './policies.service.js';
import type { PackDefinition } from './policy.js';

/**
 * The folder of the packs cordon ships: beside this file when running from source, or in the
 * source tree when running compiled from dist/ (the YAML files are not compiled).
 */
export function builtinPacksDir(): string {
  const candidates = [
    new URL('./packs/', import.meta.url),
    new URL('../../../src/modules/decisions/packs/', import.meta.url),
  ];
  for (const c of candidates) {
    const path = fileURLToPath(c);
    if (existsSync(path)) return path;
  }
  throw new Error('the built-in policy packs folder (src/modules/decisions/packs) is missing');
}

/**
 * Reads every `*.yaml` / `*.json` pack in a folder (the shipped packs by default). A pack that does
 * not parse is a startup error naming the file: shipping a broken pack must never go unnoticed.
 */
export function readPackFiles(dir: string = builtinPacksDir()): PackDefinition[] {
  const files = readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort();
  return files.map((f) => {
    const parsed = parsePackText(readFileSync(`${dir}/${f}`, 'utf8'), f);
    if (!parsed.ok) {
      const p = parsed.problems[0];
      throw new Error(`policy pack ${f}: ${p?.field}: ${p?.message}`);
    }
    return parsed.pack;
  });
}

/**
 * Seeds the shipped packs into the store at startup (version 1, published, when a pack is absent;
 * a draft when cordon ships a changed pack). Safe to call on every start.
 */
export function ensureBuiltinPacks(
  policies: Pick<PolicyService, 'ensureBuiltinPacks'>,
  dir?: string,
): Promise<{ published: string[]; drafted: string[] }> {
  return policies.ensureBuiltinPacks(readPackFiles(dir));
}
