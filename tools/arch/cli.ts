/**
 * Architecture check entry point: `node --import tsx tools/arch/cli.ts [root]`.
 * Prints one `file:line rule message` per violation and exits 1 if there are any.
 */
import { resolve } from 'node:path';
import { checkArchitecture, readTree } from './check.js';

const root = resolve(process.argv[2] ?? '.');
try {
  const files = await readTree(root);
  const violations = checkArchitecture(files);
  for (const v of violations) console.log(`${v.file}:${v.line} ${v.rule} ${v.message}`);
  if (violations.length > 0) {
    console.error(`architecture: ${files.size} files, ${violations.length} violations`);
    process.exitCode = 1;
  } else {
    console.log(`architecture: ${files.size} files, 0 violations`);
  }
} catch (error) {
  console.error(
    `architecture: cannot check ${root}: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 2;
}
