/**
 * Actor tasks (`.actor/tasks.json` of each Actor, src/workspace/tasks.ts): `GET /v2/actor-tasks`, one task by id or
 * `username~name`, its input, its runs, and `POST /v2/actor-tasks/:taskId/runs` (what `Actor.callTask` sends): the
 * task's input with the body merged over it, the task's options with the query's over them.
 */
import { ActorNameError } from '../../workspace/actorName';
import { findTask, FoundTask, workspaceTasks } from '../../workspace/tasks';
import { actorIdOf } from '../../engine/platformLink';
import { data, listPage } from '../envelope';
import { invalidInput, recordNotFound } from '../errors';
import { pageRequest, Query } from '../query';
import type { PlatformContext, RouteModule } from '../server';
import { LOCAL_USER } from './users';
import { requireActor } from './lookup';
import { runList } from './runs';
import { startApiRun } from './startRun';

type TaskParams = { Params: { taskId: string }; Querystring: Query };

export const taskRoutes: RouteModule = (app, ctx) => {
  app.get<{ Querystring: Query }>('/v2/actor-tasks', async (request) => {
    const { tasks } = workspaceTasks(ctx.runs.allActors().map(({ actor }) => actor));
    return listPage(tasks.map(taskObject), pageRequest(request.query));
  });

  app.get<TaskParams>('/v2/actor-tasks/:taskId', async (request) => data(taskObject(requireTask(ctx, request.params.taskId))));

  app.get<TaskParams>('/v2/actor-tasks/:taskId/input', async (request) => requireTask(ctx, request.params.taskId).task.input);

  app.get<TaskParams>('/v2/actor-tasks/:taskId/runs', async (request) => {
    const found = requireTask(ctx, request.params.taskId);
    return runList([requireActor(ctx, found.actor.name)], request.query, (run) => run.actorTaskId === found.id);
  });

  app.post<TaskParams & { Body: unknown }>('/v2/actor-tasks/:taskId/runs', async (request, reply) => {
    const found = requireTask(ctx, request.params.taskId);
    return startApiRun(request, reply, requireActor(ctx, found.actor.name), found);
  });
};

/** The task a path names; 404 for none (a 400 naming the tasks files that could not be read, when some could not). */
function requireTask(ctx: PlatformContext, reference: string): FoundTask {
  const actors = ctx.runs.allActors().map(({ actor }) => actor);
  let found: FoundTask | undefined;
  try {
    found = findTask(actors, reference);
  } catch (error) {
    if (error instanceof ActorNameError) throw invalidInput(error.message);
    throw error;
  }
  if (found) return found;
  const { problems } = workspaceTasks(actors);
  if (problems.length) throw invalidInput(`Actor task "${reference}" was not found, and these tasks files cannot be read: ${problems.map((problem) => problem.message).join(' | ')}`);
  throw recordNotFound('Actor task');
}

/** A task as the platform's task object. */
function taskObject({ actor, task, id }: FoundTask): Record<string, unknown> {
  return {
    id,
    actId: actorIdOf(actor.name),
    name: task.name,
    title: task.title ?? null,
    description: task.description ?? null,
    userId: LOCAL_USER.id,
    username: LOCAL_USER.username,
    options: task.options,
    input: task.input,
    stats: {},
  };
}
