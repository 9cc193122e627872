/**
 * The local API driven from outside by the stock apify-client, and what a container can reach through it: runs
 * started by name through `POST /v2/acts/:actorId/runs` (built first through the API), waited for, aborted, resurrected,
 * their log streamed; a real SDK Actor with its run token cannot read or change another run's storages or record; the
 * server listens on loopback and the Docker bridge gateway only. The workspace is served as `greenroom serve` and the
 * extension serve it (WorkspacePlatform).
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApifyClient } from 'apify-client';
import { ActorEngine, SecretsStore } from '../../src/engine';
import { ServedPlatform, WorkspacePlatform } from '../../src/platform/workspacePlatform';
import { ActorWorkspace } from '../../src/workspace';
import { copyFixture, TEST_TMP } from './fixtures';
import { GRACEFUL_MS, SECRETS_FILE } from './helpers';

/** The addresses something listens on at `port`, from the kernel's socket tables (what `ss -ltn` shows). */
function listeningAddresses(port: number): string[] {
  const found: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').trim().split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      const [addressHex, portHex] = local.split(':');
      if (state !== '0A' || parseInt(portHex, 16) !== port) continue;
      found.push(addressHex.length === 8 ? [0, 1, 2, 3].map((i) => parseInt(addressHex.slice(6 - 2 * i, 8 - 2 * i), 16)).join('.') : `[${addressHex}]`);
    }
  }
  return found.sort();
}

describe('local API: runs through apify-client, and what a container cannot reach (real SDK)', function () {
  this.timeout(180_000);
  let platform: WorkspacePlatform;
  let workspace: ActorWorkspace;
  let served: ServedPlatform;
  let client: ApifyClient;
  let engine: ActorEngine;
  let finishedRunId: string;

  before(async function () {
    const sdkRoot = copyFixture('sdk-actor');
    const intruderRoot = copyFixture('intruder-actor');
    workspace = new ActorWorkspace({
      roots: () => [sdkRoot, intruderRoot],
      engineSettings: () => ({ origin: 'DEVELOPMENT', gracefulAbortMs: GRACEFUL_MS, secrets: new SecretsStore(SECRETS_FILE, []), platform }),
    });
    platform = new WorkspacePlatform({ workspaceRoot: mkdtempSync(join(TEST_TMP, 'api-workspace-')), workspace: () => workspace, useServing: false });
    served = await platform.serve();
    assert.ok(served.containerHost, `containers must reach the API: ${served.containerProblem}`);
    client = new ApifyClient({ baseUrl: served.url, token: served.token, maxRetries: 0 });
    engine = workspace.engineFor(sdkRoot);
    for (const name of ['sdk-actor', 'intruder-actor']) {
      const build = await client.actor(name).build('0.1', { waitForFinish: 60 });
      const built = await client.build(build.id).waitForFinish();
      assert.equal(built.status, 'SUCCEEDED', `${name}: ${await client.build(build.id).log().get()}`);
    }
  });
  after(async () => {
    workspace?.dispose();
    await platform?.close();
  });

  it('listens on loopback and the Docker bridge gateway only', () => {
    assert.deepEqual(listeningAddresses(served.port), ['127.0.0.1', served.containerHost].sort());
  });

  it('starts an Actor by name and waits for it; the run is at home, origin API, in the same records as the editor\'s', async () => {
    const run = await client.actor('sdk-actor').call({ count: 3, greeting: 'api' }, { memory: 256, timeout: 60, log: null });
    assert.equal(run.status, 'SUCCEEDED', await client.run(run.id).log().get());
    assert.equal(run.meta.origin, 'API');
    assert.equal(run.options.memoryMbytes, 256);
    const record = engine.requireRun(run.id);
    assert.equal(record.greenroom.atHome, true, 'the SDK ran at home');
    assert.deepEqual(engine.listRuns()[0].id, run.id, 'the run is one of the Actor\'s runs, as the views list them');
    const items = await client.dataset(run.defaultDatasetId).listItems();
    assert.deepEqual(items.items, [0, 1, 2].map((i) => ({ i, greeting: 'api' })));
    const csv = (await client.run(run.id).dataset().downloadItems('csv' as never)).toString();
    assert.deepEqual(csv.trim().split(/\r?\n/), ['i,greeting', '0,api', '1,api', '2,api']);
    const output = await client.run(run.id).keyValueStore().getRecord('OUTPUT');
    assert.deepEqual(output?.value, { count: 3, secret: 's3cret-value', plain: 'plain' });
    assert.equal((await client.actor('sdk-actor').lastRun().get())?.id, run.id);
    finishedRunId = run.id;
  });

  it('refuses invalid input with the platform\'s 400', async () => {
    await assert.rejects(client.actor('sdk-actor').start({ count: 'many' }), (error: { statusCode?: number; type?: string; message: string }) => {
      assert.equal(error.statusCode, 400);
      assert.equal(error.type, 'invalid-input');
      assert.match(error.message, /^Input is not valid: .*count/);
      return true;
    });
  });

  it('streams the log of a running run, aborts it gracefully, and the stream ends with the run', async () => {
    const started = await client.actor('sdk-actor').start({ count: 1000, delayMs: 50 }, { waitForFinish: 0 });
    assert.equal(started.status, 'RUNNING');
    const stream = await client.run(started.id).log().stream();
    assert.ok(stream);
    let text = '';
    const ended = new Promise<void>((resolve, reject) => {
      stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    for (let i = 0; !text.includes('INPUT {'); i++) {
      if (i > 300) throw new Error(`no INPUT line streamed: ${text}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const aborting = await client.run(started.id).abort({ gracefully: true });
    assert.equal(aborting.status, 'ABORTING', 'a graceful abort answers at once, while the Actor has its window');
    const aborted = await client.run(started.id).waitForFinish();
    assert.equal(aborted.status, 'ABORTED');
    await ended;
    assert.match(text, /INPUT \{"count":1000/);
    const immediate = await client.actor('sdk-actor').start({ count: 1000, delayMs: 50 });
    const killed = await client.run(immediate.id).abort();
    assert.equal(killed.status, 'ABORTED');
  });

  it('resurrects a finished run on its storages with new options', async () => {
    const resurrected = await client.run(finishedRunId).resurrect({ timeout: 120 });
    assert.ok(['READY', 'RUNNING', 'SUCCEEDED'].includes(resurrected.status), resurrected.status);
    const finished = await client.run(finishedRunId).waitForFinish();
    assert.equal(finished.status, 'SUCCEEDED');
    assert.equal(finished.stats.resurrectCount, 1);
    assert.equal(finished.options.timeoutSecs, 120);
    const items = await client.run(finishedRunId).dataset().listItems();
    assert.equal(items.total, 6, 'the second container pushed into the same dataset');
  });

  it("gives a container no way to read or change another run's storages or record with its run token", async () => {
    const victim = engine.requireRun(finishedRunId);
    const before = await client.dataset(victim.defaultDatasetId).listItems();
    const run = await client.actor('intruder-actor').call(
      { victim: { runId: victim.id, datasetId: victim.defaultDatasetId, keyValueStoreId: victim.defaultKeyValueStoreId, requestQueueId: victim.defaultRequestQueueId } },
      { log: null },
    );
    assert.equal(run.status, 'SUCCEEDED', await client.run(run.id).log().get());
    const probes = (await client.run(run.id).keyValueStore().getRecord('PROBES'))?.value;
    assert.deepEqual(probes, {
      readItems: 403,
      pushItems: 403,
      readRecord: 403,
      writeRecord: 403,
      readQueue: 403,
      aliasItems: 403,
      aliasRecord: 403,
      changeRun: 403,
      withoutToken: 401,
      ownData: 200,
    });
    assert.deepEqual((await client.dataset(victim.defaultDatasetId).listItems()).items, before.items, 'nothing planted');
    assert.equal(await client.keyValueStore(victim.defaultKeyValueStoreId).getRecord('PLANTED'), undefined);
    assert.notEqual(engine.requireRun(victim.id).statusMessage, 'hijacked');
  });
});
