import type { Static } from 'typebox';
import type { RoutePlugin } from '../../platform/http/app.js';
import { CordonError } from '../../shared/errors.js';
import { STAFF_READ } from '../../shared/roles.js';
import {
  ExposureParams,
  ExposureQueryString,
  ExposureResponse,
  GraphStatsResponse,
  IngestBody,
  IngestResponse,
} from './graph.schema.js';
import type { GraphService } from './graph.service.js';
import { type AddressSubject, resolveSubject } from './subject.js';
import { readTransferObject, type Transfer } from './transfer.js';

/** `/v1/graph/transfers`, `/v1/graph`, `/v1/exposure/{chain}/{address}`. */
export function graphRoutes(graph: GraphService, clock: { now(): number }): RoutePlugin {
  return async (app) => {
    app.post(
      '/graph/transfers',
      {
        config: { allow: ['admin', 'service'] },
        schema: {
          tags: ['graph'],
          summary:
            'Add up to 10,000 on-chain transfers to the graph (duplicates by chain and id are skipped)',
          body: IngestBody,
          response: { 200: IngestResponse },
        },
      },
      async (request) => {
        const { transfers, skipInvalid } = request.body;
        const ok: Transfer[] = [];
        const rejected: { index: number; field: string; code: string; message: string }[] = [];
        transfers.forEach((raw, index) => {
          const r = readTransferObject(raw as Record<string, unknown>);
          if (r.ok) ok.push(r.transfer);
          else
            rejected.push({
              index,
              field: `transfers[${index}].${r.field}`,
              code: r.code,
              message: `transfers[${index}].${r.message}`,
            });
        });
        const first = rejected[0];
        if (first !== undefined && !skipInvalid) {
          throw new CordonError('invalid', first.code, first.message, {
            field: `body.${first.field}`,
            rejected: rejected.slice(0, 100),
          });
        }
        const result = await graph.ingest(ok);
        return { ...result, rejected, transfers: graph.stats().transfers };
      },
    );

    app.get(
      '/graph',
      {
        config: { allow: STAFF_READ },
        schema: {
          tags: ['graph'],
          summary: 'Size and memory of the transfer graph',
          response: { 200: GraphStatsResponse },
        },
      },
      async () => graph.stats(),
    );

    app.get(
      '/exposure/:chain/:address',
      {
        config: { allow: [...STAFF_READ, 'service'] },
        schema: {
          tags: ['graph'],
          summary: 'Direct and indirect exposure of an address to flagged entities, with evidence paths',
          description:
            'direction: incoming = source of funds (deposits), outgoing = destination of funds (withdrawals). ' +
            'method: poison (any contact taints) or haircut (in proportion to value). Semantics: docs/exposure.md.',
          params: ExposureParams,
          querystring: ExposureQueryString,
          response: { 200: ExposureResponse },
        },
      },
      async (request) => {
        const subject: AddressSubject = resolveSubject(request.params.chain, request.params.address);
        const q = request.query;
        const started = clock.now();
        const report = graph.exposure({
          address: subject.key,
          direction: q.direction ?? 'both',
          method: q.method ?? 'haircut',
          hops: q.hops ?? 3,
          asset: q.asset,
          maxPaths: q.paths ?? 5,
        });
        const body = {
          ...report,
          address: subject.display,
          chain: subject.chain,
          tookMs: Math.round((clock.now() - started) * 1000) / 1000,
        };
        // The report's arrays are readonly; the schema's type only differs in that.
        return body as unknown as Static<typeof ExposureResponse>;
      },
    );
  };
}
