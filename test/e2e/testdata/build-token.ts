/**
 * Compiles TestToken.sol with the solc-js compiler bundled in the `solc` dev dependency (nothing is
 * downloaded) and writes test-token.json: the ABI, the deployment bytecode and the SHA-256 of the
 * source it came from, which the end-to-end test checks so a changed source without a rebuild fails.
 *
 * Run: node --import tsx test/e2e/testdata/build-token.ts
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const solc = require('solc') as { compile(input: string): string; version(): string };

const EVM_VERSION = 'cancun';
const source = readFileSync(join(here, 'TestToken.sol'), 'utf8');
const input = {
  language: 'Solidity',
  sources: { 'TestToken.sol': { content: source } },
  settings: {
    evmVersion: EVM_VERSION,
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { '*': { TestToken: ['abi', 'evm.bytecode.object'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
  errors?: { severity: string; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>>;
};
const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
if (errors.length > 0) {
  for (const e of errors) console.error(e.formattedMessage);
  process.exit(1);
}
const contract = output.contracts?.['TestToken.sol']?.TestToken;
if (contract === undefined) throw new Error('TestToken missing from the compiler output');
const artifact = {
  contract: 'TestToken',
  compiler: solc.version(),
  evmVersion: EVM_VERSION,
  sourceSha256: createHash('sha256').update(source).digest('hex'),
  abi: contract.abi,
  bytecode: `0x${contract.evm.bytecode.object}`,
};
writeFileSync(join(here, 'test-token.json'), `${JSON.stringify(artifact, null, 2)}\n`);
console.log(`test-token.json: ${artifact.bytecode.length / 2 - 1} bytes of bytecode, solc ${artifact.compiler}`);
