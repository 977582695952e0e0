import type { Db } from '../../platform/db/pool.js';
import type { ListsStore } from './list-entry.js';

export class ListsRepository implements ListsStore {
  constructor(private readonly db: Db) {}

  async count(): Promise<number> {
    const result = await this.db.query('select count(*) as n from list_entries');
    return Number(result.rows[0]?.n ?? 0);
  }
}
