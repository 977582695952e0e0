/** Watchlists and attributions: formats, immutable versions, atomic activation, diffs, updates. */
export { builtinHuioneFile, ensureBuiltinLists } from './builtin.js';
export { detectFormat, FORMATS, formatByName, type ListFormat } from './formats.js';
export { type ListsCommandDeps, listsCommands } from './lists.command.js';
export { createListUpdater, type ListUpdater } from './lists.download.js';
export {
  type ActiveAddressRow,
  type ActiveListReader,
  createActiveListReader,
  createListRepository,
} from './lists.repository.js';
export { listsRoutes } from './lists.routes.js';
export { createListService, type ListService, type ListStore } from './lists.service.js';
export type { Attribution, EntityRelation, ListEntity } from './model.js';
export { DEFAULT_LIST_SOURCES, type ListSourceConfig } from './sources.js';
