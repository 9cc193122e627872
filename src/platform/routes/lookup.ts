/** What the run, build and Actor routes share: finding what a path names (404 otherwise), who may change a run, waiting. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ActorEngine, FollowSubject } from '../../engine';
import { isTerminal } from '../../engine/types';
import { forbidden, recordNotFound } from '../errors';
import type { FoundActor, FoundBuild, FoundRun } from '../runDirectory';
import type { PlatformContext } from '../server';

export function requireActor(ctx: PlatformContext, reference: string): FoundActor {
  const found = ctx.runs.findActor(reference);
  if (!found) throw recordNotFound('Actor');
  return found;
}

export function requireRun(ctx: PlatformContext, runId: string): FoundRun {
  const found = ctx.runs.findRun(runId);
  if (!found) throw recordNotFound('Actor run');
  return found;
}

export function requireBuild(ctx: PlatformContext, buildId: string): FoundBuild {
  const found = ctx.runs.findBuild(buildId);
  if (!found) throw recordNotFound('Actor build');
  return found;
}

/**
 * A run the caller may change (status message, abort, resurrect, delete): any with the user's token; with a run's
 * token its own and the runs it started (`Actor.abort()` of a run from `Actor.start()`). Reading runs and logs is
 * open to run tokens: `Actor.call()` follows the run it started.
 */
export function requireChangeableRun(request: FastifyRequest, ctx: PlatformContext, runId: string): FoundRun {
  const found = requireRun(ctx, runId);
  const principal = request.principal;
  if (principal?.kind === 'run' && principal.found.run.id !== runId && found.run.greenroom.caller?.runId !== principal.found.run.id) throw forbidden(`run ${runId}`);
  return found;
}

/**
 * Waits up to `seconds` for the run or build to finish (or the caller to hang up), as `waitForFinish` does; the
 * route then answers with the record as it is. Works for runs another process follows (engine.follow watches files).
 */
export async function waitForFinish(engine: ActorEngine, subject: FollowSubject, seconds: number, reply: FastifyReply | undefined): Promise<void> {
  if (seconds <= 0) return;
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), seconds * 1000);
  const hangUp = () => stop.abort();
  reply?.raw.once('close', hangUp);
  try {
    for await (const event of engine.follow(subject, { log: false, signal: stop.signal })) {
      if (event.type === 'missing' || (event.type === 'record' && isTerminal(event.record.status))) return;
    }
  } finally {
    clearTimeout(timer);
    reply?.raw.off('close', hangUp);
  }
}

/** Order of a platform list: oldest first (ISO timestamps compare as strings). */
export function oldestFirst(a: { startedAt: string }, b: { startedAt: string }): number {
  return a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0;
}
