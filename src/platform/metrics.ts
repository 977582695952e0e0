import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** The Prometheus registry of one process, with the metrics the platform itself records. */
export interface Metrics {
  registry: Registry;
  httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
}

/**
 * A fresh registry (not prom-client's global one, so tests and several apps in one process do not
 * collide) with process metrics and an HTTP latency histogram whose buckets resolve sub-millisecond
 * decisions.
 */
export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'cordon_' });
  const httpRequestDuration = new Histogram({
    name: 'cordon_http_request_duration_seconds',
    help: 'HTTP request latency by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return { registry, httpRequestDuration };
}
