/**
 * Logs of runs and builds: `GET /v2/logs/:id` (a run's or a build's id), `GET /v2/actor-runs/:runId/log`,
 * `GET /v2/actor-builds/:buildId/log`. The whole log as text, or with `stream=1` the log so far and then what is
 * written, until the run or build ends (what apify-client's `log().stream()` and `Actor.call()` read), each line
 * timestamped as the platform's.
 */
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ActorEngine, FollowSubject } from '../../engine';
import { recordNotFound } from '../errors';
import { queryBoolean } from '../query';
import type { RouteModule } from '../server';
import { requireBuild, requireRun } from './lookup';

export const logRoutes: RouteModule = (app, ctx) => {
  app.get<{ Params: { id: string } }>('/v2/logs/:id', async (request, reply) => {
    const { id } = request.params;
    const run = ctx.runs.findRun(id);
    if (run) return sendLog(run.engine, { kind: 'run', runId: id }, request, reply);
    const build = ctx.runs.findBuild(id);
    if (build) return sendLog(build.engine, { kind: 'build', buildId: id }, request, reply);
    throw recordNotFound('Log');
  });
  app.get<{ Params: { runId: string } }>('/v2/actor-runs/:runId/log', async (request, reply) => {
    const { engine } = requireRun(ctx, request.params.runId);
    return sendLog(engine, { kind: 'run', runId: request.params.runId }, request, reply);
  });
  app.get<{ Params: { buildId: string } }>('/v2/actor-builds/:buildId/log', async (request, reply) => {
    const { engine } = requireBuild(ctx, request.params.buildId);
    return sendLog(engine, { kind: 'build', buildId: request.params.buildId }, request, reply);
  });
};

function sendLog(engine: ActorEngine, subject: FollowSubject, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.type('text/plain; charset=utf-8');
  if (!queryBoolean(request.query, 'stream')) {
    return reply.send(subject.kind === 'run' ? engine.readRunLog(subject.runId) : engine.readBuildLog(subject.buildId));
  }
  // The caller hanging up ends the following (and the file watch behind it).
  const hangUp = new AbortController();
  reply.raw.once('close', () => hangUp.abort());
  return reply.send(Readable.from(logText(engine, subject, hangUp.signal)));
}

/** A line that starts with the platform's ISO timestamp. */
const TIMESTAMPED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/;

/**
 * The streamed log, each line starting with a timestamp as the platform's lines do: apify-client's StreamedLog
 * (what `Actor.call()` uses to show the callee's log in the caller's) splits messages on them and drops what has
 * none. The container's lines carry no time of their own, so a line gets the time it is sent.
 */
async function* logText(engine: ActorEngine, subject: FollowSubject, signal: AbortSignal): AsyncGenerator<string> {
  for await (const event of engine.follow(subject, { signal })) {
    if (event.type !== 'lines') continue;
    const now = new Date().toISOString();
    yield event.lines.map((line) => (TIMESTAMPED.test(line) ? line : `${now} ${line}`)).join('\n') + '\n';
  }
}
