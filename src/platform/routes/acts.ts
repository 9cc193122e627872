/**
 * Actors: `GET /v2/acts` (the workspace's Actors), `GET /v2/acts/:actorId` (by id, name or `username~name`), and
 * `POST /v2/acts/:actorId/runs`, which starts a run exactly as the editor or `greenroom run` does (the same engine,
 * records and views), with origin `API`: the body is the input, the query the run options.
 */
import { runObject, actorListItem, actorObject } from '../apiObjects';
import { data, listPage } from '../envelope';
import { PricingError, setApiPricing } from '../../engine/pricing';
import { invalidInput } from '../errors';
import { checkWebhook, WebhookError } from '../webhooks/webhooks';
import { pageRequest, Query, queryNumber, queryString, waitForFinishSecs } from '../query';
import type { RouteModule } from '../server';
import { requireActor, waitForFinish } from './lookup';

type ActorParams = { Params: { actorId: string }; Querystring: Query };

export const actorRoutes: RouteModule = (app, ctx) => {
  app.get<{ Querystring: Query }>('/v2/acts', async (request) => {
    const items = ctx.runs.allActors().map(({ actor, engine }) => actorListItem(actor, engine));
    return listPage(items, pageRequest(request.query));
  });

  app.get<ActorParams>('/v2/acts/:actorId', async (request) => {
    const { actor, engine } = requireActor(ctx, request.params.actorId);
    return data(actorObject(actor, engine));
  });

  // What the SDK's e2e tests change (`actor.update({pricingInfos})`); the rest of an Actor is its files.
  app.put<ActorParams & { Body: unknown }>('/v2/acts/:actorId', async (request) => {
    const { actor, engine } = requireActor(ctx, request.params.actorId);
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidInput('The body must be a JSON object of the Actor fields to change');
    const { pricingInfos, ...others } = body as Record<string, unknown>;
    const unknown = Object.keys(others);
    if (unknown.length) throw invalidInput(`Only pricingInfos of a local Actor can be changed through the API, not ${unknown.join(', ')}: the rest is its .actor/ files`);
    if (pricingInfos !== undefined) {
      try {
        setApiPricing(actor.root, pricingInfos);
      } catch (error) {
        if (error instanceof PricingError) throw invalidInput(error.message);
        throw error;
      }
    }
    return data(actorObject(actor, engine));
  });

  app.post<ActorParams & { Body: unknown }>('/v2/acts/:actorId/runs', async (request, reply) => {
    const { actor, engine } = requireActor(ctx, request.params.actorId);
    const { query } = request;
    const options = {
      build: queryString(query, 'build'),
      memoryMbytes: queryNumber(query, 'memory', { integer: true }),
      timeoutSecs: queryNumber(query, 'timeout', { min: 0 }),
      maxItems: queryNumber(query, 'maxItems', { min: 0, integer: true }),
      maxTotalChargeUsd: queryNumber(query, 'maxTotalChargeUsd', { min: 0 }),
      webhooks: queryWebhooks(query),
    };
    const wait = waitForFinishSecs(query);
    const handle = await engine.run({ ...options, input: runInput(request.body, request.headers['content-type']), origin: 'API' });
    // The engine follows the run; its end is in the record (nobody here awaits it, and it rejects when the engine is disposed).
    handle.finished.catch(() => undefined);
    await waitForFinish(engine, { kind: 'run', runId: handle.id }, wait, reply);
    return reply.code(201).send(data(runObject(actor, engine.requireRun(handle.id))));
  });
};

/** The `webhooks` run option: base64 of a JSON array of webhook objects, as apify-client sends it (each checked at start). */
function queryWebhooks(query: Query): unknown[] | undefined {
  const raw = queryString(query, 'webhooks');
  if (raw === undefined) return undefined;
  let webhooks: unknown;
  try {
    webhooks = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
  } catch {
    webhooks = undefined;
  }
  if (!Array.isArray(webhooks)) throw invalidInput('Parameter "webhooks" must be a base64-encoded JSON array of webhook objects');
  webhooks.forEach((webhook, index) => {
    try {
      checkWebhook(webhook, `Parameter "webhooks" [${index}]`, { id: '', isAdHoc: true, condition: {} });
    } catch (error) {
      if (error instanceof WebhookError) throw invalidInput(error.message);
      throw error;
    }
  });
  return webhooks;
}

/**
 * The run's input from the request body: a JSON body as it is, no body as `{}` (the input schema's defaults fill
 * it). Other content types are refused: runs here take JSON input only (the engine validates it against the schema).
 */
function runInput(body: unknown, contentType: string | undefined): unknown {
  if (body === undefined || body === null) return {};
  // Fastify gives text/plain as a string, any other non-JSON type as bytes.
  if (!Buffer.isBuffer(body) && typeof body !== 'string') return body;
  if (body.length === 0) return {};
  throw invalidInput(`The run input must be JSON (content type application/json), got ${contentType ?? 'no content type'}: Greenroom's local runs take JSON input only`);
}
