/**
 * The local API's runs, Actors, builds, logs and aliases, driven by the stock apify-client over run and build
 * records written as the engine (in this or another process) writes them: no Docker.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApifyClient } from 'apify-client';
import type { BuildRecord, RunRecord } from '../../../src/engine';
import { actorIdOf } from '../../../src/engine/platformLink';
import { writeJsonAtomic } from '../../../src/engine/recordStore';
import { createStorages, writeJsonRecord } from '../../../src/storage';
import { newRunToken, newUserToken, PlatformServer, startPlatformServer } from '../../../src/platform';
import { API_REWRITES, API_ROUTES } from '../../../src/platform/routes';
import { ActorWorkspace } from '../../../src/workspace';
import { runRecordFixture } from '../runRecordFixture';
import { makeScratchActor } from './scratchActor';

const ACTOR_NAME = 'api-actor';

let actorRootOfRecords = '';

function runRecord(id: string, fields: Partial<RunRecord> = {}, startedAt = '2026-01-01T00:00:00.000Z'): RunRecord {
  const { greenroom, ...rest } = fields;
  return runRecordFixture(
    id,
    path.join(actorRootOfRecords, '.greenroom', 'storage'),
    {
      actId: ACTOR_NAME,
      startedAt,
      buildId: 'B1',
      buildNumber: '0.1.1',
      options: { build: 'latest', timeoutSecs: 3600, memoryMbytes: 1024 },
      stats: { runTimeSecs: 0, durationMillis: 0, resurrectCount: 0, restartCount: 0, datasetItemCount: 3 },
      defaultDatasetId: `${id}-dataset`,
      defaultKeyValueStoreId: `${id}-store`,
      defaultRequestQueueId: `${id}-queue`,
      ...rest,
    },
    { env: { SECRET_LOOKING: 'value' }, apiToken: newRunToken(id), ...greenroom },
  );
}

function buildRecord(id: string, fields: Partial<BuildRecord> = {}): BuildRecord {
  return {
    id,
    actId: ACTOR_NAME,
    status: 'SUCCEEDED',
    startedAt: '2025-12-31T00:00:00.000Z',
    finishedAt: '2025-12-31T00:01:00.000Z',
    buildNumber: '0.1.1',
    meta: { origin: 'CLI' },
    stats: {},
    options: { useCache: true },
    actVersion: { versionNumber: '0.1', buildTag: 'latest' },
    imageName: 'greenroom/api-actor:0.1.1',
    greenroom: { builderPid: null },
    ...fields,
  };
}

describe('platform API: runs, Actors, builds, logs', () => {
  let server: PlatformServer;
  let client: ApifyClient;
  let base: string;
  let actorRoot: string;
  const token = newUserToken();
  const runsDir = () => path.join(actorRoot, '.greenroom', 'runs');
  const storageDir = () => path.join(actorRoot, '.greenroom', 'storage');
  const writeRun = (run: RunRecord) => writeJsonAtomic(path.join(runsDir(), `${run.id}.json`), run);
  const readRun = (id: string): RunRecord => JSON.parse(fs.readFileSync(path.join(runsDir(), `${id}.json`), 'utf8'));
  const seenIds: string[] = [];

  before(async () => {
    const workspaceRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-api-runs-'));
    actorRoot = actorRootOfRecords = path.join(workspaceRoot, 'actor');
    makeScratchActor(actorRoot, ACTOR_NAME);
    const workspace = new ActorWorkspace({
      roots: () => [workspaceRoot],
      // Nothing answers there: a run start is refused as Docker down, before anything is created.
      engineSettings: () => ({ origin: 'DEVELOPMENT', docker: { socketPath: path.join(workspaceRoot, 'no-docker.sock') } }),
    });
    server = await startPlatformServer({
      workspace,
      userToken: token,
      hosts: ['127.0.0.1'],
      routes: API_ROUTES,
      rewrites: API_REWRITES,
    });
    base = server.baseUrl('127.0.0.1');
    client = new ApifyClient({ token, baseUrl: base, maxRetries: 0 });
    workspace.engineFor(actorRoot);
    writeJsonAtomic(path.join(actorRoot, '.greenroom', 'builds', 'B1.json'), buildRecord('B1'));
    writeJsonAtomic(path.join(actorRoot, '.greenroom', 'tags.json'), { latest: 'B1' });
    writeRun(runRecord('RunOld', { status: 'FAILED', exitCode: 1 }, '2026-01-01T00:00:00.000Z'));
    writeRun(runRecord('RunNew', { status: 'SUCCEEDED' }, '2026-01-02T00:00:00.000Z'));
    for (const id of ['RunOld', 'RunNew']) {
      createStorages(storageDir(), { datasetId: `${id}-dataset`, keyValueStoreId: `${id}-store`, requestQueueId: `${id}-queue` });
      writeJsonRecord(storageDir(), `${id}-store`, 'OUTPUT', { from: id });
    }
    fs.writeFileSync(path.join(runsDir(), 'RunNew.log'), 'first line\nsecond line\n');
    seenIds.push('RunOld', 'RunNew');
  });
  after(() => server.close());

  it('gets a run with the platform fields and none of Greenroom\'s own', async () => {
    const run = await client.run('RunNew').get();
    assert.ok(run);
    assert.equal(run.id, 'RunNew');
    assert.equal(run.status, 'SUCCEEDED');
    assert.equal(run.actId, actorIdOf(ACTOR_NAME));
    assert.equal(run.defaultDatasetId, 'RunNew-dataset');
    assert.ok(run.startedAt instanceof Date, 'apify-client parses the dates');
    const raw = await (await fetch(`${base}/v2/actor-runs/RunNew?token=${token}`)).text();
    for (const internal of ['"greenroom"', 'apiToken', 'greenroom_run_', 'SECRET_LOOKING', 'storageDir', 'datasetItemCount']) assert.ok(!raw.includes(internal), `no ${internal} in ${raw}`);
    assert.equal(await client.run('nope').get(), undefined, 'a 404 is "no such run" to apify-client');
    const missing = await fetch(`${base}/v2/actor-runs/nope?token=${token}`);
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { error: { type: 'record-not-found', message: 'Actor run was not found' } });
  });

  it('waits for a run to finish (waitForFinish), also when another process writes its end', async () => {
    writeRun(runRecord('RunWait', { status: 'RUNNING', exitCode: null }, '2026-01-03T00:00:00.000Z'));
    seenIds.push('RunWait');
    const started = Date.now();
    setTimeout(() => writeRun(runRecord('RunWait', { status: 'SUCCEEDED', finishedAt: new Date().toISOString() }, '2026-01-03T00:00:00.000Z')), 300);
    const run = await client.run('RunWait').get({ waitForFinish: 20 });
    assert.equal(run?.status, 'SUCCEEDED');
    assert.ok(Date.now() - started < 10_000, 'answered when it finished, not after the whole wait');
    const finished = await client.run('RunWait').waitForFinish();
    assert.equal(finished.status, 'SUCCEEDED');
    const bad = await fetch(`${base}/v2/actor-runs/RunWait?waitForFinish=soon&token=${token}`);
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: { message: string } }).error.message, /Parameter "waitForFinish" must be a number ≥ 0, got "soon"/);
  });

  it('sets the status message (what Actor.setStatusMessage sends at home) into the record', async () => {
    writeRun(runRecord('RunStatus', { status: 'RUNNING', exitCode: null }, '2026-01-04T00:00:00.000Z'));
    seenIds.push('RunStatus');
    const updated = await client.run('RunStatus').update({ statusMessage: 'Crawled 5 pages', isStatusMessageTerminal: false });
    assert.equal(updated.statusMessage, 'Crawled 5 pages');
    assert.deepEqual([readRun('RunStatus').statusMessage, readRun('RunStatus').isStatusMessageTerminal], ['Crawled 5 pages', false]);
    // The run's own token may change its own run.
    const own = new ApifyClient({ token: readRun('RunStatus').greenroom.apiToken, baseUrl: base, maxRetries: 0 });
    // What the SDK's Actor.fail() sends: the level goes along.
    await own.run('RunStatus').update({ statusMessage: 'Done', isStatusMessageTerminal: true, level: 'ERROR' } as never);
    assert.deepEqual([readRun('RunStatus').statusMessage, readRun('RunStatus').isStatusMessageTerminal], ['Done', true]);
    const wrongField = await fetch(`${base}/v2/actor-runs/RunStatus?token=${token}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"status":"SUCCEEDED","statusMessage":"x"}' });
    assert.equal(wrongField.status, 400);
    assert.match(((await wrongField.json()) as { error: { message: string } }).error.message, /not status/);
  });

  it("gives a run's token no way to change another run, but lets it read runs (Actor.call follows the run it started)", async () => {
    const other = new ApifyClient({ token: readRun('RunOld').greenroom.apiToken, baseUrl: base, maxRetries: 0 });
    assert.equal((await other.run('RunNew').get())?.id, 'RunNew');
    for (const change of [() => other.run('RunNew').update({ statusMessage: 'hijacked' }), () => other.run('RunNew').abort(), () => other.run('RunNew').resurrect(), () => other.run('RunNew').delete()]) {
      await assert.rejects(change(), (error: { statusCode?: number; type?: string }) => error.statusCode === 403 && error.type === 'insufficient-permissions');
    }
    assert.notEqual(readRun('RunNew').statusMessage, 'hijacked');
  });

  it('lists runs oldest first, newest first with desc, paged, by status, of all Actors or one', async () => {
    const all = await client.runs().list();
    assert.deepEqual(all.items.map((run) => run.id), seenIds);
    assert.equal(all.total, seenIds.length);
    const newest = await client.runs().list({ desc: true, limit: 1 });
    assert.deepEqual([newest.items.map((run) => run.id), newest.count, newest.total, newest.limit], [[seenIds[seenIds.length - 1]], 1, seenIds.length, 1]);
    const failed = await client.actor(ACTOR_NAME).runs().list({ status: 'FAILED' });
    assert.deepEqual(failed.items.map((run) => run.id), ['RunOld']);
    const page = await client.actor(actorIdOf(ACTOR_NAME)).runs().list({ offset: 1, limit: 1 });
    assert.deepEqual(page.items.map((run) => run.id), ['RunNew']);
    const badStatus = await fetch(`${base}/v2/actor-runs?status=DONE&token=${token}`);
    assert.equal(badStatus.status, 400);
  });

  it('finds an Actor by its id, its name and username~name; lists the workspace\'s Actors', async () => {
    const byName = await client.actor(ACTOR_NAME).get();
    assert.equal(byName?.id, actorIdOf(ACTOR_NAME));
    assert.equal(byName?.name, ACTOR_NAME);
    assert.deepEqual(byName?.taggedBuilds?.latest?.buildId, 'B1');
    assert.equal((await client.actor(actorIdOf(ACTOR_NAME)).get())?.name, ACTOR_NAME);
    assert.equal((await client.actor(`local/${ACTOR_NAME}`).get())?.name, ACTOR_NAME);
    const viaActs = await fetch(`${base}/v2/acts/local~${ACTOR_NAME}?token=${token}`);
    assert.equal(((await viaActs.json()) as { data: { name: string } }).data.name, ACTOR_NAME, 'the SDK\'s /v2/acts path as apify-client\'s /v2/actors');
    assert.equal(await client.actor('no-such-actor').get(), undefined);
    const list = await client.actors().list();
    assert.deepEqual(list.items.map((actor) => actor.name), [ACTOR_NAME]);
  });

  it("answers an Actor's last run, filtered by status, and its log", async () => {
    const last = await client.actor(ACTOR_NAME).lastRun().get();
    assert.equal(last?.id, seenIds[seenIds.length - 1]);
    const lastFailed = await client.actor(ACTOR_NAME).lastRun({ status: 'FAILED' }).get();
    assert.equal(lastFailed?.id, 'RunOld');
    assert.equal(await client.actor(ACTOR_NAME).lastRun({ status: 'TIMED-OUT' }).get(), undefined);
    writeRun(runRecord('RunLast', { status: 'SUCCEEDED' }, '2026-02-01T00:00:00.000Z'));
    seenIds.push('RunLast');
    fs.writeFileSync(path.join(runsDir(), 'RunLast.log'), 'the last run\n');
    assert.equal(await client.actor(ACTOR_NAME).lastRun().log().get(), 'the last run\n');
  });

  it("reaches a run's default storages through its aliases, as the storages' own paths", async () => {
    await client.run('RunNew').dataset().pushItems([{ n: 1 }, { n: 2 }]);
    assert.deepEqual((await client.dataset('RunNew-dataset').listItems()).items, [{ n: 1 }, { n: 2 }]);
    assert.deepEqual((await client.run('RunNew').dataset().listItems({ desc: true })).items, [{ n: 2 }, { n: 1 }]);
    assert.equal((await client.run('RunNew').dataset().get())?.id, 'RunNew-dataset');
    assert.deepEqual((await client.run('RunOld').keyValueStore().getRecord('OUTPUT'))?.value, { from: 'RunOld' });
    assert.deepEqual((await client.actor(ACTOR_NAME).lastRun({ status: 'FAILED' }).keyValueStore().getRecord('OUTPUT'))?.value, { from: 'RunOld' });
    assert.equal((await client.run('RunNew').requestQueue().get())?.id, 'RunNew-queue');
    const noRun = await fetch(`${base}/v2/actor-runs/nope/key-value-store/records/INPUT?token=${token}`);
    assert.equal(noRun.status, 404);
    assert.equal(((await noRun.json()) as { error: { message: string } }).error.message, 'Actor run was not found');
    // Another run's token gets what the storage's own path gives it: 403.
    const runOldToken = readRun('RunOld').greenroom.apiToken;
    const otherRun = await fetch(`${base}/v2/actor-runs/RunNew/dataset/items?token=${runOldToken}`);
    assert.equal(otherRun.status, 403);
    const ownRun = await fetch(`${base}/v2/actor-runs/RunOld/key-value-store/records/OUTPUT?token=${runOldToken}`);
    assert.deepEqual(await ownRun.json(), { from: 'RunOld' });
  });

  it('serves logs whole, and streams one until the run ends', async () => {
    assert.equal(await client.log('RunNew').get(), 'first line\nsecond line\n');
    assert.equal(await client.run('RunNew').log().get(), 'first line\nsecond line\n');
    writeRun(runRecord('RunLive', { status: 'RUNNING', exitCode: null }, '2026-02-02T00:00:00.000Z'));
    seenIds.push('RunLive');
    const logFile = path.join(runsDir(), 'RunLive.log');
    fs.writeFileSync(logFile, 'started\n');
    const stream = await client.run('RunLive').log().stream();
    assert.ok(stream);
    let text = '';
    const ended = new Promise<void>((resolve, reject) => {
      stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    setTimeout(() => fs.appendFileSync(logFile, 'working\n'), 200);
    setTimeout(() => {
      fs.appendFileSync(logFile, 'done\n');
      writeRun(runRecord('RunLive', { status: 'SUCCEEDED' }, '2026-02-02T00:00:00.000Z'));
    }, 500);
    await ended;
    // Streamed lines carry the time they are sent, as the platform's (apify-client drops lines without one).
    assert.match(text, /^\d{4}-\d\d-\d\dT[\d:.]+Z started\n\S+Z working\n\S+Z done\n$/);
    fs.writeFileSync(path.join(actorRoot, '.greenroom', 'builds', 'B1.log'), 'Step 1/1 : FROM scratch\n');
    assert.equal(await client.log('B1').get(), 'Step 1/1 : FROM scratch\n', 'a build id is a log id too');
    assert.equal(await client.build('B1').log().get(), 'Step 1/1 : FROM scratch\n');
    assert.equal(await client.log('nothing').get(), undefined);
  });

  it('lists and gets builds; the default build is the one its tag names', async () => {
    const builds = await client.actor(ACTOR_NAME).builds().list();
    assert.deepEqual(builds.items.map((build) => build.id), ['B1']);
    const build = await client.build('B1').get();
    assert.equal(build?.buildNumber, '0.1.1');
    assert.equal(build?.actId, actorIdOf(ACTOR_NAME));
    assert.ok(!('imageName' in (build as object)) && !('greenroom' in (build as object)));
    const byDefault = await (await client.actor(ACTOR_NAME).defaultBuild()).get();
    assert.equal(byDefault?.id, 'B1');
    const wrongVersion = await fetch(`${base}/v2/acts/${ACTOR_NAME}/builds?version=9.9&token=${token}`, { method: 'POST' });
    assert.equal(wrongVersion.status, 400);
    assert.match(((await wrongVersion.json()) as { error: { message: string } }).error.message, /version 9\.9 does not exist: the Actor has version 0\.1/);
  });

  it('answers a finished run\'s abort with the run, and refuses resurrecting a running one', async () => {
    const aborted = await client.run('RunOld').abort();
    assert.equal(aborted.status, 'FAILED');
    writeRun(runRecord('RunBusy', { status: 'RUNNING', exitCode: null, greenroom: { monitorPid: process.pid } as RunRecord['greenroom'] }, '2026-02-03T00:00:00.000Z'));
    seenIds.push('RunBusy');
    await assert.rejects(client.run('RunBusy').resurrect(), (error: { statusCode?: number; message: string }) => error.statusCode === 400 && /only a finished run can be resurrected/.test(error.message));
  });

  it('refuses a run start it cannot make, in the platform shape: Docker down, non-JSON input, bad options', async () => {
    const down = await fetch(`${base}/v2/acts/${ACTOR_NAME}/runs?token=${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(down.status, 503);
    assert.match(((await down.json()) as { error: { message: string } }).error.message, /Docker isn't running/);
    const text = await fetch(`${base}/v2/acts/${ACTOR_NAME}/runs?token=${token}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    assert.equal(text.status, 400);
    assert.match(((await text.json()) as { error: { message: string } }).error.message, /must be JSON \(content type application\/json\), got text\/plain/);
    const memory = await fetch(`${base}/v2/acts/${ACTOR_NAME}/runs?memory=lots&token=${token}`, { method: 'POST' });
    assert.equal(memory.status, 400);
    const unknown = await fetch(`${base}/v2/acts/nobody/runs?token=${token}`, { method: 'POST' });
    assert.deepEqual(await unknown.json(), { error: { type: 'record-not-found', message: 'Actor was not found' } });
  });
});
