import fastify from 'fastify';
import { ListsRepository, ListsService, listsRoutes } from '../modules/lists/index.js';
import { createDb } from '../platform/db/pool.js';
import { createLogger } from '../platform/logger.js';

const app = fastify();
const db = createDb(process.env.DATABASE_URL ?? 'postgres://localhost/cordon');
listsRoutes(app, new ListsService(new ListsRepository(db), createLogger()));
await app.listen({ port: 8080 });
