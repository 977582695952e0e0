export type { ListEntry, ListsStore } from './list-entry.js';
export { ListsRepository } from './lists.repository.js';
export { listsRoutes } from './lists.routes.js';
export { ListsService } from './lists.service.js';
