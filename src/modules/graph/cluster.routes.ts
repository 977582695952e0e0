import { Type } from 'typebox';
import type { RoutePlugin } from '../../platform/http/app.js';
import { principalOf } from '../../platform/http/auth.js';
import { CordonError } from '../../shared/errors.js';
import { STAFF_READ } from '../../shared/roles.js';
import type { GraphService } from './graph.service.js';
import { resolveSubject } from './subject.js';

const Evidence = Type.Object(
  {},
  { additionalProperties: true, description: 'a merge with its heuristic, transaction and detail' },
);
const ClusterResponse = Type.Object(
  {
    address: Type.String(),
    chain: Type.String(),
    known: Type.Boolean(),
    clusterId: Type.String(),
    size: Type.Integer(),
    members: Type.Array(Type.String()),
    membersTruncated: Type.Boolean(),
    attributions: Type.Array(
      Type.Object(
        {
          entityId: Type.String(),
          entityName: Type.String(),
          category: Type.String(),
          source: Type.String(),
          confidence: Type.Number(),
          member: Type.String(),
          via: Type.Array(Evidence),
        },
        { additionalProperties: true },
      ),
    ),
  },
  { additionalProperties: true },
);

/** `/v1/clusters/{chain}/{address}` and `/v1/clusters/merges/{id}/undo`. */
export function clusterRoutes(graph: GraphService): RoutePlugin {
  const clustererOf = () => {
    const c = graph.clusterer;
    if (c === undefined) throw new CordonError('not_found', 'clustering.off', 'clustering is not enabled');
    return c;
  };
  return async (app) => {
    app.get(
      '/clusters/:chain/:address',
      {
        config: { allow: [...STAFF_READ, 'service'] },
        schema: {
          tags: ['graph'],
          summary:
            'The cluster of an address: its members and the attributions it inherits, with the merges as evidence',
          params: Type.Object({
            chain: Type.String({ minLength: 1, maxLength: 40 }),
            address: Type.String({ minLength: 1, maxLength: 200 }),
          }),
          response: { 200: ClusterResponse },
        },
      },
      async (request) => {
        const subject = resolveSubject(request.params.chain, request.params.address);
        const view = clustererOf().clusterOf(subject.key);
        return JSON.parse(
          JSON.stringify({ ...view, address: subject.display, chain: subject.chain }),
        ) as never;
      },
    );

    app.post(
      '/clusters/merges/:id/undo',
      {
        config: { allow: ['admin', 'mlro'] },
        schema: {
          tags: ['graph'],
          summary: 'Undo one clustering merge (it stays in the log, marked undone, and is not re-created)',
          params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
          body: Type.Object(
            { reason: Type.String({ minLength: 3, maxLength: 2000 }) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              merge: Evidence,
              affected: Type.Integer(),
              replayed: Type.Integer(),
              parts: Type.Integer(),
            }),
          },
        },
      },
      async (request) => {
        clustererOf();
        const r = await graph.undoMerge(request.params.id, {
          reason: request.body.reason,
          actor: principalOf(request).name,
          at: Math.floor(Date.now() / 1000),
        });
        return JSON.parse(JSON.stringify(r)) as never;
      },
    );
  };
}
