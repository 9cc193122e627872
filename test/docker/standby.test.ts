/**
 * Standby mode (src/platform/standby/): requests to an Actor's standby URL start a standby run or reuse one, wait
 * for its readiness probe, are proxied with their responses streamed, honour maxRequestsPerActorRun, and idle runs
 * are wound down. The fixture is a plain Node server on ACTOR_STANDBY_PORT (standby-actor).
 */
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ActorEngine, RunRecord, SecretsStore } from '../../src/engine';
import { readPlatformFile } from '../../src/platform/platformFile';
import { StandbyGateway } from '../../src/platform/standby/gateway';
import { ActorWorkspace } from '../../src/workspace';
import { copyFixture } from './fixtures';
import { GRACEFUL_MS, makeEngine, SECRETS_FILE, waitFor } from './helpers';
import { servePlatform } from './platformProcess';
import { firstData, upgrade } from '../unit/platform/upgradeClient';

interface EnvAnswer {
  hostname: string;
  env: Record<string, string | undefined>;
  probes: { method: string; url: string; header: string }[];
}

describe('platform: Standby mode', function () {
  this.timeout(120_000);
  let workspace: ActorWorkspace;
  let gateway: StandbyGateway;
  let single: string;
  let limited: string;
  let eager: string;
  let revived: string;

  /** The standby run a request was served by: the one whose container's hostname it reports. */
  const runServing = (engine: ActorEngine, hostname: string): RunRecord => {
    const run = engine.listRuns().find((candidate) => candidate.greenroom.containerId?.startsWith(hostname));
    assert.ok(run, `a run of container ${hostname}`);
    return run;
  };
  /** Waits for the run's end: its idle timeout, then the graceful abort's window, with room for a loaded machine. */
  const windDown = (engine: ActorEngine, runId: string, idleTimeoutSecs: number) =>
    waitFor(`run ${runId} to be wound down`, () => {
      const run = engine.getRun(runId)!;
      return run.finishedAt ? run : undefined;
    }, idleTimeoutSecs * 1000 + GRACEFUL_MS + 30_000);

  /** A copy of the fixture under another name, with these standby settings. */
  const withSettings = (name: string, actorStandby: Record<string, number>): string => {
    const root = copyFixture('standby-actor');
    const actorJson = join(root, '.actor', 'actor.json');
    writeFileSync(actorJson, JSON.stringify({ ...JSON.parse(readFileSync(actorJson, 'utf8')), name, actorStandby }));
    return root;
  };

  before(async function () {
    single = copyFixture('standby-actor');
    limited = withSettings('standby-limited', { maxRequestsPerActorRun: 1, desiredRequestsPerActorRun: 1, idleTimeoutSecs: 1 });
    eager = withSettings('standby-eager', { maxRequestsPerActorRun: 2, desiredRequestsPerActorRun: 1, idleTimeoutSecs: 1 });
    revived = withSettings('standby-revived', { idleTimeoutSecs: 1 });
    workspace = new ActorWorkspace({
      roots: () => [single, limited, eager, revived],
      engineSettings: () => ({ origin: 'DEVELOPMENT', gracefulAbortMs: GRACEFUL_MS, secrets: new SecretsStore(SECRETS_FILE, []) }),
    });
    gateway = new StandbyGateway({ workspace });
    for (const root of [single, limited, eager, revived]) assert.equal((await workspace.engineFor(root).build().finished).status, 'SUCCEEDED');
  });
  after(async () => {
    await gateway?.close();
    workspace?.dispose();
  });

  it("starts a standby run for the first request, after its readiness probe passes, streams the Actor's answer back, passes upgrades on", async function () {
    const url = await gateway.urlFor(single);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(await gateway.urlFor(single), url, 'one URL per Actor');
    const engine = workspace.engineFor(single);

    const env = (await (await fetch(new URL('/env', url))).json()) as EnvAnswer;
    const run = runServing(engine, env.hostname);
    assert.equal(run.meta.origin, 'STANDBY');
    assert.equal(run.status, 'RUNNING');
    assert.deepEqual(await gateway.runIds(single), [run.id]);
    assert.deepEqual(
      [env.env.APIFY_META_ORIGIN, env.env.ACTOR_STANDBY_PORT, env.env.ACTOR_WEB_SERVER_PORT, env.env.ACTOR_STANDBY_URL],
      ['STANDBY', '4321', '4321', url],
    );
    // Two probes answered 503 (not ready yet); the request went through only after one passed.
    assert.ok(env.probes.length >= 3, `probes: ${JSON.stringify(env.probes)}`);
    assert.deepEqual(env.probes[0], { method: 'GET', url: '/', header: '1' });

    const echo = await fetch(new URL('/echo?x=1&y=two', url), { method: 'POST', body: 'hello standby' });
    assert.equal(echo.status, 201);
    assert.equal(echo.headers.get('x-standby-actor'), 'yes');
    const echoed = (await echo.json()) as { hostname: string; method: string; url: string; host: string; body: string };
    assert.deepEqual(echoed, { hostname: env.hostname, method: 'POST', url: '/echo?x=1&y=two', host: new URL(url).host, body: 'hello standby' }, 'the second request reuses the run');

    // Streamed: the first chunk arrives while the Actor still holds the response open.
    const streaming = new AbortController();
    const stream = await fetch(new URL('/stream', url), { signal: streaming.signal });
    const reader = stream.body!.getReader();
    const first = await reader.read();
    assert.equal(new TextDecoder().decode(first.value), `first ${env.hostname}\n`);
    // Meanwhile another request is served by the same run (its limit is the default 4).
    const meanwhile = (await (await fetch(new URL('/env', url))).json()) as EnvAnswer;
    assert.equal(meanwhile.hostname, env.hostname);
    streaming.abort();
    await reader.cancel().catch(() => undefined);

    // An upgraded connection (a WebSocket's way) goes to the same run, bytes both ways.
    const { answer, socket } = await upgrade(new URL('/socket', url).toString());
    assert.equal(answer.statusCode, 101);
    socket.write('ping');
    assert.equal(await firstData(socket), 'ping');
    socket.destroy();
    assert.deepEqual(await gateway.runIds(single), [run.id], 'still one run');
  });

  it('winds an idle standby run down after idleTimeoutSecs, and the next request starts a new one', async function () {
    const url = await gateway.urlFor(single);
    const engine = workspace.engineFor(single);
    const before = (await (await fetch(new URL('/env', url))).json()) as EnvAnswer;
    const run = runServing(engine, before.hostname);
    const ended = await windDown(engine, run.id, 2);
    assert.equal(ended.status, 'ABORTED', engine.readRunLog(run.id));
    assert.deepEqual(await gateway.runIds(single), []);

    const after = (await (await fetch(new URL('/env', url))).json()) as EnvAnswer;
    assert.notEqual(after.hostname, before.hostname, 'a new container');
    assert.equal(runServing(engine, after.hostname).meta.origin, 'STANDBY');
  });

  it('serves requests with a standby run resurrected after it was wound down, and winds it down again when idle', async function () {
    const url = await gateway.urlFor(revived);
    const engine = workspace.engineFor(revived);
    const first = runServing(engine, ((await (await fetch(new URL('/env', url))).json()) as EnvAnswer).hostname);
    await windDown(engine, first.id, 1);
    assert.deepEqual(await gateway.runIds(revived), [], 'out of the pool once wound down');
    await engine.resurrect(first.id);
    await waitFor('the resurrected run in the pool', async () => ((await gateway.runIds(revived)).includes(first.id) ? true : undefined));
    const served = (await (await fetch(new URL('/env', url))).json()) as EnvAnswer;
    assert.equal(runServing(engine, served.hostname).id, first.id, 'the resurrected run serves, no new one is started');
    assert.deepEqual(await gateway.runIds(revived), [first.id]);
    const again = await windDown(engine, first.id, 1);
    assert.equal(again.status, 'ABORTED', engine.readRunLog(first.id));
    assert.equal(again.stats.resurrectCount, 1);
  });

  it('starts a second run when the first has maxRequestsPerActorRun requests', async function () {
    const url = await gateway.urlFor(limited);
    const engine = workspace.engineFor(limited);
    const holding = new AbortController();
    const stream = await fetch(new URL('/stream', url), { signal: holding.signal });
    const reader = stream.body!.getReader();
    const firstHost = new TextDecoder().decode((await reader.read()).value).trim().replace(/^first /, '');
    const second = (await (await fetch(new URL('/env', url))).json()) as EnvAnswer;
    assert.notEqual(second.hostname, firstHost, 'the second request went to another run');
    const runs = [runServing(engine, firstHost), runServing(engine, second.hostname)];
    assert.deepEqual((await gateway.runIds(limited)).sort(), runs.map((run) => run.id).sort());
    holding.abort();
    await reader.cancel().catch(() => undefined);
    for (const run of runs) assert.equal((await windDown(engine, run.id, 1)).status, 'ABORTED');
  });

  it('starts another run ahead of need once every run has desiredRequestsPerActorRun requests', async function () {
    const url = await gateway.urlFor(eager);
    const engine = workspace.engineFor(eager);
    const holding = new AbortController();
    const stream = await fetch(new URL('/stream', url), { signal: holding.signal });
    const reader = stream.body!.getReader();
    const firstHost = new TextDecoder().decode((await reader.read()).value).trim().replace(/^first /, '');
    assert.equal((await gateway.runIds(eager)).length, 1, 'one request, no second run yet');
    const second = (await (await fetch(new URL('/env', url))).json()) as EnvAnswer;
    assert.equal(second.hostname, firstHost, 'below its max, the first run takes the second request');
    // Its desired load reached, another run is started ahead of need.
    const live = await waitFor('a second run started ahead of need', () => {
      const runs = engine.listRuns().filter((run) => !run.finishedAt);
      return runs.length === 2 ? runs : undefined;
    });
    const ids = live.map((run) => run.id);
    assert.deepEqual(live.map((run) => run.meta.origin), ['STANDBY', 'STANDBY']);
    holding.abort();
    await reader.cancel().catch(() => undefined);
    for (const runId of ids) assert.equal((await windDown(engine, runId, 1)).status, 'ABORTED');
  });

  it('winds down a standby run a previous server left running once the standby URL listens again', async function () {
    const leftoverRoot = withSettings('standby-leftover', { idleTimeoutSecs: 60 });
    const leftovers = new ActorWorkspace({ roots: () => [leftoverRoot], engineSettings: () => ({ origin: 'DEVELOPMENT', gracefulAbortMs: GRACEFUL_MS, secrets: new SecretsStore(SECRETS_FILE, []) }) });
    const engine = leftovers.engineFor(leftoverRoot);
    const leftover = await engine.run({ origin: 'STANDBY', standbyUrl: 'http://127.0.0.1:1/', input: {}, timeoutSecs: 0 });
    const again = new StandbyGateway({ workspace: leftovers });
    try {
      await again.urlFor(leftoverRoot);
      assert.equal((await leftover.finished).status, 'ABORTED');
      assert.deepEqual(await again.runIds(leftoverRoot), []);
    } finally {
      await again.close();
      leftovers.dispose();
    }
  });

  it('refuses a standby URL for an Actor without usesStandbyMode, and answers 503 naming wrong settings', async function () {
    const plain = copyFixture('standby-actor');
    const actorJson = join(plain, '.actor', 'actor.json');
    const definition = JSON.parse(readFileSync(actorJson, 'utf8'));
    writeFileSync(actorJson, JSON.stringify({ ...definition, usesStandbyMode: false }));
    const other = new StandbyGateway({ workspace: new ActorWorkspace({ roots: () => [plain], engineSettings: () => ({ origin: 'DEVELOPMENT', gracefulAbortMs: GRACEFUL_MS, secrets: new SecretsStore(SECRETS_FILE, []) }) }) });
    try {
      await assert.rejects(other.urlFor(plain), /standby-actor does not use Standby mode: set "usesStandbyMode": true in its actor\.json/);
      writeFileSync(actorJson, JSON.stringify({ ...definition, actorStandby: { idleTimeoutSecs: 1 } }));
      const url = await other.urlFor(plain);
      writeFileSync(actorJson, JSON.stringify({ ...definition, actorStandby: { maxRequestsPerActorRun: 0 } }));
      const answer = await fetch(url);
      assert.equal(answer.status, 503);
      assert.match(await answer.text(), /no standby run can start: actor\.json "actorStandby\.maxRequestsPerActorRun" must be a whole number ≥ 1, got 0/);
    } finally {
      await other.close();
    }
  });
});

describe('CLI: greenroom serve prints the standby URLs and serves them at home', function () {
  this.timeout(180_000);

  it("prints each standby Actor's URL, records it in the platform file, runs its requests at home, and winds the runs down on Ctrl+C", async function () {
    const root = copyFixture('standby-actor');
    assert.equal((await makeEngine(root).build().finished).status, 'SUCCEEDED');
    const served = await servePlatform(root);
    let stopped = false;
    try {
      const url = await waitFor('the standby URL to be printed', () => /Standby URLs:\n {2}standby-actor: (http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(served.output())?.[1]);
      assert.equal(readPlatformFile(root)?.standby?.[root], url);
      const answer = (await (await fetch(new URL('/env', url))).json()) as EnvAnswer;
      assert.deepEqual([answer.env.APIFY_IS_AT_HOME, answer.env.APIFY_META_ORIGIN, answer.env.ACTOR_STANDBY_URL], ['1', 'STANDBY', url]);
      const runId = answer.env.ACTOR_RUN_ID!;
      await served.close();
      stopped = true;
      const run = makeEngine(root).getRun(runId);
      assert.equal(run?.status, 'ABORTED', 'the standby run is wound down with the server');
      assert.equal(run?.meta.origin, 'STANDBY');
      await assert.rejects(fetch(url), 'the standby URL no longer listens');
    } finally {
      if (!stopped) await served.close();
    }
  });
});
