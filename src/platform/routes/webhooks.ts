/**
 * Webhooks and their dispatches (docs/platform.md#webhooks): `POST /v2/webhooks` adds an ad-hoc webhook to a run
 * (`condition.actorRunId`, what the SDK's `Actor.addWebhook()` sends; an Actor's own webhooks are its committed
 * `.actor/webhooks.json`), `GET /v2/webhooks[/:id]`, `GET /v2/acts/:actorId/webhooks`, `GET /v2/webhooks/:id/dispatches`,
 * `GET /v2/webhook-dispatches[/:id]`. Everything is read from the files, whichever process dispatched.
 */
import { ActorLayout } from '../../engine/recordStore';
import { data, listPage } from '../envelope';
import { invalidInput, recordNotFound } from '../errors';
import { pageRequest, Query } from '../query';
import type { FoundActor } from '../runDirectory';
import type { RouteModule } from '../server';
import { actorWebhooks, addRunWebhook, readDispatches, runWebhooks, Webhook, WebhookDispatch, WebhookError } from '../webhooks/webhooks';
import { oldestFirst, requireActor, requireChangeableRun } from './lookup';

export const webhookRoutes: RouteModule = (app, ctx) => {
  const everything = () => ctx.runs.allActors().map(collect);

  app.post<{ Body: unknown }>('/v2/webhooks', async (request, reply) => {
    const body = request.body as { condition?: { actorRunId?: unknown; actorId?: unknown; actorTaskId?: unknown } } | null;
    const runId = body?.condition?.actorRunId;
    if (typeof runId !== 'string') {
      throw invalidInput('Only ad-hoc webhooks of a run can be created through the local API (condition.actorRunId): an Actor\'s own webhooks are its .actor/webhooks.json (docs/platform.md#webhooks)');
    }
    const { actor, run } = requireChangeableRun(request, ctx, runId);
    try {
      return reply.code(201).send(data(addRunWebhook(new ActorLayout(actor.root), run, body)));
    } catch (error) {
      if (error instanceof WebhookError) throw invalidInput(error.message);
      throw error;
    }
  });

  app.get<{ Querystring: Query }>('/v2/webhooks', async (request) => listPage(everything().flatMap((found) => found.webhooks).sort(oldestCreated), pageRequest(request.query)));

  app.get<{ Params: { actorId: string }; Querystring: Query }>('/v2/acts/:actorId/webhooks', async (request) =>
    listPage(collect(requireActor(ctx, request.params.actorId)).webhooks.filter((webhook) => !webhook.isAdHoc), pageRequest(request.query)),
  );

  app.get<{ Params: { webhookId: string } }>('/v2/webhooks/:webhookId', async (request) => data(requireWebhook(everything(), request.params.webhookId)));

  app.get<{ Params: { webhookId: string }; Querystring: Query }>('/v2/webhooks/:webhookId/dispatches', async (request) => {
    const all = everything();
    requireWebhook(all, request.params.webhookId);
    const dispatches = all.flatMap((found) => found.dispatches).filter((dispatch) => dispatch.webhookId === request.params.webhookId);
    return listPage(dispatches.sort(oldestCreated), pageRequest(request.query));
  });

  app.get<{ Querystring: Query }>('/v2/webhook-dispatches', async (request) => listPage(everything().flatMap((found) => found.dispatches).sort(oldestCreated), pageRequest(request.query)));

  app.get<{ Params: { dispatchId: string } }>('/v2/webhook-dispatches/:dispatchId', async (request) => {
    const dispatch = everything()
      .flatMap((found) => found.dispatches)
      .find((d) => d.id === request.params.dispatchId);
    if (!dispatch) throw recordNotFound('Webhook dispatch');
    return data(dispatch);
  });
};

interface ActorWebhooks {
  webhooks: Webhook[];
  dispatches: WebhookDispatch[];
}

/** An Actor's webhooks (its file's, its runs' ad-hoc ones) and every dispatch of its runs and builds. */
function collect({ actor, engine }: FoundActor): ActorWebhooks {
  const layout: ActorLayout = engine.layout;
  let own: Webhook[] = [];
  try {
    own = actorWebhooks(actor.root, actor.name);
  } catch (error) {
    if (error instanceof WebhookError) throw invalidInput(error.message);
    throw error;
  }
  const runs = engine.listRuns();
  return {
    webhooks: [...own, ...runs.flatMap((run) => runWebhooks(layout, run))],
    dispatches: [...runs.flatMap((run) => readDispatches(layout, 'run', run.id)), ...engine.listBuilds().flatMap((build) => readDispatches(layout, 'build', build.id))],
  };
}

function requireWebhook(all: ActorWebhooks[], id: string): Webhook {
  const webhook = all.flatMap((found) => found.webhooks).find((w) => w.id === id);
  if (!webhook) throw recordNotFound('Webhook');
  return webhook;
}

function oldestCreated(a: { createdAt: string }, b: { createdAt: string }): number {
  return oldestFirst({ startedAt: a.createdAt }, { startedAt: b.createdAt });
}
