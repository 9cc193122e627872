/**
 * How long the API takes per route (`npm run bench:platform` prints it): every response's time from request to
 * reply sent, by method and route pattern (`POST /v2/datasets/:datasetId/items`), not by URL, so that one route's
 * calls on different storages count together.
 */
import type { FastifyInstance } from 'fastify';

export interface RouteLatencySummary {
  route: string;
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export class RouteLatency {
  private readonly samples = new Map<string, number[]>();

  /** Adds the recording hook; call before the app is ready. */
  attach(app: FastifyInstance): void {
    app.addHook('onResponse', async (request, reply) => {
      const route = `${request.method} ${request.routeOptions.url ?? '(no route)'}`;
      let times = this.samples.get(route);
      if (!times) this.samples.set(route, (times = []));
      times.push(reply.elapsedTime);
    });
  }

  /** Routes by number of calls, most first. */
  summary(): RouteLatencySummary[] {
    return [...this.samples]
      .map(([route, times]) => {
        const sorted = [...times].sort((a, b) => a - b);
        return { route, count: sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted[sorted.length - 1] };
      })
      .sort((a, b) => b.count - a.count);
  }

  clear(): void {
    this.samples.clear();
  }
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}
