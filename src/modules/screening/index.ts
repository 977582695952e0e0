/** Screening: names (normalised, transliterated, explained) and crypto addresses (exact, chain-aware). */
export { type AddressIndex, type AddressScreening, buildAddressIndex } from './address-index.js';
export { buildNameIndex, type EntityMatch, type NameIndex, type NameQuery } from './name-index.js';
export { compareNames, DEFAULT_THRESHOLD, prepareName, REVIEW_THRESHOLD } from './names/index.js';
export { matchCommand, screenCommand } from './screening.command.js';
export { screeningRoutes } from './screening.routes.js';
export {
  createScreeningService,
  DEFAULT_SCREENING_SETTINGS,
  type ScreeningService,
  type ScreeningSettings,
  type ScreeningSnapshot,
  type ScreeningSource,
} from './screening.service.js';
