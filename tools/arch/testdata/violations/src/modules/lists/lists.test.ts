// Test files are skipped by every rule, even when they do this:
import { Pool } from 'pg';
import { ListsRepository } from './lists.repository.js';

export const repo = new ListsRepository(new Pool());
