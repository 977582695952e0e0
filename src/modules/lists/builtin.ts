import { canonicalJson } from './canonical.js';
import type { ListFormat } from './formats.js';
import type { ListService } from './lists.service.js';
import type { ListParser, SourceFile } from './model.js';
import { builtinHuioneSource, HUIONE_DESIGNATIONS } from './sources/fincen311/huione.js';

/** The built-in FinCEN 311 designation set for the Huione Group, as a virtual file (hashable like any other). */
export function builtinHuioneFile(): SourceFile {
  const bytes = new TextEncoder().encode(canonicalJson(HUIONE_DESIGNATIONS));
  return {
    name: 'builtin:fincen-311-huione.json',
    open: async function* () {
      yield bytes;
    },
  };
}

const parseBuiltinHuione: ListParser = async function* () {
  yield* builtinHuioneSource();
};

/** The format of the built-in set (not offered for files). */
export const BUILTIN_HUIONE_FORMAT: ListFormat = {
  name: 'builtin-huione',
  description: 'the Huione Group designation set shipped with cordon (FinCEN Section 311)',
  defaultSource: 'fincen-311-huione',
  parse: parseBuiltinHuione,
};

/**
 * Makes sure the built-in designations are loaded and current: a no-op when the active version
 * already has the same content, a new version when cordon ships an updated set.
 */
export async function ensureBuiltinLists(lists: ListService, maxFileBytes: number) {
  return lists.importFiles({
    format: BUILTIN_HUIONE_FORMAT,
    files: [builtinHuioneFile()],
    importedBy: 'builtin',
    maxFileBytes,
  });
}
