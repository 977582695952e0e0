export { normalizeName } from './list-normalize.js';
