import type { Logger } from '../../platform/logger.js';
import type { ListsStore } from './list-entry.js';

export class ListsService {
  constructor(
    private readonly store: ListsStore,
    private readonly log: Logger,
  ) {}

  async size(): Promise<number> {
    const n = await this.store.count();
    this.log.info({ n }, 'list size');
    return n;
  }
}
