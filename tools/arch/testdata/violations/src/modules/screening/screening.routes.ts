import type { FastifyInstance } from 'fastify';
import { ListsRepository } from '../lists/lists.repository.js';

export function screeningRoutes(app: FastifyInstance, lists: ListsRepository): void {
  app.get('/screening/lists/count', async () => ({ count: await lists.count() }));
}
