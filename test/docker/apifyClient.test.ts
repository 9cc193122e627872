/**
 * The stock apify-client (the npm package, as any tool outside Greenroom uses it) drives `greenroom serve`: start an
 * Actor by name and wait for it, list its items in two formats, read a record, abort, resurrect, stream a log.
 */
import * as assert from 'node:assert/strict';
import { ApifyClient, DownloadItemsFormat } from 'apify-client';
import { copyFixture } from './fixtures';
import { makeEngine } from './helpers';
import { servePlatform, ServedPlatform } from './platformProcess';

describe('apify-client drives greenroom serve from outside', function () {
  this.timeout(180_000);
  let platform: ServedPlatform;
  let client: ApifyClient;

  before(async function () {
    const actorRoot = copyFixture('sdk-actor');
    const engine = makeEngine(actorRoot);
    const build = await engine.build().finished;
    engine.dispose();
    assert.equal(build.status, 'SUCCEEDED', engine.readBuildLog(build.id));
    platform = await servePlatform(actorRoot);
    client = new ApifyClient({ baseUrl: platform.url, token: platform.token });
  });
  after(() => platform?.close());

  it('starts an Actor by name, waits for it, lists its items as JSON and CSV, reads a record', async () => {
    const run = await client.actor('sdk-actor').call({ count: 3, greeting: 'client' }, { memory: 256, waitSecs: 120 });
    assert.equal(run.status, 'SUCCEEDED', platform.output());
    assert.equal(run.exitCode, 0);

    const { items, total } = await client.dataset(run.defaultDatasetId).listItems();
    assert.equal(total, 3);
    assert.deepEqual(items, [0, 1, 2].map((i) => ({ i, greeting: 'client' })));
    const csv = (await client.dataset(run.defaultDatasetId).downloadItems(DownloadItemsFormat.CSV)).toString('utf8');
    assert.deepEqual(csv.trim().split(/\r?\n/), ['i,greeting', '0,client', '1,client', '2,client']);

    const record = await client.keyValueStore(run.defaultKeyValueStoreId).getRecord('OUTPUT');
    assert.equal(record?.contentType?.split(';')[0], 'application/json');
    assert.deepEqual(record?.value, { count: 3, secret: 's3cret-value', plain: 'plain' });
  });

  it('aborts a run, resurrects it, and streams its log', async () => {
    const started = await client.actor('sdk-actor').start({ count: 40, delayMs: 250 }, { memory: 256 });
    const runClient = client.run(started.id);
    await waitUntil('the run pushes items', async () => ((await client.dataset(started.defaultDatasetId).listItems({ limit: 1 })).total ?? 0) > 0);

    const aborting = await runClient.abort();
    assert.ok(['ABORTING', 'ABORTED'].includes(aborting.status), aborting.status);
    const aborted = await runClient.waitForFinish({ waitSecs: 60 });
    assert.equal(aborted.status, 'ABORTED');

    const resurrected = await runClient.resurrect();
    assert.equal(resurrected.id, started.id);
    assert.ok(['READY', 'RUNNING'].includes(resurrected.status), resurrected.status);
    const log = await runClient.log().stream();
    assert.ok(log, 'the running run has a log to stream');
    let text = '';
    for await (const chunk of log) text += chunk.toString();
    // The stream ends when the run does: the resurrected container's last words are in it.
    assert.match(text, /Pushed 40 items/);
    const finished = await runClient.get();
    assert.equal(finished?.status, 'SUCCEEDED');
    assert.equal(finished?.stats.resurrectCount, 1);
  });
});

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
