import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ActorEngine, BuildRecord, InvalidInputError, MissingSecretsError, RunOptionsError, SecretsStore } from '../../src/engine';
import { copyFixture, docker } from './fixtures';
import { makeEngine, recordEvents, TEST_SECRETS, waitFor } from './helpers';

describe('engine: runs of an Actor using the Apify SDK', function () {
  let root: string;
  let engine: ActorEngine;
  let events: ReturnType<typeof recordEvents>;
  let build: BuildRecord;

  before(async function () {
    root = copyFixture('sdk-actor');
    engine = makeEngine(root);
    events = recordEvents(engine);
    build = await engine.build().finished;
    assert.equal(build.status, 'SUCCEEDED', engine.readBuildLog(build.id));
  });
  after(() => engine.dispose());

  it('runs to SUCCEEDED with input defaults, items, values, status message, secrets, log and stats', async function () {
    const handle = await engine.run({ input: { count: 4, greeting: 'hi' }, memoryMbytes: 512 });
    const run = await handle.finished;
    assert.equal(run.status, 'SUCCEEDED', engine.readRunLog(run.id));
    assert.deepEqual(events.statuses(run.id), ['READY', 'RUNNING', 'SUCCEEDED']);
    assert.equal(run.exitCode, 0);
    assert.equal(run.statusMessage, 'Pushed 4 items');
    assert.equal(run.isStatusMessageTerminal, true);
    assert.equal(run.meta.origin, 'DEVELOPMENT');
    assert.equal(run.buildNumber, build.buildNumber);
    assert.deepEqual(run.options, { build: build.buildNumber, timeoutSecs: 3600, memoryMbytes: 512, maxItems: undefined });
    assert.equal(run.stats.datasetItemCount, 4);
    assert.ok(run.stats.durationMillis > 0 && run.stats.runTimeSecs > 0);

    const storages = engine.storages(run.id);
    assert.deepEqual([...storages.datasetItems(run.defaultDatasetId)], [0, 1, 2, 3].map((i) => ({ i, greeting: 'hi' })));
    const input = JSON.parse(storages.readRecord(run.defaultKeyValueStoreId, 'INPUT')!.value.toString());
    assert.deepEqual(input, { greeting: 'hi', count: 4, delayMs: 0, fail: false }, 'schema defaults applied');
    const output = JSON.parse(storages.readRecord(run.defaultKeyValueStoreId, 'OUTPUT')!.value.toString());
    assert.deepEqual(output, { count: 4, secret: TEST_SECRETS.greenroomTestSecret, plain: 'plain' });
    assert.ok(!JSON.stringify(run).includes(TEST_SECRETS.greenroomTestSecret), 'the record never holds a secret value');

    const log = engine.readRunLog(run.id);
    assert.match(log, /INPUT \{"greeting":"hi","count":4/);
    assert.ok(events.events.some((e) => e.type === 'run-log' && e.runId === run.id && e.lines.some((l) => l.includes('[Status message]: Pushing 4 items'))));
    // Announced while RUNNING; saves are coalesced, so on a busy machine the newer message may be the one announced.
    const announced = events.events.filter((e) => e.type === 'run-status' && e.run.id === run.id && e.run.status === 'RUNNING').map((e) => (e.type === 'run-status' ? e.run.statusMessage : null));
    assert.ok(announced.some((message) => message === 'Pushing 4 items' || message === 'Pushed 4 items'), `status messages announced while RUNNING: ${JSON.stringify(announced)}`);
    assert.equal(engine.listRuns()[0].id, run.id);
  });

  it('stores secret input fields encrypted, as the platform does, and the SDK reads them decrypted', async function () {
    const run = await (await engine.run({ input: { count: 0, apiToken: 'tok-123-secret' } })).finished;
    assert.equal(run.status, 'SUCCEEDED', engine.readRunLog(run.id));
    const storages = engine.storages(run.id);
    const stored = storages.readRecord(run.defaultKeyValueStoreId, 'INPUT')!.value.toString();
    assert.ok(!stored.includes('tok-123-secret'), 'the secret is on disk only encrypted');
    assert.match(JSON.parse(stored).apiToken, /^ENCRYPTED_VALUE:/);
    const seen = JSON.parse(storages.readRecord(run.defaultKeyValueStoreId, 'TOKEN_SEEN')!.value.toString());
    assert.equal(seen.apiToken, 'tok-123-secret', 'Actor.getInput() decrypted it');
    assert.ok(!JSON.stringify(run).includes('PRIVATE_KEY'), 'the decryption key is not in the run record');
  });

  it('ends FAILED with the exit code and the message of Actor.fail()', async function () {
    const run = await (await engine.run({ input: { count: 1, fail: true } })).finished;
    assert.equal(run.status, 'FAILED');
    assert.equal(run.exitCode, 1);
    assert.equal(run.statusMessage, 'Failed on purpose');
  });

  it('refuses invalid input with the validator\'s messages, before any container or record exists', async function () {
    const runsBefore = engine.listRuns().length;
    await assert.rejects(engine.run({ input: { count: 'many' } }), (error: unknown) => {
      assert.ok(error instanceof InvalidInputError);
      assert.ok(error.problems.some((p) => p.field.includes('count')), JSON.stringify(error.problems));
      return true;
    });
    await assert.rejects(engine.run({ input: { count: -1 } }), InvalidInputError, 'count has minimum 0');
    await assert.rejects(engine.run({ input: [] }), InvalidInputError, 'input must be an object');
    assert.equal(engine.listRuns().length, runsBefore);
  });

  it('refuses to start when a secret is missing, naming it', async function () {
    const noSecrets = makeEngine(root, { secrets: new SecretsStore(join(root, 'no-secrets.json'), []) });
    await assert.rejects(noSecrets.run({ input: { count: 1 } }), (error: unknown) => {
      assert.ok(error instanceof MissingSecretsError);
      assert.match(error.message, /greenroomTestSecret.*MY_SECRET/);
      return true;
    });
    noSecrets.dispose();
  });

  it('aborts gracefully (SIGINT) keeping the items pushed so far, and immediately (kill)', async function () {
    const graceful = await engine.run({ input: { count: 1000, delayMs: 20 } });
    await waitFor('some items', () => engine.storages(graceful.id).datasetItemCount(engine.getRun(graceful.id)!.defaultDatasetId) >= 5);
    const aborted = await graceful.abort({ graceful: true });
    assert.equal(aborted.status, 'ABORTED');
    assert.deepEqual(events.statuses(aborted.id), ['READY', 'RUNNING', 'ABORTING', 'ABORTED']);
    assert.ok(aborted.stats.datasetItemCount! >= 5 && aborted.stats.datasetItemCount! < 1000);
    assert.ok(aborted.stats.durationMillis < 10_000, 'SIGINT ended it within the window');

    const immediate = await engine.run({ input: { count: 1000, delayMs: 20 } });
    const killed = await engine.abort(immediate.id);
    assert.equal(killed.status, 'ABORTED');
    assert.deepEqual(events.statuses(killed.id), ['READY', 'RUNNING', 'ABORTING', 'ABORTED']);
    await assert.rejects(engine.abort(killed.id), RunOptionsError, 'a finished run cannot be aborted');
  });

  it('times out: TIMING-OUT then TIMED-OUT', async function () {
    const run = await (await engine.run({ input: { count: 1000, delayMs: 20 }, timeoutSecs: 1 })).finished;
    assert.equal(run.status, 'TIMED-OUT');
    assert.deepEqual(events.statuses(run.id), ['READY', 'RUNNING', 'TIMING-OUT', 'TIMED-OUT']);
    assert.match(run.statusMessage!, /Timed out after 1 s/);
  });

  it('resurrects a finished run in a new container with the same storages, counting only running time', async function () {
    const first = await (await engine.run({ input: { count: 3 } })).finished;
    assert.equal(first.stats.datasetItemCount, 3);
    await new Promise((r) => setTimeout(r, 1500));
    const resurrected = await (await engine.resurrect(first.id, { memoryMbytes: 256, timeoutSecs: 120 })).finished;
    assert.equal(resurrected.id, first.id);
    assert.equal(resurrected.status, 'SUCCEEDED');
    assert.equal(resurrected.stats.resurrectCount, 1);
    assert.equal(resurrected.defaultDatasetId, first.defaultDatasetId);
    assert.equal(resurrected.stats.datasetItemCount, 6, 'the second container appended to the same dataset');
    assert.deepEqual([resurrected.options.memoryMbytes, resurrected.options.timeoutSecs], [256, 120]);
    const wallClock = Date.parse(resurrected.finishedAt!) - Date.parse(resurrected.startedAt);
    assert.ok(resurrected.stats.durationMillis < wallClock - 1400, `duration ${resurrected.stats.durationMillis} excludes the 1.5 s pause (wall ${wallClock})`);
    assert.equal((engine.readRunLog(first.id).match(/INPUT \{/g) ?? []).length, 2, 'the log holds both containers');
    await assert.rejects(engine.resurrect(first.id, { memoryMbytes: 100 }), RunOptionsError);
  });

  it("uses the Actor's shared storage/ when asked, reading its INPUT and purging nothing", async function () {
    const store = join(root, 'storage', 'key_value_stores', 'default');
    mkdirSync(store, { recursive: true });
    writeFileSync(join(store, 'INPUT.json'), JSON.stringify({ count: 2, greeting: 'from storage' }));
    writeFileSync(join(store, 'KEEP_ME.json'), '{"kept":true}');
    const run = await (await engine.run({ sharedStorage: true })).finished;
    assert.equal(run.status, 'SUCCEEDED', engine.readRunLog(run.id));
    assert.equal(run.defaultDatasetId, 'default');
    assert.ok(existsSync(join(store, 'KEEP_ME.json')));
    assert.deepEqual(JSON.parse(readFileSync(join(store, 'INPUT.json'), 'utf8')), { count: 2, greeting: 'from storage' }, 'INPUT.json left as written');
    assert.equal(readFileSync(join(root, 'storage', 'datasets', 'default', '000000002.json'), 'utf8').includes('from storage'), true);

    const explicit = await (await engine.run({ sharedStorage: true, input: { count: 1, greeting: 'explicit' } })).finished;
    assert.equal(explicit.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(readFileSync(join(store, 'INPUT.json'), 'utf8')).greeting, 'from storage', 'explicit input does not overwrite INPUT.json');
  });

  it('applies the memory limit to the container and validates it', async function () {
    await assert.rejects(engine.run({ input: { count: 1 }, memoryMbytes: 100 }), RunOptionsError);
    await assert.rejects(engine.run({ input: { count: 1 }, memoryMbytes: 384 }), RunOptionsError);
    const handle = await engine.run({ input: { count: 50, delayMs: 20 }, memoryMbytes: 256 });
    const containerId = engine.getRun(handle.id)!.greenroom.containerId!;
    const limit = docker(['inspect', '--format', '{{.HostConfig.Memory}}', containerId]).trim();
    assert.equal(limit, String(256 * 1024 * 1024));
    await handle.abort();
  });
});
