/** Identity: API keys and the roles they carry. */

export { apiKeyCommands } from './api-key.command.js';
export type { ApiKey } from './api-key.js';
export { createApiKeyRepository } from './api-key.repository.js';
export { apiKeyRoutes } from './api-key.routes.js';
export { type ApiKeyService, type ApiKeyStore, createApiKeyService } from './api-key.service.js';
