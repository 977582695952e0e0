import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { runCordon, startServe } from '../helpers/cli.js';
import { freshPgliteDir } from '../helpers/stores.js';

async function createKey(dir: string, role: string, name: string): Promise<string> {
  const r = await runCordon(['keys', 'create', '--role', role, '--name', name, '--db', dir, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { token: string }).token;
}

describe('cordon serve on the embedded store', () => {
  test('health, OpenAPI, auth over real HTTP, the store lock, and a graceful SIGTERM', async () => {
    const dir = await freshPgliteDir();
    const admin = await createKey(dir, 'admin', 'ops');
    const auditor = await createKey(dir, 'auditor', 'monitor');
    const server = await startServe(['--db', dir]);
    try {
      const health = await fetch(`${server.url}/health`);
      assert.equal(health.status, 200);
      assert.equal(
        ((await health.json()) as { checks: { store: { status: string } } }).checks.store.status,
        'ok',
      );

      const doc = await (await fetch(`${server.url}/openapi.json`)).json();
      assert.equal((await new Validator().validate(doc as never)).valid, true);

      const post = (token: string | null, body: string) =>
        fetch(`${server.url}/v1/keys`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body,
        });
      const unauth = await post(null, '{"name":"x","role":"analyst"}');
      assert.equal(unauth.status, 401);
      assert.match(unauth.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.equal((await post(auditor, '{"name":"x","role":"analyst"}')).status, 403);
      const bad = await post(admin, '{"name":"x","role":"superuser"}');
      assert.equal(bad.status, 400);
      assert.match(((await bad.json()) as { detail: string }).detail, /body\.role/);
      assert.equal((await post(admin, '{"name":"x","role":"analyst"}')).status, 201);

      // The embedded store is single-process: a CLI command on the same folder is refused cleanly.
      const locked = await runCordon(['keys', 'list', '--db', dir]);
      assert.equal(locked.code, 6);
      assert.match(locked.stderr, /^cordon: the embedded store .* is in use by process \d+/);
      assert.equal(locked.stderr.trim().split('\n').length, 1, 'one line on error');
    } finally {
      server.child.kill('SIGTERM');
    }
    assert.equal(await server.exited, 0, server.stderr());
    assert.ok(!existsSync(join(dir, 'cordon.lock')), 'the lock is released on a graceful stop');
    const after = await runCordon(['keys', 'list', '--db', dir, '--json']);
    assert.equal((JSON.parse(after.stdout) as { keys: unknown[] }).keys.length, 3);
    rmSync(dir, { recursive: true, force: true });
  });

  test('SIGKILL during writes loses no acknowledged row and leaves the store readable', async () => {
    const dir = await freshPgliteDir();
    const admin = await createKey(dir, 'admin', 'ops');
    const server = await startServe(['--db', dir]);
    const acknowledged: string[] = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await fetch(`${server.url}/v1/keys`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
            body: JSON.stringify({ name: `w${w}-${i}`, role: 'analyst' }),
          });
          if (res.status === 201) acknowledged.push(((await res.json()) as { key: { id: string } }).key.id);
        } catch {
          return; // the server is gone
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    while (acknowledged.length < 150) await new Promise((r) => setTimeout(r, 5));
    server.child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    assert.equal(await server.exited, 'SIGKILL');
    assert.ok(existsSync(join(dir, 'cordon.lock')), 'a killed server leaves its lock behind');

    // Restart on the same folder: the stale lock is taken over and every acknowledged row is there.
    const list = await runCordon(['keys', 'list', '--db', dir, '--json']);
    assert.equal(list.code, 0, list.stderr);
    const ids = new Set((JSON.parse(list.stdout) as { keys: { id: string }[] }).keys.map((k) => k.id));
    const missing = acknowledged.filter((id) => !ids.has(id));
    assert.deepEqual(missing, [], `${missing.length} of ${acknowledged.length} acknowledged rows lost`);
    const again = await startServe(['--db', dir]);
    assert.equal((await fetch(`${again.url}/health`)).status, 200);
    again.child.kill('SIGTERM');
    assert.equal(await again.exited, 0);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('cordon CLI', () => {
  test('bad input: one clear line and the exit code for its kind', async () => {
    const dir = await freshPgliteDir();
    const badRole = await runCordon(['keys', 'create', '--role', 'root', '--name', 'x', '--db', dir]);
    assert.equal(badRole.code, 2);
    assert.equal(badRole.stderr.trim(), 'cordon: role must be one of admin, mlro, analyst, auditor, service');
    const badJson = await runCordon([
      'keys',
      'revoke',
      'key_00000000000000000000000000',
      '--db',
      dir,
      '--json',
    ]);
    assert.equal(badJson.code, 3);
    assert.equal(JSON.parse(badJson.stderr).error.code, 'keys.not_found');
    const badPort = await runCordon(['serve', '--port', 'eighty', '--db', dir]);
    assert.equal(badPort.code, 2);
    assert.match(
      badPort.stderr,
      /^cordon: invalid --port value "eighty": expected an integer between 0 and 65535\n$/,
    );
    const help = await runCordon(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /serve/);
    rmSync(dir, { recursive: true, force: true });
  });
});
