import type { Pool } from 'pg';

export class ListsRepository {
  constructor(private readonly pool: Pool) {}

  async count(): Promise<number> {
    const result = await this.pool.query('select count(*) from list_entries');
    return Number(result.rows[0].count);
  }
}
