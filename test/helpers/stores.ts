import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openStore, type Store } from '../../src/platform/db/store.js';

/** The PostgreSQL server the store suites run against (a throwaway database per run is created on it). */
export const TEST_PG_URL = process.env.CORDON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const TEMPLATE = process.env.CORDON_TEST_PGLITE_TEMPLATE ?? join(tmpdir(), 'cordon-test-pglite-template');

/**
 * A PGlite data folder initialised once (initdb takes seconds) and copied for each test store, so
 * every embedded store in the suite starts from a clean, unmigrated database in well under a second.
 */
export async function pgliteTemplate(): Promise<string> {
  if (existsSync(join(TEMPLATE, 'PG_VERSION'))) return TEMPLATE;
  const staging = `${TEMPLATE}.${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const db = await PGlite.create({ dataDir: staging });
  await db.close();
  try {
    renameSync(staging, TEMPLATE);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another process won the race
  }
  return TEMPLATE;
}

/** A fresh folder for an embedded store, pre-seeded from the template. */
export async function freshPgliteDir(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'cordon-store-'));
  mkdirSync(dir, { recursive: true });
  cpSync(await pgliteTemplate(), join(dir, 'pgdata'), { recursive: true });
  return dir;
}

/** A store under test and how to dispose of it. */
export interface TestStore {
  store: Store;
  label: 'pglite' | 'postgres';
  /** Reopens the same data (to test persistence); the old handle must be closed first. */
  reopen(): Promise<Store>;
  dispose(): Promise<void>;
}

/** Opens a migrated embedded store in a fresh folder. */
export async function openTestPglite(): Promise<TestStore> {
  const dir = await freshPgliteDir();
  let store = await openStore({ kind: 'pglite', dir });
  return {
    get store() {
      return store;
    },
    label: 'pglite',
    async reopen() {
      store = await openStore({ kind: 'pglite', dir });
      return store;
    },
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates a throwaway PostgreSQL database, opens a migrated store on it; dispose drops it. */
export async function openTestPostgres(): Promise<TestStore> {
  const name = `cordon_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  let store = await openStore({ kind: 'postgres', url: url.toString() });
  return {
    get store() {
      return store;
    },
    label: 'postgres',
    async reopen() {
      store = await openStore({ kind: 'postgres', url: url.toString() });
      return store;
    },
    async dispose() {
      await store.close();
      const a = new pg.Client({ connectionString: TEST_PG_URL });
      await a.connect();
      try {
        await a.query(`drop database if exists ${name} with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}

/** Both dialects, for suites that must pass on each: `for (const open of STORES) describe(...)`. */
export const STORES: ReadonlyArray<{ label: 'pglite' | 'postgres'; open: () => Promise<TestStore> }> = [
  { label: 'pglite', open: openTestPglite },
  { label: 'postgres', open: openTestPostgres },
];
