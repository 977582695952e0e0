import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { osaDistance } from './edit-distance.js';
import { jaro, jaroWinkler } from './jaro-winkler.js';

describe('Jaro-Winkler and edit distance', () => {
  test('textbook values', () => {
    assert.ok(Math.abs(jaro('martha', 'marhta') - 0.9444) < 0.001);
    assert.ok(Math.abs(jaroWinkler('martha', 'marhta') - 0.9611) < 0.001);
    assert.ok(Math.abs(jaroWinkler('dwayne', 'duane') - 0.84) < 0.001);
    assert.ok(Math.abs(jaroWinkler('dixon', 'dicksonx') - 0.8133) < 0.001);
    assert.equal(jaroWinkler('abc', 'abc'), 1);
    assert.equal(jaroWinkler('abc', 'xyz'), 0);
    assert.equal(jaroWinkler('', 'abc'), 0);
  });

  test('strings longer than the scratch buffers', () => {
    const a = 'a'.repeat(100);
    assert.equal(jaroWinkler(a, `${a}b`) > 0.99, true);
    assert.equal(osaDistance(a, `${a}bc`), 2);
  });

  test('a transposition is one edit', () => {
    assert.equal(osaDistance('abdul', 'abudl'), 1);
    assert.equal(osaDistance('kitten', 'sitting'), 3);
    assert.equal(osaDistance('', 'abc'), 3);
  });
});
