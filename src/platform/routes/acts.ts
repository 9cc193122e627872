/**
 * Actors: `GET /v2/acts` (the workspace's Actors), `GET /v2/acts/:actorId` (by id, name or `username~name`), and
 * `POST /v2/acts/:actorId/runs`, which starts a run exactly as the editor or `greenroom run` does (the same engine,
 * records and views), with origin `API` (`ACTOR` when a run calls, startRun.ts): the body is the input, the query the run options.
 */
import { actorListItem, actorObject } from '../apiObjects';
import { data, listPage } from '../envelope';
import { PricingError, setApiPricing } from '../../engine/pricing';
import { invalidInput } from '../errors';
import { pageRequest, Query } from '../query';
import type { RouteModule } from '../server';
import { requireActor } from './lookup';
import { startApiRun } from './startRun';

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

  app.post<ActorParams & { Body: unknown }>('/v2/acts/:actorId/runs', async (request, reply) => startApiRun(request, reply, requireActor(ctx, request.params.actorId)));
};
