/**
 * Pay-per-event charges (docs/platform.md#pay-per-event): `POST /v2/actor-runs/:runId/charge` (`Actor.charge()`,
 * `apify actor charge`): `{eventName, count}` with an `idempotency-key` header, for an event of the run's pricing.
 * As on the platform the API does not hold the run to maxTotalChargeUsd (the SDK does): a charge above it is
 * accepted and counted, but not accounted (runCost). Default-dataset items are charged where they are pushed
 * (chargeDatasetItems, called by the dataset routes).
 */
import { appendCharge } from '../../engine/chargeLedger';
import { DEFAULT_DATASET_ITEM_EVENT, isPayPerEvent, SYNTHETIC_EVENT_PREFIX } from '../../engine/pricing';
import { ActorLayout } from '../../engine/recordStore';
import { isTerminal, RunRecord } from '../../engine/types';
import { invalidInput } from '../errors';
import type { Query } from '../query';
import type { RouteModule } from '../server';
import type { WorkspaceActor } from '../../workspace/actor';
import { requireChangeableRun } from './lookup';

/** The header apify-client sends (RUN_CHARGE_IDEMPOTENCY_HEADER). */
const IDEMPOTENCY_HEADER = 'idempotency-key';

export const chargeRoutes: RouteModule = (app, ctx) => {
  app.post<{ Params: { runId: string }; Querystring: Query; Body: unknown }>('/v2/actor-runs/:runId/charge', async (request, reply) => {
    const { actor, run } = requireChangeableRun(request, ctx, request.params.runId);
    const { eventName, count } = chargeBody(request.body);
    if (!isPayPerEvent(run.pricingInfo)) throw invalidInput(`Run ${run.id} is not pay-per-event: its Actor had no pay-per-event pricing when it started (set it with PUT /v2/acts/:actorId pricingInfos or in .actor/pay_per_event.json)`);
    if (eventName.startsWith(SYNTHETIC_EVENT_PREFIX)) throw invalidInput(`Event "${eventName}" is charged by the platform itself, not through the API`);
    const events = run.pricingInfo.pricingPerEvent.actorChargeEvents;
    if (!events[eventName]) throw invalidInput(`Event "${eventName}" is not in the run's pricing (its events: ${Object.keys(events).join(', ') || 'none'})`);
    if (isTerminal(run.status)) throw invalidInput(`Run ${run.id} has finished (${run.status}); only a running run can charge`);
    const key = request.headers[IDEMPOTENCY_HEADER];
    appendCharge(new ActorLayout(actor.root), run.id, { eventName, count, idempotencyKey: typeof key === 'string' && key ? key : undefined });
    return reply.code(201).send();
  });
};

/**
 * The platform's synthetic `apify-default-dataset-item`: items pushed to a priced run's default dataset, charged
 * as they are written (the SDK only tracks them).
 */
export function chargeDatasetItems(actor: WorkspaceActor | undefined, owner: RunRecord | undefined, datasetId: string, itemCount: number): void {
  if (!actor || !owner || owner.defaultDatasetId !== datasetId || itemCount === 0) return;
  if (!isPayPerEvent(owner.pricingInfo) || !owner.pricingInfo.pricingPerEvent.actorChargeEvents[DEFAULT_DATASET_ITEM_EVENT]) return;
  appendCharge(new ActorLayout(actor.root), owner.id, { eventName: DEFAULT_DATASET_ITEM_EVENT, count: itemCount });
}

function chargeBody(body: unknown): { eventName: string; count: number } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidInput('The body must be a JSON object {"eventName": "...", "count": N}');
  const { eventName, count = 1 } = body as Record<string, unknown>;
  if (typeof eventName !== 'string' || !eventName) throw invalidInput('eventName must be a non-empty string');
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) throw invalidInput(`count must be a whole number ≥ 1, got ${JSON.stringify(count)}`);
  return { eventName, count };
}
