/**
 * What the three storage kinds share: the collection routes (list, get-or-create by name, get, rename, delete), the
 * storage object's common fields, and how the storage library's refusals become API errors. Each kind's module adds
 * its own fields and content routes in the same Fastify scope.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readStorageMetadata, RequestQueueError, StorageFileError, StorageFolder, StorageKind, storageTimes, writeStorageMetadata } from '../../storage';
import { data } from '../envelope';
import { ApiError, invalidInput } from '../errors';
import { pageRequest, queryBoolean, queryString } from '../query';
import type { PlatformContext } from '../server';
import { checkStorageName, KIND_NAMES, LocatedStorage, StorageLocator, storageLocator } from '../storageAccess';
import { LOCAL_USER } from './users';

/** A storage file Greenroom will not read (a link, a special file) or cannot parse: the caller gets why, not a retry loop. */
export const unreadableStorage = (message: string): ApiError => new ApiError(409, 'storage-file-unreadable', message);

/** The storage object's fields every kind has, as the platform names them. */
export function commonInfo(locator: StorageLocator, storage: LocatedStorage): Record<string, unknown> {
  const metadata = readStorageMetadata(storage.folder);
  return {
    id: storage.id,
    name: locator.nameOf(storage),
    userId: LOCAL_USER.id,
    username: LOCAL_USER.username,
    ...storageTimes(storage.folder, metadata),
    actId: storage.owner?.actId ?? metadata.actId ?? null,
    actRunId: storage.owner?.id ?? metadata.actRunId ?? null,
  };
}

export type DescribeStorage = (storage: LocatedStorage, locator: StorageLocator) => Record<string, unknown>;

/** Registers the collection routes of `kind` on the scope; `describe` makes its storage object. */
export function registerStorageCollection(app: FastifyInstance, ctx: PlatformContext, kind: StorageKind, describe: DescribeStorage, onDelete?: (storage: LocatedStorage) => void): void {
  const base = `/v2/${KIND_NAMES[kind].path}`;
  const locator = storageLocator(ctx);

  app.get(base, async (request) => {
    const page = pageRequest(request.query);
    const unnamed = queryBoolean(request.query, 'unnamed') ?? false;
    const all = locator
      .list(request.principal, kind)
      .map((storage) => describe(storage, locator))
      .filter((info) => unnamed || info.name !== null)
      .sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)));
    const ordered = page.desc ? all.reverse() : all;
    const items = ordered.slice(page.offset, page.offset + page.limit);
    return data({ total: all.length, offset: page.offset, count: items.length, limit: page.limit, desc: page.desc, items });
  });

  app.post(base, async (request, reply) => {
    const body = request.body as { name?: unknown } | undefined;
    const name = queryString(request.query, 'name') ?? (typeof body?.name === 'string' && body.name ? body.name : undefined);
    const { storage, created } = locator.getOrCreate(request.principal, kind, name);
    return reply.code(created ? 201 : 200).send(data(describe(storage, locator)));
  });

  app.get(`${base}/:storageId`, async (request) => data(describe(find(locator, request, kind), locator)));

  app.put(`${base}/:storageId`, async (request) => {
    const storage = find(locator, request, kind);
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidInput('The body must be a JSON object of the fields to change, e.g. {"name": "my-storage"}');
    const { name } = body as { name?: unknown };
    if (name !== undefined) {
      const newName = name === null || name === '' ? null : checkStorageName(name);
      if (newName !== null) {
        const taken = locator.list(request.principal, kind).find((other) => other.id !== storage.id && locator.nameOf(other) === newName);
        if (taken) throw new ApiError(400, 'storage-name-not-unique', `${KIND_NAMES[kind].label} "${newName}" already exists (id ${taken.id})`);
      }
      writeStorageMetadata(storage.folder, { id: storage.id, name: newName });
    }
    return data(describe(storage, locator));
  });

  app.delete(`${base}/:storageId`, async (request, reply) => {
    const storage = find(locator, request, kind);
    onDelete?.(storage);
    new StorageFolder(storage.storageDir, [kind]).remove(storage.id);
    return reply.code(204).send();
  });
}

/** The storage named by the route's `:storageId`, for the caller. */
export function find(locator: StorageLocator, request: FastifyRequest, kind: StorageKind): LocatedStorage {
  return locator.find(request.principal, kind, (request.params as { storageId: string }).storageId);
}

/** Maps the storage library's refusals in a scope to API errors; everything else goes on to the server's handler. */
export function storageErrorHandler(error: FastifyError | Error, _request: FastifyRequest, _reply: FastifyReply): never {
  if (error instanceof StorageFileError) throw unreadableStorage(error.message);
  if (error instanceof RequestQueueError) {
    const status = { invalid: 400, 'not-found': 404, 'locked-by-other': 403, 'not-locked': 409, handled: 409 }[error.kind];
    const type = { invalid: 'invalid-input', 'not-found': 'record-not-found', 'locked-by-other': 'request-locked-by-another-client', 'not-locked': 'request-not-locked', handled: 'request-already-handled' }[error.kind];
    throw new ApiError(status, type, error.message);
  }
  throw error;
}
