/**
 * Runs "at home" on the local platform, with the real Apify SDK: the environment and no storage mount, graceful abort
 * and timeout reaching the SDK's `aborting` handler, migration on the same storages, and the local-mode fallbacks.
 */
import * as assert from 'node:assert/strict';
import { createConnection, createServer, Server } from 'node:net';
import { ActorEngine, actorIdOf, BuildRecord, DockerClient, RunRecord, SecretsStore } from '../../src/engine';
import { eventsChannel, newUserToken, PlatformServer, startPlatformServer } from '../../src/platform';
import { dockerBridgeGateway } from '../../src/platform/bridgeGateway';
import { API_REWRITES, API_ROUTES } from '../../src/platform/routes';
import { ActorWorkspace } from '../../src/workspace';
import { copyFixture, docker } from './fixtures';
import { GRACEFUL_MS, makeEngine, recordEvents, SECRETS_FILE, waitFor } from './helpers';
import { serverPlatformLink, TEST_USER_ID } from './platformLink';

describe('engine: runs at home on the local platform (real SDK)', function () {
  let root: string;
  let gateway: string;
  let server: PlatformServer;
  let engine: ActorEngine;
  let events: ReturnType<typeof recordEvents>;
  let build: BuildRecord;

  const record = (run: RunRecord, key: string): unknown => {
    const found = engine.storages(run.id).readRecord(run.defaultKeyValueStoreId, key);
    return found && JSON.parse(found.value.toString());
  };

  before(async function () {
    root = copyFixture('athome-actor');
    const answer = await dockerBridgeGateway(new DockerClient());
    if (!('gateway' in answer)) throw new Error(`No Docker bridge gateway: ${answer.reason}`);
    gateway = answer.gateway;
    const workspace = new ActorWorkspace({
      roots: () => [root],
      engineSettings: () => ({ origin: 'DEVELOPMENT', gracefulAbortMs: GRACEFUL_MS, secrets: new SecretsStore(SECRETS_FILE, []), platform: serverPlatformLink(server, gateway) }),
    });
    server = await startPlatformServer({
      workspace,
      userToken: newUserToken(),
      hosts: ['127.0.0.1', gateway],
      routes: API_ROUTES,
      rewrites: API_REWRITES,
      upgradeHandlers: [eventsChannel],
    });
    // The workspace's own engine, the one the API's routes reach: one engine follows each run.
    engine = workspace.engineFor(root);
    events = recordEvents(engine);
    build = await engine.build().finished;
    assert.equal(build.status, 'SUCCEEDED', engine.readBuildLog(build.id));
  });
  after(async () => {
    engine?.dispose();
    await server?.close();
  });

  it("gets the platform's environment and no storage mount; its storages, aliases included, are written through the API", async function () {
    const run = await (await engine.run({ input: { mode: 'env' } })).finished;
    assert.equal(run.status, 'SUCCEEDED', engine.readRunLog(run.id));
    assert.equal(run.greenroom.atHome, true);
    assert.match(run.greenroom.apiToken ?? '', new RegExp(`^greenroom_run_${run.id}_`));
    const seen = record(run, 'ENV') as { isAtHome: boolean; env: Record<string, string>; hasToken: boolean; actorEnv: Record<string, unknown>; storageMounted: boolean };
    assert.equal(seen.isAtHome, true);
    assert.equal(seen.storageMounted, false, 'no storage folder inside the container');
    assert.equal(seen.hasToken, true);
    const env = seen.env;
    assert.equal(env.APIFY_IS_AT_HOME, '1');
    assert.equal(env.APIFY_API_BASE_URL, server.baseUrl(gateway));
    assert.equal(env.APIFY_API_PUBLIC_BASE_URL, server.baseUrl('127.0.0.1'));
    assert.deepEqual([env.ACTOR_ID, env.APIFY_ACTOR_ID], [actorIdOf('athome-actor'), actorIdOf('athome-actor')]);
    assert.deepEqual([env.ACTOR_RUN_ID, env.APIFY_ACTOR_RUN_ID, env.APIFY_USER_ID], [run.id, run.id, TEST_USER_ID]);
    assert.ok(env.ACTOR_EVENTS_WEBSOCKET_URL.startsWith(`ws://${gateway}:${server.port}/v2/actor-runs/${run.id}/events?token=`));
    assert.deepEqual(JSON.parse(env.ACTOR_STORAGES_JSON), run.storageIds);
    assert.deepEqual(Object.keys(run.storageIds!.datasets), ['default', 'extra']);
    assert.deepEqual([env.ACTOR_MEMORY_MBYTES, env.APIFY_MEMORY_MBYTES], [String(run.options.memoryMbytes), String(run.options.memoryMbytes)]);
    assert.ok(!('CRAWLEE_STORAGE_DIR' in env) && !('APIFY_LOCAL_STORAGE_DIR' in env));
    assert.equal(seen.actorEnv.actorRunId, run.id, "Actor.getEnv() has the run's id");
    assert.equal(seen.actorEnv.actorId, actorIdOf('athome-actor'));
    const storages = engine.storages(run.id);
    assert.deepEqual([...storages.datasetItems(run.defaultDatasetId)], [{ pushed: 'through the API' }]);
    assert.deepEqual([...storages.datasetItems(run.storageIds!.datasets.extra)], [{ alias: 'extra' }], 'the alias storage is its own');
    assert.doesNotMatch(engine.readRunLog(run.id), /local mode/);
  });

  it("graceful abort: ABORTING, the SDK's aborting handler runs (no SIGINT), the Actor exits by itself, ABORTED", async function () {
    const handle = await engine.run({ input: { mode: 'abort' } });
    await waitFor('the Actor waiting', () => engine.readRunLog(handle.id).includes('waiting to be aborted'));
    const containerId = engine.getRun(handle.id)!.greenroom.containerId!;
    const mounts = JSON.parse(docker(['inspect', '--format', '{{json .Mounts}}', containerId]));
    assert.deepEqual(mounts, [], 'an at-home container has no mount at all');
    const run = await engine.abort(handle.id, { graceful: true });
    assert.equal(run.status, 'ABORTED', engine.readRunLog(run.id));
    assert.deepEqual(events.statuses(run.id), ['READY', 'RUNNING', 'ABORTING', 'ABORTED']);
    assert.equal(run.exitCode, 0, 'the SDK exited after its handlers (a SIGINT would have been 130)');
    assert.ok(record(run, 'ABORTING_HANDLED'), `the Actor's aborting handler wrote its record:\n${engine.readRunLog(run.id)}`);
  });

  it("timeout: TIMING-OUT, the aborting handler runs, TIMED-OUT", async function () {
    // Long enough for the Actor to register its handler first on a loaded machine (an event before that is lost).
    const handle = await engine.run({ input: { mode: 'abort' }, timeoutSecs: 10 });
    await waitFor('the Actor waiting', () => engine.readRunLog(handle.id).includes('waiting to be aborted'));
    const run = await handle.finished;
    assert.equal(run.status, 'TIMED-OUT', engine.readRunLog(run.id));
    assert.deepEqual(events.statuses(run.id), ['READY', 'RUNNING', 'TIMING-OUT', 'TIMED-OUT']);
    assert.ok(record(run, 'ABORTING_HANDLED'), `the Actor's aborting handler wrote its record:\n${engine.readRunLog(run.id)}`);
  });

  it('migrate: `migrating`, a new container on the same storages and run id, the persisted state survives, RUNNING throughout', async function () {
    const handle = await engine.run({ input: { mode: 'migrate' } });
    await waitFor('the first start', () => engine.readRunLog(handle.id).includes('start 1'));
    const firstContainer = engine.getRun(handle.id)!.greenroom.containerId;
    const moved = await engine.migrate(handle.id);
    assert.equal(moved.status, 'RUNNING');
    assert.equal(moved.stats.migrationCount, 1);
    assert.notEqual(moved.greenroom.containerId, firstContainer);
    const run = await handle.finished;
    assert.equal(run.status, 'SUCCEEDED', engine.readRunLog(run.id));
    assert.deepEqual(events.statuses(run.id), ['READY', 'RUNNING', 'SUCCEEDED'], 'RUNNING throughout the migration');
    assert.deepEqual(record(run, 'RESULT'), { starts: 2, migratingSeen: 1 }, 'the state persisted on `migrating` reached the new container');
    const log = engine.readRunLog(run.id);
    assert.match(log, /start 1[\s\S]*Greenroom: migration 1: the container [^\n]*; a new container continues the run on the same storages[\s\S]*start 2/);
    assert.equal(run.stats.migrationCount, 1);
  });

  it('refuses to migrate a finished run, naming its status', async function () {
    const run = engine.listRuns().find((r) => r.status === 'SUCCEEDED')!;
    await assert.rejects(engine.migrate(run.id), /is SUCCEEDED; only a RUNNING run can be migrated/);
  });

  it('storage mode local, and shared storage, keep local mode (mounted storages), saying why in one log line', async function () {
    const run = await (await engine.run({ input: { mode: 'env' }, storageMode: 'local' })).finished;
    assert.equal(run.status, 'SUCCEEDED', engine.readRunLog(run.id));
    assert.equal(run.greenroom.atHome, false);
    const seen = record(run, 'ENV') as { isAtHome: boolean; storageMounted: boolean };
    assert.deepEqual([seen.isAtHome, seen.storageMounted], [false, true]);
    const lines = engine.readRunLog(run.id).split('\n').filter((line) => line.includes('local mode'));
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^Greenroom: this run uses local mode .*storage mode "local" was chosen/);

    const shared = await (await engine.run({ input: { mode: 'env' }, sharedStorage: true })).finished;
    assert.equal(shared.status, 'SUCCEEDED', engine.readRunLog(shared.id));
    assert.match(engine.readRunLog(shared.id), /Greenroom: this run uses local mode .*shared storage/);
  });

  describe('on a remote Docker engine', function () {
    let proxy: Server;
    let remote: ActorEngine;
    const connections = new Set<{ destroy(): void }>();

    before(async function () {
      // The same engine reached over TCP at a non-loopback address: to Greenroom a remote engine.
      proxy = createServer((socket) => {
        const upstream = createConnection('/var/run/docker.sock');
        socket.pipe(upstream).pipe(socket);
        upstream.on('error', () => socket.destroy());
        socket.on('error', () => upstream.destroy());
        connections.add(socket).add(upstream);
      });
      await new Promise<void>((resolve) => proxy.listen(0, gateway, resolve));
      const port = (proxy.address() as { port: number }).port;
      remote = makeEngine(root, { docker: { host: `tcp://${gateway}:${port}` }, platform: serverPlatformLink(server, gateway) });
    });
    after(async () => {
      remote?.dispose();
      for (const connection of connections) connection.destroy();
      await new Promise((resolve) => proxy?.close(resolve));
    });

    it('falls back to local mode with one line in the log saying why', async function () {
      const run = await (await remote.run({ input: { mode: 'env' } })).finished;
      assert.equal(run.status, 'SUCCEEDED', remote.readRunLog(run.id));
      const seen = record(run, 'ENV') as { isAtHome: boolean; storageMounted: boolean };
      assert.deepEqual([seen.isAtHome, seen.storageMounted], [false, true]);
      const lines = remote.readRunLog(run.id).split('\n').filter((line) => line.includes('local mode'));
      assert.equal(lines.length, 1);
      assert.match(lines[0], new RegExp(`Docker engine tcp://${gateway.replace(/\./g, '\\.')}:\\d+ .*is remote`));
    });
  });
});
