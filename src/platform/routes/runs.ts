/**
 * Actor runs: `GET /v2/actor-runs` and `GET /v2/acts/:actorId/runs` (pages, `status` filter), one run with
 * `waitForFinish`, its status message (`PUT`, what `Actor.setStatusMessage()` at home sends), abort (`gracefully`),
 * resurrect (`build`, `memory`, `timeout`), reboot, metamorph and delete. Runs are the engine's records, whichever process follows them.
 */
import { isTerminal, RunRecord, RunStatus } from '../../engine/types';
import type { ActorEngine } from '../../engine/engine';
import { runObject } from '../apiObjects';
import { data, listPage } from '../envelope';
import { invalidInput } from '../errors';
import { pageRequest, Query, queryBoolean, queryNumber, queryString, waitForFinishSecs } from '../query';
import type { FoundActor } from '../runDirectory';
import type { RouteModule } from '../server';
import { oldestFirst, requireActor, requireChangeableRun, requireRun, waitForFinish } from './lookup';
import { runInput } from './startRun';

type RunParams = { Params: { runId: string }; Querystring: Query };

const RUN_STATUSES: ReadonlySet<string> = new Set<RunStatus>(['READY', 'RUNNING', 'TIMING-OUT', 'ABORTING', 'SUCCEEDED', 'FAILED', 'TIMED-OUT', 'ABORTED']);

export const runRoutes: RouteModule = (app, ctx) => {
  app.get<{ Querystring: Query }>('/v2/actor-runs', async (request) => runList(ctx.runs.allActors(), request.query));

  app.get<{ Params: { actorId: string }; Querystring: Query }>('/v2/acts/:actorId/runs', async (request) =>
    runList([requireActor(ctx, request.params.actorId)], request.query),
  );

  app.get<RunParams>('/v2/actor-runs/:runId', async (request, reply) => {
    const { actor, engine } = requireRun(ctx, request.params.runId);
    await waitForFinish(engine, { kind: 'run', runId: request.params.runId }, waitForFinishSecs(request.query), reply);
    return data(runObject(actor, engine.requireRun(request.params.runId)));
  });

  app.put<RunParams & { Body: unknown }>('/v2/actor-runs/:runId', async (request) => {
    const { actor, engine } = requireChangeableRun(request, ctx, request.params.runId);
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidInput('The body must be a JSON object of the run fields to change');
    // `level` is what apify-client's setStatusMessage sends along (the SDK logs the message at it); nothing to keep.
    const { statusMessage, isStatusMessageTerminal, level: _level, ...others } = body as Record<string, unknown>;
    const unknown = Object.keys(others);
    if (unknown.length) throw invalidInput(`Only statusMessage and isStatusMessageTerminal of a run can be changed, not ${unknown.join(', ')}`);
    if (typeof statusMessage !== 'string') throw invalidInput('statusMessage must be a string');
    if (isStatusMessageTerminal !== undefined && typeof isStatusMessageTerminal !== 'boolean') throw invalidInput('isStatusMessageTerminal must be a boolean');
    return data(runObject(actor, engine.setStatusMessage(request.params.runId, statusMessage, isStatusMessageTerminal ?? false)));
  });

  app.delete<RunParams>('/v2/actor-runs/:runId', async (request, reply) => {
    const { engine } = requireChangeableRun(request, ctx, request.params.runId);
    engine.deleteRun(request.params.runId);
    return reply.code(204).send();
  });

  app.post<RunParams>('/v2/actor-runs/:runId/abort', async (request) => {
    const { actor, engine, run } = requireChangeableRun(request, ctx, request.params.runId);
    if (isTerminal(run.status)) return data(runObject(actor, run));
    const graceful = queryBoolean(request.query, 'gracefully') ?? false;
    return data(runObject(actor, await abortRun(engine, run.id, graceful)));
  });

  app.post<RunParams>('/v2/actor-runs/:runId/resurrect', async (request) => {
    const { actor, engine } = requireChangeableRun(request, ctx, request.params.runId);
    const handle = await engine.resurrect(request.params.runId, {
      build: queryString(request.query, 'build'),
      memoryMbytes: queryNumber(request.query, 'memory', { integer: true }),
      timeoutSecs: queryNumber(request.query, 'timeout', { min: 0 }),
    });
    return data(runObject(actor, engine.requireRun(handle.id)));
  });

  // The SDK's Actor.reboot() (also its default `migrating` handler): answered before the container goes, since the
  // SDK waits for this answer and then for the kill.
  app.post<RunParams>('/v2/actor-runs/:runId/reboot', async (request) => {
    const { actor, engine, run } = requireChangeableRun(request, ctx, request.params.runId);
    void engine.reboot(run.id).catch(() => undefined);
    return data(runObject(actor, run));
  });

  // The SDK's Actor.metamorph(): the target is found as `POST /v2/acts/:actorId/runs` finds an Actor, its build made
  // when it has none; the run and the input are checked before anything changes (400), and the answer goes before the
  // container, since the SDK sleeps after it until the container is replaced.
  app.post<RunParams & { Body: unknown }>('/v2/actor-runs/:runId/metamorph', async (request) => {
    const { actor, engine, run } = requireChangeableRun(request, ctx, request.params.runId);
    const targetReference = queryString(request.query, 'targetActorId');
    if (!targetReference) throw invalidInput('Parameter "targetActorId" is required: the Actor to metamorph the run into');
    const target = requireActor(ctx, targetReference);
    // A run past the limit (or one that cannot be metamorphed now) is refused before the target's build is made.
    engine.checkMetamorphable(run.id);
    const build = await target.engine.buildFor(queryString(request.query, 'build'));
    const replaced = engine.metamorph(run.id, { definition: target.engine.definition(), build, input: runInput(request.body, request.headers['content-type']) });
    replaced.catch(() => undefined);
    return data(runObject(actor, engine.requireRun(run.id)));
  });
};

/** Runs of the given Actors (those `include` keeps), oldest first as the platform pages them (`desc=1` for newest first), by `status`. */
export function runList(actors: FoundActor[], query: Query, include: (run: RunRecord) => boolean = () => true) {
  const status = queryString(query, 'status');
  if (status !== undefined && !RUN_STATUSES.has(status)) throw invalidInput(`Parameter "status" must be one of ${[...RUN_STATUSES].join(', ')}, got "${status}"`);
  const runs = actors
    .flatMap(({ actor, engine }) => engine.listRuns().map((run) => ({ run, item: runListItem(actor, run) })))
    .filter(({ run }) => include(run) && (status === undefined || run.status === status))
    .sort((a, b) => oldestFirst(a.run, b.run));
  return listPage(
    runs.map(({ item }) => item),
    pageRequest(query),
  );
}

/** A run in a list, as the platform's: the fields a list shows, not the whole record. */
function runListItem(actor: FoundActor['actor'], run: RunRecord): Record<string, unknown> {
  const full = runObject(actor, run);
  const fields = ['id', 'actId', 'actorTaskId', 'status', 'startedAt', 'finishedAt', 'buildId', 'buildNumber', 'meta', 'defaultKeyValueStoreId', 'defaultDatasetId', 'defaultRequestQueueId', 'usageTotalUsd'];
  return Object.fromEntries(fields.filter((field) => field in full).map((field) => [field, full[field]]));
}

/**
 * Starts the abort and answers as the platform does: an immediate abort once the run is ABORTED, a graceful one as
 * soon as it is ABORTING (the Actor then has its grace window). An abort that fails (Docker unreachable) is the error.
 */
async function abortRun(engine: ActorEngine, runId: string, graceful: boolean): Promise<RunRecord> {
  const aborting = engine.abort(runId, { graceful });
  if (!graceful) return aborting;
  const stop = new AbortController();
  const failed = aborting.then(
    () => undefined,
    (error: unknown) => error,
  );
  const marked = (async () => {
    for await (const event of engine.follow({ kind: 'run', runId }, { log: false, signal: stop.signal })) {
      if (event.type === 'record' && event.record.status !== 'RUNNING') return;
    }
  })();
  try {
    const error = await Promise.race([failed, marked]);
    if (error) throw error;
  } finally {
    stop.abort();
  }
  return engine.requireRun(runId);
}
