/**
 * A minimal stand-in for the storage routes (branch api-storage) while they are being written: just what the SDK
 * Actors of test/docker/atHome.test.ts call (storage get, JSON records, dataset pushes), in the calling run's storage
 * root. Replaced by the real routes once they are merged.
 */
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../src/platform/errors';
import type { RouteModule } from '../../src/platform/server';
import { datasetItemCount, readJsonRecordText, storageOf, writeJsonRecordText } from '../../src/storage';
import { itemFile } from '../../src/storage/datasetPages';

type Params = { id: string; key?: string; runId?: string };

export const storageStandIn: RouteModule = (app: FastifyInstance, ctx) => {
  const storageDir = (request: { principal?: unknown }) => {
    const principal = request.principal as { kind: string; found?: { run: { greenroom: { storageDir: string } } } } | undefined;
    if (principal?.kind !== 'run') throw new ApiError(403, 'insufficient-permissions', 'The stand-in serves run tokens only');
    return principal.found!.run.greenroom.storageDir;
  };
  const now = new Date().toISOString();
  const storage = (id: string) => ({ data: { id, name: null, userId: 'local', createdAt: now, modifiedAt: now, accessedAt: now } });
  app.get<{ Params: Params }>('/v2/key-value-stores/:id', async (request) => (storageDir(request), storage(request.params.id)));
  app.get<{ Params: Params }>('/v2/datasets/:id', async (request) => {
    const dir = storageDir(request);
    return { data: { ...storage(request.params.id).data, itemCount: datasetItemCount(storageOf(dir, 'datasets', request.params.id)) } };
  });
  app.get<{ Params: Params }>('/v2/key-value-stores/:id/records/:key', async (request, reply) => {
    const text = readJsonRecordText(storageDir(request), request.params.id, request.params.key!);
    if (text === undefined) throw new ApiError(404, 'record-not-found', 'Record was not found');
    return reply.type('application/json; charset=utf-8').send(text);
  });
  app.put<{ Params: Params; Body: unknown }>('/v2/key-value-stores/:id/records/:key', async (request, reply) => {
    const body = request.body;
    writeJsonRecordText(storageDir(request), request.params.id, request.params.key!, Buffer.isBuffer(body) ? body.toString() : JSON.stringify(body));
    return reply.code(201).send();
  });
  app.post<{ Params: Params; Body: unknown }>('/v2/datasets/:id/items', async (request, reply) => {
    const dataset = storageOf(storageDir(request), 'datasets', request.params.id);
    dataset.ensure();
    const body = Buffer.isBuffer(request.body) ? JSON.parse(request.body.toString()) : request.body;
    let next = datasetItemCount(dataset);
    for (const item of Array.isArray(body) ? body : [body]) dataset.writeAtomic(itemFile(next++), JSON.stringify(item));
    return reply.code(201).send();
  });
  // The SDK's Actor.reboot() (the `migrating` handler's default): the route belongs to branch serve.
  app.post<{ Params: Params }>('/v2/actor-runs/:runId/reboot', async (request) => {
    const found = ctx.runs.findRun(request.params.runId!);
    if (!found) throw new ApiError(404, 'record-not-found', 'Actor run was not found');
    // Answered before the container goes: the SDK waits for this answer, then for the kill.
    void found.engine.reboot(found.run.id).catch(() => undefined);
    return { data: { id: found.run.id, status: 'RUNNING' } };
  });
};
