/**
 * Starting a run through the API, for `POST /v2/acts/:actorId/runs` and `POST /v2/actor-tasks/:taskId/runs`: the
 * run options from the query (the platform's names), the input from the body, and who calls. A run's own token
 * calling (`Actor.call`/`start`/`callTask` inside a container) makes a run of origin `ACTOR` linked to its caller
 * both ways (`greenroom.caller` on the new run, `greenroom.calls` on the caller's).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RunStartOptions } from '../../engine/runs';
import { taskRunOptions, type FoundTask } from '../../workspace/tasks';
import { runObject } from '../apiObjects';
import { data } from '../envelope';
import { invalidInput } from '../errors';
import { Query, queryBoolean, queryNumber, queryString, waitForFinishSecs } from '../query';
import { checkWebhook, WebhookError } from '../webhooks/webhooks';
import type { FoundActor } from '../runDirectory';
import { waitForFinish } from './lookup';

export type RunStartRequest = FastifyRequest<{ Querystring: Query; Body: unknown }>;

export async function startApiRun(request: RunStartRequest, reply: FastifyReply, { actor, engine }: FoundActor, task?: FoundTask): Promise<FastifyReply> {
  const { query } = request;
  const caller = request.principal?.kind === 'run' ? request.principal.found : undefined;
  const given: RunStartOptions = withoutUndefined({
    build: queryString(query, 'build'),
    memoryMbytes: queryNumber(query, 'memory', { integer: true }),
    timeoutSecs: queryNumber(query, 'timeout', { min: 0 }),
    maxItems: queryNumber(query, 'maxItems', { min: 0, integer: true }),
    maxTotalChargeUsd: queryNumber(query, 'maxTotalChargeUsd', { min: 0 }),
    restartOnError: queryBoolean(query, 'restartOnError'),
    webhooks: queryWebhooks(query),
    input: runInput(request.body, request.headers['content-type']),
    origin: caller ? 'ACTOR' : 'API',
    caller: caller && { runId: caller.run.id, actorName: caller.actor.name, actorRoot: caller.actor.root },
  });
  const options = task ? { ...taskRunOptions(task.task, given), task: { id: task.id, name: task.task.name } } : given;
  const wait = waitForFinishSecs(query);
  const handle = await engine.run(options);
  // The engine follows the run; its end is in the record (nobody here awaits it, and it rejects when the engine is disposed).
  handle.finished.catch(() => undefined);
  caller?.engine.noteCall(caller.run.id, { runId: handle.id, actorName: actor.name, actorRoot: actor.root });
  await waitForFinish(engine, { kind: 'run', runId: handle.id }, wait, reply);
  return reply.code(201).send(data(runObject(actor, engine.requireRun(handle.id))));
}

/**
 * The run's input from the request body: a JSON body as it is, no body as `{}` (the input schema's defaults fill
 * it). Other content types are refused: runs here take JSON input only (the engine validates it against the schema).
 */
export function runInput(body: unknown, contentType: string | undefined): unknown {
  if (body === undefined || body === null) return {};
  // Fastify gives text/plain as a string, any other non-JSON type as bytes.
  if (!Buffer.isBuffer(body) && typeof body !== 'string') return body;
  if (body.length === 0) return {};
  throw invalidInput(`The run input must be JSON (content type application/json), got ${contentType ?? 'no content type'}: Greenroom's local runs take JSON input only`);
}

/** The `webhooks` run option: base64 of a JSON array of webhook objects, as apify-client sends it (each checked at start). */
export function queryWebhooks(query: Query): unknown[] | undefined {
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

function withoutUndefined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}
