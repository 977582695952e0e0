import type { Migration } from 'kysely';
import { migration0001Init } from './0001-init.js';
import { migration0002Lists } from './0002-lists.js';
import { migration0003Followers } from './0003-followers.js';
import { migration0004Decisions } from './0004-decisions.js';
import { migration0005DecisionsStoredForm } from './0005-decisions-stored-form.js';

/**
 * Every migration, in order. Forward-only: a released migration is never edited or removed;
 * a change is a new entry at the end. The names are the keys recorded in the store.
 */
export const MIGRATIONS: ReadonlyArray<readonly [name: string, migration: Migration]> = [
  ['0001-init', migration0001Init],
  ['0002-lists', migration0002Lists],
  ['0003-followers', migration0003Followers],
  ['0004-decisions', migration0004Decisions],
  ['0005-decisions-stored-form', migration0005DecisionsStoredForm],
];
