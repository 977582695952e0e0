import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES, type TestStore } from '../../../test/helpers/stores.js';
import { issueKey } from './api-key.js';
import { createApiKeyRepository } from './api-key.repository.js';

for (const { label, open } of STORES) {
  describe(`api key repository on ${label}`, () => {
    let t: TestStore;
    before(async () => {
      t = await open();
    });
    after(async () => {
      await t?.dispose();
    });

    test('insert, find with hash, list, revoke and touch round-trip every field', async () => {
      const repo = createApiKeyRepository(t.store.db);
      const a = issueKey(
        { name: 'platform', role: 'service', createdBy: null },
        Date.parse('2026-01-01T00:00:00Z'),
      );
      const b = issueKey(
        { name: 'alice', role: 'analyst', createdBy: a.key.id },
        Date.parse('2026-01-02T00:00:00Z'),
      );
      await repo.insert(a.key, a.secretHash);
      await repo.insert(b.key, b.secretHash);

      const found = await repo.findWithHash(b.key.id);
      assert.deepEqual(found, { key: b.key, secretHash: b.secretHash });
      assert.equal(await repo.findWithHash('key_missing'), undefined);

      const usedAt = new Date('2026-02-01T10:00:00Z');
      await repo.touch(a.key.id, usedAt);
      const revokedAt = new Date('2026-03-01T00:00:00Z');
      const revoked = await repo.revoke(b.key.id, revokedAt);
      assert.deepEqual(revoked?.revokedAt, revokedAt);
      // revoking twice keeps the first revocation time
      assert.deepEqual((await repo.revoke(b.key.id, new Date('2027-01-01T00:00:00Z')))?.revokedAt, revokedAt);
      assert.equal(await repo.revoke('key_missing', revokedAt), undefined);

      assert.deepEqual(
        (await repo.list({ includeRevoked: false })).map((k) => [k.id, k.lastUsedAt]),
        [[a.key.id, usedAt]],
      );
      assert.deepEqual(
        (await repo.list({ includeRevoked: true })).map((k) => k.id),
        [a.key.id, b.key.id],
      );
    });

    test('a duplicate id is refused by the store', async () => {
      const repo = createApiKeyRepository(t.store.db);
      const k = issueKey({ name: 'dup', role: 'admin', createdBy: null }, 0);
      await repo.insert(k.key, k.secretHash);
      await assert.rejects(repo.insert(k.key, k.secretHash));
    });
  });
}
