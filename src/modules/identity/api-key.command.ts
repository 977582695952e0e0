import { Command } from 'commander';
import type { Output } from '../../platform/cli/output.js';
import { ROLES } from '../../shared/roles.js';
import type { ApiKey } from './api-key.js';
import type { ApiKeyService } from './api-key.service.js';

/** `cordon keys create|list|revoke`: manage API keys straight on the store. */
export function apiKeyCommands(
  run: <T>(use: (keys: ApiKeyService, out: Output) => Promise<T>) => Promise<T>,
): Command {
  const keys = new Command('keys').description('manage API keys (stored as hashes; a key is shown once)');

  keys
    .command('create')
    .description('create an API key and print it once')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .requiredOption('--name <name>', 'who or what uses the key')
    .action((opts: { role: string; name: string }) =>
      run(async (service, out) => {
        const { key, token } = await service.create({ name: opts.name, role: opts.role, createdBy: 'cli' });
        out.result({ key, token }, () =>
          [
            `created ${key.role} key ${key.id} (${key.name})`,
            '',
            `  ${token}`,
            '',
            'Store it now: it is not shown again.',
          ].join('\n'),
        );
      }),
    );

  keys
    .command('list')
    .description('list API keys (never their secrets)')
    .option('--all', 'include revoked keys')
    .action((opts: { all?: boolean }) =>
      run(async (service, out) => {
        const list = await service.list({ includeRevoked: opts.all === true });
        out.result({ keys: list }, ({ keys: ks }) => (ks.length ? ks.map(line).join('\n') : 'no API keys'));
      }),
    );

  keys
    .command('revoke')
    .description('revoke an API key')
    .argument('<id>', 'the key id (key_…)')
    .action((id: string) =>
      run(async (service, out) => {
        const key = await service.revoke(id);
        out.result({ key }, (v) => `revoked ${v.key.id} (${v.key.name})`);
      }),
    );

  return keys;
}

function line(k: ApiKey): string {
  const used = k.lastUsedAt ? `last used ${k.lastUsedAt.toISOString()}` : 'never used';
  return `${k.id}  ${k.role.padEnd(8)} ${k.name}  created ${k.createdAt.toISOString()}, ${used}${k.revokedAt ? `, REVOKED ${k.revokedAt.toISOString()}` : ''}`;
}
