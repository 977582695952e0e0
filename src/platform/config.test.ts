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

  test('decision settings: legal entities, exposure, timeout, state', () => {
    const c = parseConfig(
      {},
      {
        CORDON_LEGAL_ENTITIES: '{"acme-us":"US","acme-sg":"SG"}',
        CORDON_DECISION_EXPOSURE_HOPS: '2',
        CORDON_DECISION_EXPOSURE_METHOD: 'poison',
        CORDON_DECISION_TIMEOUT_MS: '500',
        CORDON_DECISION_STATE: 'store',
      },
    );
    assert.deepEqual(c.legalEntities, { 'acme-us': 'US', 'acme-sg': 'SG' });
    assert.equal(c.decisionExposureHops, 2);
    assert.equal(c.decisionExposureMethod, 'poison');
    assert.equal(c.decisionTimeoutMs, 500);
    assert.equal(c.decisionState, 'store');
    const d = parseConfig({}, {});
    assert.equal(d.legalEntities, null);
    assert.equal(d.decisionState, 'memory');
    assert.equal(d.decisionExposureHops, 3);
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
    [
      'legal entities that are not JSON',
      {},
      { CORDON_LEGAL_ENTITIES: 'acme=US' },
      /invalid CORDON_LEGAL_ENTITIES value "acme=US": expected a JSON object/,
    ],
    [
      'a legal entity without a jurisdiction code',
      {},
      { CORDON_LEGAL_ENTITIES: '{"acme-us":"United States"}' },
      /legal entity "acme-us": the jurisdiction must be a code/,
    ],
    ['an unknown decision state', {}, { CORDON_DECISION_STATE: 'cache' }, /expected memory or store/],
    [
      'exposure hops beyond 6',
      {},
      { CORDON_DECISION_EXPOSURE_HOPS: '9' },
      /expected an integer between 1 and 6/,
    ],
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
