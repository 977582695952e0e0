import type { RoutePlugin } from '../../platform/http/app.js';
import { CordonError } from '../../shared/errors.js';
import { ANY_ROLE } from '../../shared/roles.js';
import type { EntityMatch } from './name-index.js';
import {
  MatchBody,
  MatchResponse,
  ScreenAddressesBody,
  ScreenAddressesResponse,
  ScreenEntitiesBody,
  ScreenEntitiesResponse,
} from './screening.schema.js';
import type { ScreeningService } from './screening.service.js';

/** `/v1/screen/entities`, `/v1/screen/addresses`, `/v1/match`. */
export function screeningRoutes(screening: ScreeningService): RoutePlugin {
  return async (app) => {
    app.post(
      '/screen/entities',
      {
        config: { allow: ANY_ROLE },
        schema: {
          tags: ['screening'],
          summary: 'Screen up to 1,000 names of people or organisations against the active lists',
          body: ScreenEntitiesBody,
          response: { 200: ScreenEntitiesResponse },
        },
      },
      async (request) => {
        const { queries, limit } = request.body;
        const out = await screening.screenNames(
          queries.map((q) => ({
            name: q.name,
            kind: q.type,
            country: q.country?.toUpperCase(),
            dob: q.dob,
            identifiers: q.identifiers,
          })),
          { limit },
        );
        return {
          versions: out.versions,
          results: out.results.map((r, i) => ({
            id: queries[i]?.id ?? null,
            matches: r.matches.map(matchJson),
          })),
        };
      },
    );

    app.post(
      '/screen/addresses',
      {
        config: { allow: ANY_ROLE },
        schema: {
          tags: ['screening'],
          summary: 'Screen up to 10,000 crypto addresses (exact, chain-aware, checksums validated)',
          body: ScreenAddressesBody,
          response: { 200: ScreenAddressesResponse },
        },
      },
      async (request) => {
        const { addresses, skipInvalid } = request.body;
        const out = await screening.screenAddresses(addresses);
        if (!skipInvalid) {
          const bad = out.results.findIndex((r) => !r.ok);
          const r = out.results[bad];
          if (r && !r.ok) {
            throw new CordonError(
              'invalid',
              r.code,
              `addresses[${bad}].address ${JSON.stringify(r.input)}: ${r.reason}`,
              {
                field: `body.addresses[${bad}].address`,
              },
            );
          }
        }
        return {
          versions: out.versions,
          results: out.results.map((r) =>
            r.ok
              ? {
                  address: r.input,
                  chain: r.chain,
                  normalized: r.normalized,
                  hits: r.hits.map(({ source, ...h }) => ({ ...h, list: source })),
                }
              : { address: r.input, hits: [], error: { code: r.code, reason: r.reason } },
          ),
        };
      },
    );

    app.post(
      '/match',
      {
        config: { allow: ANY_ROLE },
        schema: {
          tags: ['screening'],
          summary: 'Score two names against each other, explained',
          body: MatchBody,
          response: { 200: MatchResponse },
        },
      },
      async (request) => {
        const r = screening.match(request.body.a, request.body.b, request.body.type);
        const { aligned, unmatchedQuery, unmatchedCandidate, notes } = r.comparison;
        return {
          score: r.score,
          match: r.match,
          review: r.review,
          explanation: { aligned, unmatchedQuery, unmatchedCandidate, notes },
        };
      },
    );
  };
}

/** A match as the API and bulk files show it. */
export function matchJson(m: EntityMatch & { decision: 'match' | 'review' }) {
  return {
    entityId: m.entityId,
    list: m.source,
    versionId: m.versionId,
    kind: m.kind,
    name: m.name,
    matchedName: m.matchedName,
    matchedNameKind: m.matchedNameKind,
    score: round(m.score),
    decision: m.decision,
    programs: m.programs,
    related: m.related,
    explanation: {
      nameScore: round(m.nameScore),
      aligned: m.comparison.aligned.map((a) => ({ ...a, similarity: round(a.similarity) })),
      unmatchedQuery: m.comparison.unmatchedQuery,
      unmatchedCandidate: m.comparison.unmatchedCandidate,
      features: m.features.map((f) => ({ ...f, value: round(f.value) })),
      notes: m.comparison.notes,
    },
  };
}

function round(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
