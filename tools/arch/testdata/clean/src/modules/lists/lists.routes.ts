import type { FastifyInstance } from 'fastify';
import type { ListsService } from './lists.service.js';

export function listsRoutes(app: FastifyInstance, lists: ListsService): void {
  app.get('/lists/size', async () => ({ size: await lists.size() }));
}
