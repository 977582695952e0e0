import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createFixedClock } from '../../shared/clock.js';
import { CordonError } from '../../shared/errors.js';
import type { ApiKey } from './api-key.js';
import { type ApiKeyStore, createApiKeyService } from './api-key.service.js';

function memoryStore() {
  const rows = new Map<string, { key: ApiKey; secretHash: string }>();
  let lookups = 0;
  const store = {
    async insert(key, secretHash) {
      rows.set(key.id, { key: { ...key }, secretHash });
    },
    async findWithHash(id) {
      lookups++;
      const row = rows.get(id);
      return row && { key: { ...row.key }, secretHash: row.secretHash };
    },
    async list({ includeRevoked }) {
      return [...rows.values()].map((r) => r.key).filter((k) => includeRevoked || !k.revokedAt);
    },
    async revoke(id, at) {
      const row = rows.get(id);
      if (row && !row.key.revokedAt) row.key.revokedAt = at;
      return row?.key;
    },
    async touch(id, at) {
      const row = rows.get(id);
      if (row) row.key.lastUsedAt = at;
    },
  } satisfies ApiKeyStore;
  return { store, rows, lookups: () => lookups };
}

describe('api key service', () => {
  test('a created key authenticates as its role; the store never holds the token', async () => {
    const mem = memoryStore();
    const keys = createApiKeyService({
      store: mem.store,
      clock: createFixedClock(1_700_000_000_000),
      cacheTtlMs: 1000,
    });
    const { key, token } = await keys.create({ name: 'exchange platform', role: 'service', createdBy: null });
    assert.match(token, /^ck\.key_[0-9a-z]{26}\.[0-9a-z]{32}$/);
    const stored = JSON.stringify([...mem.rows.values()]);
    assert.ok(!stored.includes(token.split('.')[2] as string), 'the secret must not be stored');
    assert.deepEqual(await keys.authenticate(token), {
      keyId: key.id,
      name: 'exchange platform',
      role: 'service',
    });
  });

  test('wrong secret, malformed token and unknown key are all rejected', async () => {
    const keys = createApiKeyService({
      store: memoryStore().store,
      clock: createFixedClock(0),
      cacheTtlMs: 1000,
    });
    const { token } = await keys.create({ name: 'a', role: 'admin', createdBy: null });
    const wrong = `${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}`;
    assert.equal(await keys.authenticate(wrong), null);
    assert.equal(await keys.authenticate('not-a-key'), null);
    assert.equal(
      await keys.authenticate('ck.key_00000000000000000000000000.00000000000000000000000000000000'),
      null,
    );
  });

  test('a revoked key stops working at once in this process, even while cached', async () => {
    const mem = memoryStore();
    const keys = createApiKeyService({ store: mem.store, clock: createFixedClock(0), cacheTtlMs: 60_000 });
    const { key, token } = await keys.create({ name: 'a', role: 'analyst', createdBy: null });
    assert.ok(await keys.authenticate(token));
    await keys.revoke(key.id);
    assert.equal(await keys.authenticate(token), null);
  });

  test('verified keys are cached for the TTL, then looked up again', async () => {
    const mem = memoryStore();
    const clock = createFixedClock(0);
    const keys = createApiKeyService({ store: mem.store, clock, cacheTtlMs: 1000 });
    const { token } = await keys.create({ name: 'a', role: 'auditor', createdBy: null });
    await keys.authenticate(token);
    await keys.authenticate(token);
    assert.equal(mem.lookups(), 1);
    clock.advance(1001);
    await keys.authenticate(token);
    assert.equal(mem.lookups(), 2);
  });

  test('bad role and bad name are invalid input naming the field', async () => {
    const keys = createApiKeyService({
      store: memoryStore().store,
      clock: createFixedClock(0),
      cacheTtlMs: 0,
    });
    await assert.rejects(keys.create({ name: 'x', role: 'root', createdBy: null }), (e: unknown) => {
      return e instanceof CordonError && e.kind === 'invalid' && e.details.field === 'role';
    });
    await assert.rejects(keys.create({ name: '  ', role: 'admin', createdBy: null }), (e: unknown) => {
      return e instanceof CordonError && e.kind === 'invalid' && e.details.field === 'name';
    });
    await assert.rejects(
      keys.revoke('key_nope'),
      (e: unknown) => e instanceof CordonError && e.kind === 'not_found',
    );
  });
});
