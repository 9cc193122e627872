/**
 * Key-value stores: `/v2/key-value-stores` (list, get-or-create by name), `/v2/key-value-stores/:id` (get, rename,
 * delete), its keys (`exclusiveStartKey`, `limit`, `prefix`) and records (GET/HEAD/PUT/DELETE with their content
 * type; compressed bodies arrive decompressed, see server.ts). Keys are checked with the platform's rule before any
 * file is touched. A record is readable without a token through its signed public URL: the store's metadata keeps a
 * `urlSigningSecretKey`, and `?signature=` must be the HMAC the SDK's `getPublicUrl` and apify-client's
 * `getRecordPublicUrl` compute from it (@apify/utilities `createHmacSignature`).
 */
import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isValidRecordKey, KeyValueStoreFiles, newUrlSigningSecretKey, readStorageMetadata, writeStorageMetadata } from '../../storage';
import { data } from '../envelope';
import { forbidden, invalidInput, missingToken, recordNotFound } from '../errors';
import { queryBoolean, queryInteger, queryString } from '../query';
import type { RouteModule } from '../server';
import { LocatedStorage, StorageLocator, storageLocator } from '../storageAccess';
import { commonInfo, find, registerStorageCollection, storageErrorHandler } from './storageCollections';

const BASE62 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** @apify/utilities' createHmacSignature: the first 30 hex digits of the HMAC-SHA256, in base 62. */
export function recordSignature(secretKey: string, key: string): string {
  let value = BigInt(`0x${createHmac('sha256', secretKey).update(key).digest('hex').slice(0, 30)}`);
  let text = '';
  do {
    text = BASE62[Number(value % 62n)] + text;
    value /= 62n;
  } while (value > 0n);
  return text;
}

export const keyValueStoreRoutes: RouteModule = (app, ctx) => {
  const locator = storageLocator(ctx);
  void app.register(async (scope) => {
    scope.setErrorHandler(storageErrorHandler);
    registerStorageCollection(scope, ctx, 'key_value_stores', describeStore);
    registerKeyValueStoreContent(scope, locator, '/v2/key-value-stores/:storageId', (request) => find(locator, request, 'key_value_stores'));
  });
};

export function describeStore(storage: LocatedStorage, locator: StorageLocator): Record<string, unknown> {
  return { ...commonInfo(locator, storage), stats: {}, urlSigningSecretKey: signingKey(storage) };
}

/** The store's URL signing key, made (and kept in its metadata) the first time it is asked for. */
function signingKey(storage: LocatedStorage): string {
  const existing = readStorageMetadata(storage.folder).urlSigningSecretKey;
  if (typeof existing === 'string' && existing) return existing;
  return writeStorageMetadata(storage.folder, { id: storage.id, urlSigningSecretKey: newUrlSigningSecretKey() }).urlSigningSecretKey!;
}

/**
 * The keys and records routes under `base` for a store `resolve` finds (also the run aliases). A record read through a
 * signed URL is looked up as the user would (the signature, not a token, grants it).
 */
export function registerKeyValueStoreContent(app: FastifyInstance, locator: StorageLocator, base: string, resolve: (request: FastifyRequest) => LocatedStorage): void {
  app.get(`${base}/keys`, async (request) => {
    const store = resolve(request);
    if (queryString(request.query, 'collection') !== undefined) throw invalidInput('The local platform does not support listing the keys of a key-value store schema collection ("collection")');
    const limit = queryInteger(request.query, 'limit', { max: 1000 }) || 1000;
    const exclusiveStartKey = queryString(request.query, 'exclusiveStartKey');
    const prefix = queryString(request.query, 'prefix') ?? '';
    const keys = new KeyValueStoreFiles(store.storageDir, store.id)
      .records()
      .filter((record) => record.key.startsWith(prefix) && (exclusiveStartKey === undefined || record.key > exclusiveStartKey));
    const items = keys.slice(0, limit).map((record) => ({ key: record.key, size: record.size }));
    const isTruncated = keys.length > limit;
    return data({ items, count: items.length, limit, exclusiveStartKey: exclusiveStartKey ?? null, isTruncated, nextExclusiveStartKey: isTruncated ? items[items.length - 1].key : null });
  });

  // Records: raw bytes of any content type, JSON included (the scope parses no body).
  void app.register(async (records) => {
    records.removeAllContentTypeParsers();
    records.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    const signedOrResolved = (request: FastifyRequest): LocatedStorage => {
      const signature = queryString(request.query, 'signature');
      const key = recordKey(request);
      if (signature !== undefined) {
        const store = locator.find(undefined, 'key_value_stores', (request.params as { storageId: string }).storageId);
        if (recordSignature(signingKey(store), key) === signature) return store;
        if (!request.principal) throw forbidden(`record "${key}": the signature is not valid for it`);
      }
      if (!request.principal) throw missingToken();
      return resolve(request);
    };

    const sendRecord = (request: FastifyRequest, reply: FastifyReply, withBody: boolean) => {
      const store = signedOrResolved(request);
      const key = recordKey(request);
      const files = new KeyValueStoreFiles(store.storageDir, store.id);
      const record = files.find(key);
      if (!record) throw recordNotFound(`Record "${key}" of key-value store ${store.id}`);
      reply.header('content-type', record.contentType);
      if (queryBoolean(request.query, 'attachment')) reply.header('content-disposition', `attachment; filename="${key}"`);
      if (!withBody) return reply.header('content-length', String(record.size)).send();
      const { stream, size } = store.folder.stream(record.name);
      return reply.header('content-length', String(size)).send(stream);
    };

    records.get(`${base}/records/:key`, { config: { authOptional: true }, exposeHeadRoute: false }, async (request, reply) => sendRecord(request, reply, true));
    records.head(`${base}/records/:key`, { config: { authOptional: true } }, async (request, reply) => sendRecord(request, reply, false));

    records.put(`${base}/records/:key`, async (request, reply) => {
      const store = resolve(request);
      const key = recordKey(request);
      const body = request.body;
      const value = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
      const contentType = request.headers['content-type'] || 'application/octet-stream';
      new KeyValueStoreFiles(store.storageDir, store.id).write(key, value, contentType);
      return reply.code(201).send();
    });

    records.delete(`${base}/records/:key`, async (request, reply) => {
      const store = resolve(request);
      new KeyValueStoreFiles(store.storageDir, store.id).delete(recordKey(request));
      return reply.code(204).send();
    });
  });
}

/** The route's record key, refused (400) unless the platform accepts it, before any file name is made of it. */
function recordKey(request: FastifyRequest): string {
  const { key } = request.params as { key: string };
  if (!isValidRecordKey(key)) throw invalidInput(`Invalid key-value store record key "${key}": keys have 1–256 of the characters a–z A–Z 0–9 ! - _ . ' ( )`);
  return key;
}
