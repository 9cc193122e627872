/**
 * Actor builds: `GET /v2/actor-builds` and `GET /v2/acts/:actorId/builds` (pages), `POST /v2/acts/:actorId/builds`
 * (`version`, `tag`, `useCache`, `waitForFinish`), `GET /v2/acts/:actorId/builds/default` (the build the Actor's
 * build tag points at), one build with `waitForFinish`, and abort. Builds are the engine's, as from the editor.
 */
import { buildObject } from '../apiObjects';
import { data, listPage } from '../envelope';
import { ApiError, invalidInput, recordNotFound } from '../errors';
import { pageRequest, Query, queryBoolean, queryString, waitForFinishSecs } from '../query';
import type { FoundActor } from '../runDirectory';
import type { RouteModule } from '../server';
import { oldestFirst, requireActor, requireBuild, waitForFinish } from './lookup';

type BuildParams = { Params: { buildId: string }; Querystring: Query };
type ActorParams = { Params: { actorId: string }; Querystring: Query };

export const buildRoutes: RouteModule = (app, ctx) => {
  app.get<{ Querystring: Query }>('/v2/actor-builds', async (request) => buildList(ctx.runs.allActors(), request.query));

  app.get<ActorParams>('/v2/acts/:actorId/builds', async (request) => buildList([requireActor(ctx, request.params.actorId)], request.query));

  app.post<ActorParams>('/v2/acts/:actorId/builds', async (request, reply) => {
    const { actor, engine } = requireActor(ctx, request.params.actorId);
    const { query } = request;
    const version = queryString(query, 'version');
    const definition = engine.definition();
    if (version !== undefined && version !== definition.version) {
      throw invalidInput(`Actor version ${version} does not exist: the Actor has version ${definition.version} (actor.json "version")`);
    }
    const handle = engine.build({ tag: queryString(query, 'tag'), useCache: queryBoolean(query, 'useCache') });
    await waitForFinish(engine, { kind: 'build', buildId: handle.id }, waitForFinishSecs(query), reply);
    return reply.code(201).send(data(buildObject(actor, requireBuild(ctx, handle.id).build)));
  });

  app.get<ActorParams>('/v2/acts/:actorId/builds/default', async (request, reply) => {
    const { actor, engine } = requireActor(ctx, request.params.actorId);
    const tag = engine.definition().buildTag;
    const buildId = engine.tags()[tag];
    if (!buildId || !engine.getBuild(buildId)) throw recordNotFound(`The default build (tag "${tag}")`);
    await waitForFinish(engine, { kind: 'build', buildId }, waitForFinishSecs(request.query), reply);
    return data(buildObject(actor, requireBuild(ctx, buildId).build));
  });

  app.get<BuildParams>('/v2/actor-builds/:buildId', async (request, reply) => {
    const { engine } = requireBuild(ctx, request.params.buildId);
    await waitForFinish(engine, { kind: 'build', buildId: request.params.buildId }, waitForFinishSecs(request.query), reply);
    const { actor, build } = requireBuild(ctx, request.params.buildId);
    return data(buildObject(actor, build));
  });

  app.post<BuildParams>('/v2/actor-builds/:buildId/abort', async (request) => {
    const { actor, engine, build } = requireBuild(ctx, request.params.buildId);
    if (build.status === 'READY' || build.status === 'RUNNING') {
      // Only the process running a build can stop it (the Docker build is its open request).
      if (!engine.abortBuild(build.id)) throw new ApiError(409, 'build-not-abortable', `Build ${build.id} runs in another process (pid ${build.greenroom.builderPid}); abort it there`);
      await waitForFinish(engine, { kind: 'build', buildId: build.id }, 10, undefined);
    }
    return data(buildObject(actor, requireBuild(ctx, build.id).build));
  });
};

/** Builds of the given Actors, oldest first as the platform pages them (`desc=1` for newest first). */
function buildList(actors: FoundActor[], query: Query) {
  const builds = actors.flatMap(({ actor, engine }) => engine.listBuilds().map((build) => ({ build, item: buildObject(actor, build) })));
  return listPage(
    builds.sort((a, b) => oldestFirst(a.build, b.build)).map(({ item }) => item),
    pageRequest(query),
  );
}
