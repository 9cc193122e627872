/**
 * Webhooks and their dispatches on disk (docs/platform.md#webhooks). Three kinds, all read when an event happens:
 *   - an Actor's own, committed: `.actor/webhooks.json`, an array of `{eventTypes, requestUrl, payloadTemplate?,
 *     headersTemplate?, shouldInterpolateStrings?, doNotRetry?, description?}` for every run and build of the Actor;
 *   - a run's ad-hoc ones given with it (the `webhooks` run option, kept in the record as `greenroom.webhooks`);
 *   - a run's ad-hoc ones added while it runs (`POST /v2/webhooks` with `condition.actorRunId`, the SDK's
 *     `Actor.addWebhook()`): lines of `.greenroom/runs/<runId>.webhooks.jsonl`.
 * Dispatches are lines of `<runs|builds>/<id>.dispatches.jsonl`, one per change, the last line of an id winning.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { actorIdOf } from '../../engine/platformLink';
import { ActorLayout, newId } from '../../engine/recordStore';
import type { RunRecord } from '../../engine/types';
import { LOCAL_USER } from '../routes/users';
import { DEFAULT_PAYLOAD_TEMPLATE, renderHeaders, renderTemplate, WebhookTemplateError } from './template';

export const WEBHOOK_EVENT_TYPES = [
  'ACTOR.RUN.CREATED',
  'ACTOR.RUN.SUCCEEDED',
  'ACTOR.RUN.FAILED',
  'ACTOR.RUN.ABORTED',
  'ACTOR.RUN.TIMED_OUT',
  'ACTOR.RUN.RESURRECTED',
  'ACTOR.BUILD.CREATED',
  'ACTOR.BUILD.SUCCEEDED',
  'ACTOR.BUILD.FAILED',
  'ACTOR.BUILD.ABORTED',
  'ACTOR.BUILD.TIMED_OUT',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface Webhook {
  id: string;
  userId: string;
  createdAt: string;
  modifiedAt: string;
  isAdHoc: boolean;
  eventTypes: WebhookEventType[];
  condition: { actorId?: string; actorRunId?: string };
  requestUrl: string;
  payloadTemplate: string;
  headersTemplate?: string;
  shouldInterpolateStrings: boolean;
  doNotRetry: boolean;
  idempotencyKey?: string;
  description?: string;
}

export interface WebhookCall {
  startedAt: string;
  finishedAt: string | null;
  errorMessage: string | null;
  responseStatus: number | null;
  responseBody: string | null;
}

export interface WebhookDispatch {
  id: string;
  userId: string;
  webhookId: string;
  createdAt: string;
  status: 'ACTIVE' | 'SUCCEEDED' | 'FAILED';
  eventType: WebhookEventType;
  eventData: Record<string, string>;
  webhook: { requestUrl: string; isAdHoc: boolean };
  calls: WebhookCall[];
}

export class WebhookError extends Error {
  name = 'WebhookError';
}

/** What a webhook is given as (API body, run option, file entry), checked; the rest of a Webhook is filled in. */
export function checkWebhook(raw: unknown, where: string, fill: Pick<Webhook, 'id' | 'isAdHoc' | 'condition'> & { createdAt?: string }): Webhook {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new WebhookError(`${where} must be an object with eventTypes and requestUrl`);
  const given = raw as Record<string, unknown>;
  const eventTypes = given.eventTypes;
  if (!Array.isArray(eventTypes) || eventTypes.length === 0) throw new WebhookError(`${where}: eventTypes must be a non-empty array of ${WEBHOOK_EVENT_TYPES.join(', ')}`);
  for (const type of eventTypes) {
    if (!WEBHOOK_EVENT_TYPES.includes(type as WebhookEventType)) throw new WebhookError(`${where}: unknown event type ${JSON.stringify(type)} (known: ${WEBHOOK_EVENT_TYPES.join(', ')})`);
  }
  const requestUrl = given.requestUrl;
  if (typeof requestUrl !== 'string' || !/^https?:\/\//.test(requestUrl) || !URL.canParse(requestUrl)) throw new WebhookError(`${where}: requestUrl must be an http:// or https:// URL, got ${JSON.stringify(requestUrl)}`);
  for (const field of ['payloadTemplate', 'headersTemplate', 'idempotencyKey', 'description'] as const) {
    if (given[field] !== undefined && given[field] !== null && typeof given[field] !== 'string') throw new WebhookError(`${where}: ${field} must be a string`);
  }
  const interpolate = given.shouldInterpolateStrings === true;
  // A template that cannot give JSON is refused now, not at its first dispatch.
  const sample = { userId: '', createdAt: '', eventType: '', eventData: {}, resource: {}, globals: {} };
  try {
    if (typeof given.payloadTemplate === 'string') renderTemplate(given.payloadTemplate, sample, { interpolateStrings: interpolate });
    if (typeof given.headersTemplate === 'string') renderHeaders(given.headersTemplate, sample, { interpolateStrings: interpolate });
  } catch (error) {
    if (error instanceof WebhookTemplateError) throw new WebhookError(`${where}: ${error.message}`);
    throw error;
  }
  const createdAt = fill.createdAt ?? new Date().toISOString();
  return {
    id: fill.id,
    userId: LOCAL_USER.id,
    createdAt,
    modifiedAt: createdAt,
    isAdHoc: fill.isAdHoc,
    eventTypes: eventTypes as WebhookEventType[],
    condition: fill.condition,
    requestUrl,
    payloadTemplate: typeof given.payloadTemplate === 'string' && given.payloadTemplate ? given.payloadTemplate : DEFAULT_PAYLOAD_TEMPLATE,
    ...(typeof given.headersTemplate === 'string' && given.headersTemplate && { headersTemplate: given.headersTemplate }),
    shouldInterpolateStrings: interpolate,
    doNotRetry: given.doNotRetry === true,
    ...(typeof given.idempotencyKey === 'string' && { idempotencyKey: given.idempotencyKey }),
    ...(typeof given.description === 'string' && { description: given.description }),
  };
}

export function actorWebhooksFile(actorRoot: string): string {
  return join(actorRoot, '.actor', 'webhooks.json');
}

/** The Actor's committed webhooks; a malformed file is a WebhookError naming it and the entry. */
export function actorWebhooks(actorRoot: string, actorName: string): Webhook[] {
  const file = actorWebhooksFile(actorRoot);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  let entries: unknown;
  try {
    entries = JSON.parse(text);
  } catch (error) {
    throw new WebhookError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(entries)) throw new WebhookError(`${file} must be an array of webhooks`);
  const actorId = actorIdOf(actorName);
  // Ids stable without state: the same entry keeps its id (its dispatches stay its own) until the file reorders it.
  return entries.map((entry, index) => checkWebhook(entry, `${file} [${index}]`, { id: actorIdOf(`${actorName}/webhooks/${index}`), isAdHoc: false, condition: { actorId } }));
}

function runWebhooksFile(layout: ActorLayout, runId: string): string {
  return join(layout.runsDir, `${runId}.webhooks.jsonl`);
}

/** A run's ad-hoc webhooks: those given with it, then those added while it runs. Unreadable entries are skipped. */
export function runWebhooks(layout: ActorLayout, run: RunRecord): Webhook[] {
  const given = ((run.greenroom as { webhooks?: unknown[] }).webhooks ?? []).flatMap((raw, index) => {
    try {
      return [checkWebhook(raw, `run option webhooks[${index}]`, { id: actorIdOf(`${run.id}/webhooks/${index}`), isAdHoc: true, condition: { actorRunId: run.id }, createdAt: run.startedAt })];
    } catch {
      return [];
    }
  });
  return [...given, ...readLines<Webhook>(runWebhooksFile(layout, run.id))];
}

/** Adds an ad-hoc webhook to a run; one with the idempotency key of a webhook the run has is that webhook. */
export function addRunWebhook(layout: ActorLayout, run: RunRecord, raw: unknown): Webhook {
  const key = (raw as { idempotencyKey?: unknown } | null)?.idempotencyKey;
  const existing = typeof key === 'string' ? runWebhooks(layout, run).find((webhook) => webhook.idempotencyKey === key) : undefined;
  if (existing) return existing;
  const webhook = checkWebhook(raw, 'The webhook', { id: newId(), isAdHoc: true, condition: { actorRunId: run.id } });
  appendFileSync(runWebhooksFile(layout, run.id), JSON.stringify(webhook) + '\n');
  return webhook;
}

export function dispatchesFile(layout: ActorLayout, kind: 'run' | 'build', id: string): string {
  return join(kind === 'run' ? layout.runsDir : layout.buildsDir, `${id}.dispatches.jsonl`);
}

/** A run's or build's dispatches, oldest first, each as last recorded. */
export function readDispatches(layout: ActorLayout, kind: 'run' | 'build', id: string): WebhookDispatch[] {
  const latest = new Map<string, WebhookDispatch>();
  for (const dispatch of readLines<WebhookDispatch>(dispatchesFile(layout, kind, id))) latest.set(dispatch.id, dispatch);
  return [...latest.values()];
}

export function recordDispatch(layout: ActorLayout, kind: 'run' | 'build', id: string, dispatch: WebhookDispatch): void {
  appendFileSync(dispatchesFile(layout, kind, id), JSON.stringify(dispatch) + '\n');
}

function readLines<T>(file: string): T[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((line) => {
    if (!line) return [];
    try {
      return [JSON.parse(line) as T];
    } catch {
      // A line cut short by a crash mid-append.
      return [];
    }
  });
}
