/** Request queues through the local API: apify-client for every route, the platform's locking semantics, Crawlee's layout on disk, and Crawlee's own RequestQueue at home. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requestIdOf, requestQueuePage } from '../../../src/storage';
import { startStorageFixture, StorageFixture } from './storageFixture';


describe('platform request queues', () => {
  let f: StorageFixture;
  before(async () => {
    f = await startStorageFixture();
  });
  after(() => f.close());

  const queueDir = (id: string) => path.join(f.root, '.greenroom', 'storage', 'request_queues', id);
  const req = (n: number) => ({ url: `https://example.com/${n}`, uniqueKey: `https://example.com/${n}` });

  it('adds requests deduplicated by uniqueKey, with Crawlee\'s ids, in Crawlee\'s file layout', async () => {
    const { id } = await f.user.requestQueues().getOrCreate('adds');
    const queue = f.user.requestQueue(id);
    const first = await queue.addRequest(req(1));
    assert.deepEqual(first, { requestId: requestIdOf(req(1).uniqueKey), wasAlreadyPresent: false, wasAlreadyHandled: false });
    assert.deepEqual(await queue.addRequest(req(1)), { ...first, wasAlreadyPresent: true });
    const file = JSON.parse(fs.readFileSync(path.join(queueDir(id), `${first.requestId}.json`), 'utf8'));
    assert.deepEqual(Object.keys(file).sort(), ['id', 'json', 'method', 'orderNo', 'retryCount', 'uniqueKey', 'url']);
    assert.equal(JSON.parse(file.json).url, req(1).url);
    assert.equal(typeof file.orderNo, 'number');
    const got = await queue.getRequest(first.requestId);
    assert.equal(got?.url, req(1).url);
    assert.equal(got?.id, first.requestId);
    assert.equal((await queue.get())?.totalRequestCount, 1);
    // The trees and the request queue viewer read it back as listed.
    assert.deepEqual(requestQueuePage(path.join(f.root, '.greenroom', 'storage'), id, 0, 10), {
      total: 1,
      requests: [{ id: first.requestId, url: req(1).url, method: 'GET', state: 'pending', retryCount: 0 }],
    });
  });

  it('gives out the head in order, forefront first (newest first), and keeps handled requests out', async () => {
    const { id } = await f.user.requestQueues().getOrCreate('order');
    const queue = f.user.requestQueue(id);
    for (const n of [1, 2, 3]) await queue.addRequest(req(n));
    await queue.addRequest(req(4), { forefront: true });
    await queue.addRequest(req(5), { forefront: true });
    const head = await queue.listHead();
    assert.deepEqual(head.items.map((item) => item.url.slice(-1)), ['5', '4', '1', '2', '3']);
    const two = await queue.getRequest(requestIdOf(req(2).uniqueKey));
    const updated = await queue.updateRequest({ ...two!, handledAt: new Date().toISOString() } as never);
    assert.equal(updated.wasAlreadyHandled, false);
    assert.deepEqual((await queue.listHead()).items.map((item) => item.url.slice(-1)), ['5', '4', '1', '3']);
    const info = await queue.get();
    assert.deepEqual([info?.totalRequestCount, info?.handledRequestCount, info?.pendingRequestCount], [5, 1, 4]);
    assert.equal(JSON.parse(fs.readFileSync(path.join(queueDir(id), `${two!.id}.json`), 'utf8')).orderNo, null);
    assert.equal((await queue.addRequest(req(2))).wasAlreadyHandled, true);
  });

  it('locks: a locked request is not given out again until its lock expires or is given up; prolong, delete and unlock', async () => {
    const { id } = await f.user.requestQueues().getOrCreate('locks');
    const alice = f.user.requestQueue(id, { clientKey: 'alice' });
    const bob = f.user.requestQueue(id, { clientKey: 'bob' });
    await alice.batchAddRequests([1, 2, 3].map(req));
    const first = await alice.listAndLockHead({ lockSecs: 60, limit: 2 });
    assert.deepEqual(first.items.map((item) => item.url.slice(-1)), ['1', '2']);
    assert.equal(first.queueHasLockedRequests, true);
    assert.ok(first.items[0].lockExpiresAt instanceof Date);
    const second = await bob.listAndLockHead({ lockSecs: 0.2, limit: 25 });
    assert.deepEqual(second.items.map((item) => item.url.slice(-1)), ['3']);
    assert.equal(second.hadMultipleClients, true);
    assert.deepEqual((await alice.listAndLockHead({ lockSecs: 60 })).items, [], 'everything is locked');
    // The locked head still shows in a plain peek.
    assert.equal((await alice.listHead()).items.length, 3);
    // Bob cannot take over or give up alice's lock.
    await assert.rejects(bob.prolongRequestLock(first.items[0].id, { lockSecs: 10 }), (error: Error & { statusCode?: number }) => error.statusCode === 403);
    await assert.rejects(bob.deleteRequestLock(first.items[0].id), (error: Error & { statusCode?: number }) => error.statusCode === 403);
    const prolonged = await alice.prolongRequestLock(first.items[0].id, { lockSecs: 120 });
    assert.ok(prolonged.lockExpiresAt.getTime() > Date.now() + 100_000);
    // Bob's short lock expires: request 3 is given out again.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual((await alice.listAndLockHead({ lockSecs: 60 })).items.map((item) => item.url.slice(-1)), ['3']);
    await alice.deleteRequestLock(first.items[1].id, { forefront: true });
    assert.deepEqual((await bob.listAndLockHead({ lockSecs: 60 })).items.map((item) => item.url.slice(-1)), ['2']);
    assert.equal((await alice.unlockRequests()).unlockedCount, 2);
    assert.equal((await bob.unlockRequests()).unlockedCount, 1);
    const none = await alice.listAndLockHead({ lockSecs: 60, limit: 1 });
    assert.equal(none.items.length, 1);
    await assert.rejects(alice.deleteRequestLock(requestIdOf('nope')), (error: Error & { statusCode?: number }) => error.statusCode === 404);
  });

  it('handled requests leave the head for good and cannot be locked', async () => {
    const { id } = await f.user.requestQueues().getOrCreate('handled');
    const queue = f.user.requestQueue(id);
    await queue.addRequest(req(1));
    const [locked] = (await queue.listAndLockHead({ lockSecs: 60 })).items;
    const request = await queue.getRequest(locked.id);
    await queue.updateRequest({ ...request!, handledAt: new Date().toISOString() } as never);
    const after = await queue.listAndLockHead({ lockSecs: 60 });
    assert.deepEqual(after.items, []);
    assert.equal(after.queueHasLockedRequests, false);
    await assert.rejects(queue.prolongRequestLock(locked.id, { lockSecs: 10 }), (error: Error & { statusCode?: number }) => error.statusCode === 409);
  });

  it('batch-deletes and deletes requests, and lists them with a cursor', async () => {
    const { id } = await f.user.requestQueues().getOrCreate('lists');
    const queue = f.user.requestQueue(id);
    await queue.batchAddRequests([1, 2, 3, 4, 5].map(req));
    const first = await queue.listRequests({ limit: 2 });
    assert.deepEqual(first.items.map((request) => request.url.slice(-1)), ['1', '2']);
    const rest = await queue.listRequests({ cursor: first.nextCursor! });
    assert.deepEqual(rest.items.map((request) => request.url.slice(-1)), ['3', '4', '5']);
    const deleted = await queue.batchDeleteRequests([{ uniqueKey: req(1).uniqueKey }, { id: requestIdOf(req(2).uniqueKey) }]);
    assert.equal(deleted.processedRequests.length, 2);
    await queue.deleteRequest(requestIdOf(req(3).uniqueKey));
    assert.deepEqual((await queue.listHead()).items.map((item) => item.url.slice(-1)), ['4', '5']);
    assert.equal(fs.readdirSync(queueDir(id)).filter((name) => name !== '__metadata__.json').length, 2);
  });

  it('refuses bad requests and batches by name', async () => {
    const { id } = await f.user.requestQueues().getOrCreate('bad');
    const post = (body: unknown, suffix = 'requests') =>
      fetch(`${f.baseUrl}/v2/request-queues/${id}/${suffix}?token=${f.userToken}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const noUrl = await post({ uniqueKey: 'x' });
    assert.equal(noUrl.status, 400);
    assert.match(((await noUrl.json()) as { error: { message: string } }).error.message, /needs a url/);
    const tooMany = await post(Array.from({ length: 26 }, (_, n) => req(n)), 'requests/batch');
    assert.equal(tooMany.status, 400);
    const oneBad = await post([req(1), { url: 'https://x' }], 'requests/batch');
    assert.equal(oneBad.status, 400);
    assert.equal((await f.user.requestQueue(id).get())?.totalRequestCount, 0, 'a refused batch adds nothing');
    const badLock = await fetch(`${f.baseUrl}/v2/request-queues/${id}/head/lock?token=${f.userToken}&lockSecs=-1`, { method: 'POST' });
    assert.equal(badLock.status, 400);
  });

  it('skips a corrupt request file, naming it, and keeps serving the others', async () => {
    const { id } = await f.user.requestQueues().getOrCreate('corrupt');
    await f.user.requestQueue(id).addRequest(req(1));
    fs.writeFileSync(path.join(queueDir(id), 'brokenbrokenbro.json'), '{"id": ');
    const head = await f.user.requestQueue(id).listHead();
    assert.deepEqual(head.items.map((item) => item.url), [req(1).url]);
    assert.equal((await f.user.requestQueue(id).getRequest('brokenbrokenbro')), undefined);
  });

  it('reloads a queue another writer changed on disk, in Crawlee\'s order', async () => {
    const { id } = await f.user.requestQueues().getOrCreate('reload');
    await f.user.requestQueue(id).addRequest(req(1));
    const planted = { id: requestIdOf('planted'), json: JSON.stringify({ url: 'https://planted', uniqueKey: 'planted', id: requestIdOf('planted') }), method: 'GET', orderNo: -1, retryCount: 0, uniqueKey: 'planted', url: 'https://planted' };
    fs.writeFileSync(path.join(queueDir(id), `${planted.id}.json`), JSON.stringify(planted, null, '\t'));
    assert.deepEqual((await f.user.requestQueue(id).listHead()).items.map((item) => item.url), ['https://planted', req(1).url]);
  });

  it('serves Crawlee\'s own RequestQueue (v2, with locks) at home: every request fetched once and handled', async () => {
    // The devDependency is pinned to the Crawlee the SDK in the test images carries (test/docker/fixtures.ts).
    const { RequestQueueV2, Configuration } = require('@crawlee/core') as {
      RequestQueueV2: { open(id: string, options: { storageClient: unknown; config: unknown }): Promise<{ addRequests(r: unknown[]): Promise<unknown>; fetchNextRequest(): Promise<{ id: string; url: string } | null>; markRequestHandled(r: unknown): Promise<unknown>; isFinished(): Promise<boolean> }> };
      Configuration: new (options: Record<string, unknown>) => unknown;
    };
    const { ApifyClient } = require('apify-client') as typeof import('apify-client');
    const client = new ApifyClient({ token: f.runA.token, baseUrl: f.baseUrl });
    const queue = await RequestQueueV2.open(f.runA.record.defaultRequestQueueId, { storageClient: client, config: new Configuration({ persistStorage: false }) });
    await queue.addRequests(Array.from({ length: 60 }, (_, n) => req(n)));
    const seen: string[] = [];
    for (let request = await queue.fetchNextRequest(); request; request = await queue.fetchNextRequest()) {
      seen.push(request.url);
      await queue.markRequestHandled(request);
    }
    assert.equal(seen.length, 60);
    assert.equal(new Set(seen).size, 60);
    assert.equal(await queue.isFinished(), true);
    const info = await f.runA.client.requestQueue(f.runA.record.defaultRequestQueueId).get();
    assert.equal(info?.handledRequestCount, 60);
  });
});
