/**
 * Request queues: `/v2/request-queues` (list, get-or-create by name), `/v2/request-queues/:id` (get, rename, delete)
 * and its requests: add, get, update, delete, batch add and delete, the head, the head with locks, prolonging and
 * giving up a lock, unlocking a client's requests. The semantics are the storage library's (RequestQueueFiles): a
 * locked request is not given out again until its lock expires, handled requests leave the head, forefront requests
 * come first, `clientKey` says whose a lock is.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { checkRequest, requestIdOf, RequestQueueFiles } from '../../storage';
import { data } from '../envelope';
import { invalidInput, recordNotFound } from '../errors';
import { queryBoolean, queryInteger, queryList, querySeconds, queryString } from '../query';
import type { RouteModule } from '../server';
import { LocatedStorage, StorageLocator, storageLocator } from '../storageAccess';
import { commonInfo, find, registerStorageCollection, storageErrorHandler } from './storageCollections';

/** The platform's batch size for adding or deleting requests (@apify/consts REQUEST_QUEUE_MAX_REQUESTS_PER_BATCH_OPERATION). */
const MAX_BATCH = 25;
/** The platform's limits on a head: 1000 requests, 25 when locking. */
const MAX_HEAD = 1000;
const MAX_LOCKED_HEAD = 25;
const MAX_LOCK_SECS = 24 * 3600;

export const requestQueueRoutes: RouteModule = (app, ctx) => {
  const locator = storageLocator(ctx);
  void app.register(async (scope) => {
    scope.setErrorHandler(storageErrorHandler);
    registerStorageCollection(scope, ctx, 'request_queues', describeQueue, (queue) => queueOf(queue).forget());
    registerRequestQueueContent(scope, '/v2/request-queues/:storageId', (request) => find(locator, request, 'request_queues'));
  });
};

export function describeQueue(storage: LocatedStorage, locator: StorageLocator): Record<string, unknown> {
  const queue = queueOf(storage);
  return { ...commonInfo(locator, storage), ...queue.counts(), hadMultipleClients: queue.hadMultipleClients(), stats: {} };
}

function queueOf(storage: LocatedStorage): RequestQueueFiles {
  return new RequestQueueFiles(storage.storageDir, storage.id);
}

/** The requests routes under `base` for a queue `resolve` finds (also the run aliases, `actor-runs/:runId/request-queue`). */
export function registerRequestQueueContent(app: FastifyInstance, base: string, resolve: (request: FastifyRequest) => LocatedStorage): void {
  const options = (request: FastifyRequest) => ({ forefront: queryBoolean(request.query, 'forefront') ?? false, clientKey: queryString(request.query, 'clientKey') });
  const queue = (request: FastifyRequest) => queueOf(resolve(request));

  app.post(`${base}/requests`, async (request, reply) => {
    const { requestId, wasAlreadyPresent, wasAlreadyHandled } = queue(request).add(requestBody(request.body), options(request));
    return reply.code(201).send(data({ requestId, wasAlreadyPresent, wasAlreadyHandled }));
  });

  app.get(`${base}/requests`, async (request) => {
    const limit = queryInteger(request.query, 'limit', { max: 10_000 }) || 100;
    const exclusiveStartId = queryString(request.query, 'cursor') ?? queryString(request.query, 'exclusiveStartId');
    const filter = queryList(request.query, 'filter');
    if (filter?.some((name) => name !== 'locked' && name !== 'pending')) throw invalidInput(`Query parameter "filter" takes locked and/or pending, got "${filter.join(',')}"`);
    const { items, nextStartId } = queue(request).list({ limit, exclusiveStartId, filter: filter as ('locked' | 'pending')[] | undefined });
    return data({ items, count: items.length, limit, exclusiveStartId: exclusiveStartId ?? null, nextCursor: nextStartId });
  });

  app.post(`${base}/requests/batch`, async (request, reply) => {
    const requests = batchBody(request.body);
    requests.forEach((item) => checkRequest(item));
    const rq = queue(request);
    const processedRequests = requests.map((item) => rq.add(item, options(request)));
    return reply.code(201).send(data({ processedRequests, unprocessedRequests: [] }));
  });

  app.delete(`${base}/requests/batch`, async (request) => {
    const rq = queue(request);
    const { clientKey } = options(request);
    const processedRequests = batchBody(request.body).map((item) => {
      const id = typeof item.id === 'string' ? item.id : typeof item.uniqueKey === 'string' ? requestIdOf(item.uniqueKey) : undefined;
      if (id === undefined) throw invalidInput('Each request to delete needs its id or uniqueKey');
      rq.delete(id, clientKey);
      return { id, uniqueKey: item.uniqueKey ?? null };
    });
    return data({ processedRequests, unprocessedRequests: [] });
  });

  app.post(`${base}/requests/unlock`, async (request) => data({ unlockedCount: queue(request).unlockAll(options(request).clientKey) }));

  app.get(`${base}/requests/:requestId`, async (request) => {
    const { requestId } = request.params as { requestId: string };
    const found = queue(request).get(requestId);
    if (!found) throw recordNotFound(`Request ${requestId}`);
    return data(found);
  });

  app.put(`${base}/requests/:requestId`, async (request) => {
    const { requestId } = request.params as { requestId: string };
    const body = requestBody(request.body);
    if (body.id !== undefined && body.id !== requestId) throw invalidInput(`The request's id "${String(body.id)}" is not the one in the URL (${requestId})`);
    return data(queue(request).update({ ...body, id: requestId }, options(request)));
  });

  app.delete(`${base}/requests/:requestId`, async (request, reply) => {
    const { requestId } = request.params as { requestId: string };
    queue(request).delete(requestId, options(request).clientKey);
    return reply.code(204).send();
  });

  app.put(`${base}/requests/:requestId/lock`, async (request) => {
    const { requestId } = request.params as { requestId: string };
    const lockExpiresAt = queue(request).prolongLock(requestId, lockSecs(request), options(request));
    return data({ lockExpiresAt });
  });

  app.delete(`${base}/requests/:requestId/lock`, async (request, reply) => {
    const { requestId } = request.params as { requestId: string };
    queue(request).deleteLock(requestId, options(request));
    return reply.code(204).send();
  });

  app.get(`${base}/head`, async (request) => {
    const limit = queryInteger(request.query, 'limit', { min: 0, max: MAX_HEAD }) || 100;
    const rq = queue(request);
    const items = rq.head(limit, options(request).clientKey);
    return data({ limit, queueModifiedAt: rq.modifiedAt(), hadMultipleClients: rq.hadMultipleClients(), items });
  });

  app.post(`${base}/head/lock`, async (request) => {
    const limit = queryInteger(request.query, 'limit', { min: 0, max: MAX_LOCKED_HEAD }) || MAX_LOCKED_HEAD;
    const secs = lockSecs(request);
    const { clientKey } = options(request);
    const rq = queue(request);
    const items = rq.lockHead(limit, secs, clientKey);
    return data({
      limit,
      lockSecs: secs,
      queueModifiedAt: rq.modifiedAt(),
      hadMultipleClients: rq.hadMultipleClients(),
      queueHasLockedRequests: rq.hasLockedRequests(),
      clientKey: clientKey ?? null,
      items,
    });
  });
}

function lockSecs(request: FastifyRequest): number {
  const secs = querySeconds(request.query, 'lockSecs', MAX_LOCK_SECS);
  if (secs === undefined) throw invalidInput('Query parameter "lockSecs" is required: for how many seconds to lock');
  return secs;
}

function requestBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidInput('The body must be a request: a JSON object with url and uniqueKey');
  return body as Record<string, unknown>;
}

function batchBody(body: unknown): Record<string, unknown>[] {
  if (!Array.isArray(body) || body.length === 0) throw invalidInput('The body must be a JSON array of 1 to 25 requests');
  if (body.length > MAX_BATCH) throw invalidInput(`A batch has at most ${MAX_BATCH} requests, this one ${body.length}`);
  return body.map(requestBody);
}
