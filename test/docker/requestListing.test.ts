// The request queue listing (src/storage/requestListing.ts) over a queue the real Apify SDK worked through in a
// container: one request handled, one failed and reclaimed with its error, one left pending.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ActorEngine } from '../../src/engine';
import { requestQueueCounts, requestQueuePage } from '../../src/storage';
import { copyFixture } from './fixtures';
import { makeEngine } from './helpers';

const MAIN = `const { Actor } = require('apify');
(async () => {
  await Actor.init();
  const queue = await Actor.openRequestQueue();
  await queue.addRequest({ url: 'https://example.com/a' });
  await queue.addRequest({ url: 'https://example.com/b', method: 'POST', payload: 'q=1' });
  await queue.addRequest({ url: 'https://example.com/c' });
  const a = await queue.fetchNextRequest();
  await queue.markRequestHandled(a);
  const b = await queue.fetchNextRequest();
  b.pushErrorMessage(new Error('HTTP 503 on purpose'));
  b.retryCount++;
  await queue.reclaimRequest(b);
  await Actor.exit();
})();
`;

describe('storage: the request queue listing over the queue the SDK wrote', function () {
  let engine: ActorEngine;

  before(() => {
    const root = copyFixture('sdk-actor');
    writeFileSync(join(root, 'main.js'), MAIN);
    engine = makeEngine(root);
  });
  after(() => engine.dispose());

  it('lists URL, method, state, retries and the last error as the SDK left them', async function () {
    const build = await engine.build().finished;
    assert.equal(build.status, 'SUCCEEDED', engine.readBuildLog(build.id));
    const run = await (await engine.run({ input: { count: 0 } })).finished;
    assert.equal(run.status, 'SUCCEEDED', engine.readRunLog(run.id));
    const { storageDir } = run.greenroom;
    const { total, requests } = requestQueuePage(storageDir, run.defaultRequestQueueId, 0, 10);
    assert.equal(total, 3);
    const byUrl = new Map(requests.map((request) => [request.url, request]));
    assert.deepEqual(
      [...byUrl.keys()].sort(),
      ['https://example.com/a', 'https://example.com/b', 'https://example.com/c'],
    );
    assert.equal(byUrl.get('https://example.com/a')?.state, 'handled');
    const failed = byUrl.get('https://example.com/b')!;
    assert.equal(failed.method, 'POST');
    assert.equal(failed.state, 'pending');
    assert.equal(failed.retryCount, 1);
    assert.match(failed.lastError ?? '', /HTTP 503 on purpose/);
    assert.deepEqual({ ...byUrl.get('https://example.com/c'), id: undefined }, { id: undefined, url: 'https://example.com/c', method: 'GET', state: 'pending', retryCount: 0 });
    assert.deepEqual(requestQueueCounts(storageDir, run.defaultRequestQueueId), { total: 3, pending: 2, handled: 1, unreadable: 0 });
  });
});
