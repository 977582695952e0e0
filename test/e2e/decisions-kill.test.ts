import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { runCordon, startServe } from '../helpers/cli.js';
import { freshPgliteDir } from '../helpers/stores.js';

// TRON addresses: a clean sender, and the demo guarantee marketplace (attributed in demo data).
const CLEAN = 'TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8';
const FLAGGED = 'TKgJqZ1HCjDLH68VmB2ccYkkbkSRsLGk58';
const OURS = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';

test('SIGKILL under decision load: every answered decision survives, unchanged, and a retry returns it', async () => {
  const dir = await freshPgliteDir();
  const key = await runCordon([
    'keys',
    'create',
    '--role',
    'service',
    '--name',
    'platform',
    '--db',
    dir,
    '--json',
  ]);
  assert.equal(key.code, 0, key.stderr);
  const token = (JSON.parse(key.stdout) as { token: string }).token;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const body = (id: string, i: number) =>
    JSON.stringify({
      id,
      customerId: 'cust-1',
      chain: 'tron',
      asset: 'USDT',
      amount: String(100 + i),
      from: [i % 5 === 0 ? FLAGGED : CLEAN],
      to: OURS,
      tx: `${i.toString(16).padStart(64, '0')}`,
    });

  let server = await startServe(['--db', dir, '--demo']);
  const answered = new Map<string, { status: number; text: string; i: number }>();
  try {
    const customer = await fetch(`${server.url}/v1/customers`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        id: 'cust-1',
        type: 'person',
        names: { primary: 'Kill Test' },
        legalEntity: 'cordon-us',
        kycLevel: 2,
      }),
    });
    assert.equal(customer.status, 201, await customer.text());
    let stop = false;
    let next = 0;
    const worker = async () => {
      while (!stop) {
        const i = next++;
        const id = `dep-${i}`;
        try {
          const res = await fetch(`${server.url}/v1/transfers`, {
            method: 'POST',
            headers,
            body: body(id, i),
          });
          const text = await res.text();
          if (res.status === 201 || res.status === 200) answered.set(id, { status: res.status, text, i });
        } catch {
          return; // the server is gone
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    while (answered.size < 60) await new Promise((r) => setTimeout(r, 5));
    server.child.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    await server.exited;
  } catch (err) {
    server.child.kill('SIGKILL');
    throw err;
  }

  server = await startServe(['--db', dir]);
  try {
    assert.ok(answered.size >= 60);
    let blocked = 0;
    for (const [id, first] of answered) {
      const res = await fetch(`${server.url}/v1/transfers`, {
        method: 'POST',
        headers,
        body: body(id, first.i),
      });
      // The first answer again, byte for byte, marked as a replay.
      assert.equal(res.status, first.status, `retry of ${id}`);
      assert.equal(res.headers.get('idempotent-replayed'), 'true', id);
      assert.equal(await res.text(), first.text, id);
      const original = JSON.parse(first.text) as { decision: string };
      if (original.decision !== 'allow') blocked++;
    }
    assert.ok(blocked > 0, 'some deposits came from the flagged address and were not allowed');
    // A conflicting repeat of an answered id is refused.
    const [someId, some] = [...answered][0] as [string, { i: number }];
    const conflict = await fetch(`${server.url}/v1/transfers`, {
      method: 'POST',
      headers,
      body: body(someId, some.i + 1),
    });
    assert.equal(conflict.status, 409);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  }
});
