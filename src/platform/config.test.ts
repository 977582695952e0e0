import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { CordonError } from '../shared/errors.js';
import { parseConfig } from './config.js';

describe('parseConfig', () => {
  test('defaults: embedded store in ./.cordon, 127.0.0.1:8080, info logs', () => {
    const c = parseConfig({}, {});
    assert.deepEqual(c.store, { kind: 'pglite', dir: resolve('./.cordon') });
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.port, 8080);
    assert.equal(c.logLevel, 'info');
  });

  test('a flag wins over the environment, which wins over the default', () => {
    assert.equal(parseConfig({ port: '9001' }, { CORDON_PORT: '9002' }).port, 9001);
    assert.equal(parseConfig({}, { CORDON_PORT: '9002' }).port, 9002);
    assert.equal(parseConfig({}, { CORDON_PORT: '' }).port, 8080, 'an empty variable counts as unset');
  });

  test('a postgres:// URL selects PostgreSQL', () => {
    const c = parseConfig({ db: 'postgres://u@127.0.0.1:5432/cordon' }, {});
    assert.deepEqual(c.store, { kind: 'postgres', url: 'postgres://u@127.0.0.1:5432/cordon' });
  });

  const bad: [string, Parameters<typeof parseConfig>[0], Record<string, string>, RegExp][] = [
    ['port not a number', { port: 'http' }, {}, /invalid --port value "http": expected an integer/],
    ['port out of range', {}, { CORDON_PORT: '70000' }, /invalid CORDON_PORT value "70000"/],
    [
      'unknown log level',
      {},
      { CORDON_LOG_LEVEL: 'loud' },
      /invalid CORDON_LOG_LEVEL value "loud": expected one of fatal/,
    ],
    [
      'unsupported store URL',
      { db: 'mysql://x' },
      {},
      /invalid --db value "mysql:\/\/x": only folders and postgres/,
    ],
    ['host with spaces', { host: 'a b' }, {}, /invalid --host value/],
  ];
  for (const [name, flags, env, message] of bad) {
    test(`rejects ${name} with an error naming the setting and its source`, () => {
      assert.throws(
        () => parseConfig(flags, env),
        (err: unknown) =>
          err instanceof CordonError &&
          err.kind === 'invalid' &&
          err.code === 'config.invalid' &&
          message.test(err.message),
      );
    });
  }
});
