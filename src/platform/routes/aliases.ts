/**
 * The API's other names for the same things, resolved before routing (UrlRewrite) so that one route serves each:
 * - `/v2/actors/…` is `/v2/acts/…` (apify-client 2.x says `actors`, the SDKs and docs `acts`);
 * - `/v2/acts/:actorId/runs/last…` is the Actor's newest run (`status`, `origin` filter it), `/v2/actor-runs/<id>…`;
 * - a run's storages, `/v2/actor-runs/:runId/dataset|key-value-store|request-queue…`, are the storages' own paths
 *   (`/v2/datasets/<defaultDatasetId>…`), so the storage routes' access rules apply to them unchanged: a run's token
 *   reaching another run's default dataset through its alias gets the same 403.
 * A rewrite that finds nothing (no such run or Actor) leaves the URL as it is; the route then says what is missing.
 */
import { ApiError } from '../errors';
import type { RouteModule, UrlRewrite } from '../server';
import { requireActor, requireRun } from './lookup';

const STORAGE_ALIASES = {
  dataset: { path: 'datasets', field: 'defaultDatasetId' },
  'key-value-store': { path: 'key-value-stores', field: 'defaultKeyValueStoreId' },
  'request-queue': { path: 'request-queues', field: 'defaultRequestQueueId' },
} as const;

export const actorsAlias: UrlRewrite = (url) => (url.startsWith('/v2/actors/') || url === '/v2/actors' || url.startsWith('/v2/actors?') ? `/v2/acts${url.slice('/v2/actors'.length)}` : undefined);

export const lastRunAlias: UrlRewrite = (url, ctx) => {
  const { path, query, search } = splitUrl(url);
  const match = /^\/v2\/acts\/([^/]+)\/runs\/last(\/.*)?$/.exec(path);
  if (!match) return undefined;
  const found = quietly(() => ctx.runs.findActor(decodeURIComponent(match[1])));
  if (!found) return undefined;
  const status = search.get('status');
  const origin = search.get('origin');
  const last = found.engine.listRuns().find((run) => (!status || run.status === status) && (!origin || run.meta.origin === origin));
  if (!last) return undefined;
  const runPath = `/v2/actor-runs/${encodeURIComponent(last.id)}${match[2] ?? ''}`;
  if (status === null && origin === null) return runPath + query;
  search.delete('status');
  search.delete('origin');
  return joinUrl(runPath, search);
};

export const runStorageAlias: UrlRewrite = (url, ctx) => {
  const { path, query } = splitUrl(url);
  const match = /^\/v2\/actor-runs\/([^/]+)\/(dataset|key-value-store|request-queue)(\/.*)?$/.exec(path);
  if (!match) return undefined;
  const found = quietly(() => ctx.runs.findRun(decodeURIComponent(match[1])));
  if (!found) return undefined;
  const alias = STORAGE_ALIASES[match[2] as keyof typeof STORAGE_ALIASES];
  return `/v2/${alias.path}/${encodeURIComponent(found.run[alias.field])}${match[3] ?? ''}${query}`;
};

/** Every rewrite, in the order they apply (an `actors` path may name the last run, whose storage may be asked for). */
export const aliasRewrites: UrlRewrite[] = [actorsAlias, lastRunAlias, runStorageAlias];

/** What the aliases answer when their rewrite found nothing: the Actor or run that is missing. */
export const aliasRoutes: RouteModule = (app, ctx) => {
  const noLastRun = async (request: { params: { actorId: string } }) => {
    requireActor(ctx, request.params.actorId);
    throw new ApiError(404, 'record-not-found', 'The Actor has no run (with that status or origin)');
  };
  app.all<{ Params: { actorId: string } }>('/v2/acts/:actorId/runs/last', noLastRun);
  app.all<{ Params: { actorId: string } }>('/v2/acts/:actorId/runs/last/*', noLastRun);
  for (const alias of Object.keys(STORAGE_ALIASES)) {
    const noRun = async (request: { params: { runId: string } }) => {
      requireRun(ctx, request.params.runId);
      throw new ApiError(404, 'record-not-found', `The run's ${alias} was not found`);
    };
    app.all<{ Params: { runId: string } }>(`/v2/actor-runs/:runId/${alias}`, noRun);
    app.all<{ Params: { runId: string } }>(`/v2/actor-runs/:runId/${alias}/*`, noRun);
  }
};

/** The path, the query as given (`?…` or empty) and parsed. */
function splitUrl(url: string): { path: string; query: string; search: URLSearchParams } {
  const at = url.indexOf('?');
  const query = at < 0 ? '' : url.slice(at);
  return { path: at < 0 ? url : url.slice(0, at), query, search: new URLSearchParams(query) };
}

function joinUrl(path: string, search: URLSearchParams): string {
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

/** A lookup in a rewrite must not fail the request there (a malformed name): the route reports it properly. */
function quietly<T>(lookup: () => T): T | undefined {
  try {
    return lookup();
  } catch {
    return undefined;
  }
}
