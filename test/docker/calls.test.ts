/**
 * Actors calling Actors on the local platform, with the real SDK in both: `Actor.call` (the callee built first,
 * the run options and the links kept), the platform's 400 for invalid input, `Actor.start` + `Actor.abort`,
 * `Actor.callTask`, `Actor.metamorph` (and its limit) and `Actor.reboot` (test/fixtures/engine/calls-workspace).
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { ActorEngine, actorIdOf, DockerClient, MAX_METAMORPHS_PER_RUN, RunRecord, SecretsStore } from '../../src/engine';
import { eventsChannel, newUserToken, PlatformServer, startPlatformServer } from '../../src/platform';
import { dockerBridgeGateway } from '../../src/platform/bridgeGateway';
import { API_REWRITES, API_ROUTES } from '../../src/platform/routes';
import { ActorWorkspace, taskIdOf } from '../../src/workspace';
import { copyFixture } from './fixtures';
import { GRACEFUL_MS, recordEvents, SECRETS_FILE } from './helpers';
import { serverPlatformLink } from './platformLink';

/** Two SDK containers one after the other, a build on the way: minutes on a loaded machine. */
const CALL_MS = 300_000;

describe('platform: Actors calling Actors (real SDK)', function () {
  let workspaceRoot: string;
  let server: PlatformServer;
  let caller: ActorEngine;
  let callee: ActorEngine;
  let events: ReturnType<typeof recordEvents>;

  this.timeout(2 * CALL_MS);

  const record = (engine: ActorEngine, run: RunRecord, key: string): unknown => {
    const found = engine.storages(run.id).readRecord(run.defaultKeyValueStoreId, key);
    return found && JSON.parse(found.value.toString());
  };
  const items = (engine: ActorEngine, run: RunRecord) => [...engine.storages(run.id).datasetItems(run.defaultDatasetId)] as Record<string, unknown>[];
  const runCaller = async (mode: string): Promise<RunRecord> => {
    const run = await (await caller.run({ input: { mode } })).finished;
    assert.equal(run.status, 'SUCCEEDED', caller.readRunLog(run.id));
    return run;
  };

  before(async function () {
    workspaceRoot = copyFixture('calls-workspace');
    const answer = await dockerBridgeGateway(new DockerClient());
    if (!('gateway' in answer)) throw new Error(`No Docker bridge gateway: ${answer.reason}`);
    const gateway = answer.gateway;
    const workspace = new ActorWorkspace({
      roots: () => [workspaceRoot],
      engineSettings: () => ({ origin: 'DEVELOPMENT', gracefulAbortMs: GRACEFUL_MS, secrets: new SecretsStore(SECRETS_FILE, []), platform: serverPlatformLink(server, gateway) }),
    });
    server = await startPlatformServer({ workspace, userToken: newUserToken(), hosts: ['127.0.0.1', gateway], routes: API_ROUTES, rewrites: API_REWRITES, upgradeHandlers: [eventsChannel] });
    caller = workspace.engineFor(join(workspaceRoot, 'caller'));
    callee = workspace.engineFor(join(workspaceRoot, 'callee'));
    events = recordEvents(caller);
    const build = await caller.build().finished;
    assert.equal(build.status, 'SUCCEEDED', caller.readBuildLog(build.id));
  });
  after(async () => {
    caller?.dispose();
    callee?.dispose();
    await server?.close();
  });

  it('Actor.call: the callee (built first) runs with the options given, origin ACTOR, both records linked; the caller reads its dataset', async function () {
    assert.equal(callee.listBuilds().length, 0, 'the callee has no build yet');
    const run = await runCaller('call');
    const called = record(caller, run, 'CALLED') as { id: string; status: string; items: Record<string, unknown>[] };
    assert.equal(called.status, 'SUCCEEDED');
    assert.equal(callee.listBuilds().length, 1, 'the call built the callee');
    const calleeRun = callee.requireRun(called.id);
    assert.equal(calleeRun.meta.origin, 'ACTOR');
    assert.deepEqual(calleeRun.greenroom.caller, { runId: run.id, actorName: 'calls-caller', actorRoot: caller.layout.actorRoot });
    assert.deepEqual(run.greenroom.calls, [{ runId: calleeRun.id, actorName: 'calls-callee', actorRoot: callee.layout.actorRoot }]);
    assert.deepEqual(
      { memory: calleeRun.options.memoryMbytes, timeout: calleeRun.options.timeoutSecs, maxItems: calleeRun.options.maxItems, maxTotalChargeUsd: calleeRun.options.maxTotalChargeUsd, restartOnError: calleeRun.options.restartOnError },
      { memory: 512, timeout: 120, maxItems: 5, maxTotalChargeUsd: 1.5, restartOnError: true },
    );
    assert.deepEqual(calleeRun.greenroom.webhooks, [{ eventTypes: ['ACTOR.RUN.SUCCEEDED'], requestUrl: 'http://127.0.0.1:9/hook' }]);
    assert.equal(called.items.length, 1);
    assert.deepEqual({ ...called.items[0] }, { count: 2, greeting: 'hello', inputKey: 'INPUT', actorId: actorIdOf('calls-callee'), runId: calleeRun.id });
    assert.match(caller.readRunLog(run.id), /callee got/, "Actor.call streams the callee's log into the caller's");
  });

  it("refuses input the callee's schema rejects with the platform's 400", async function () {
    const run = await runCaller('invalid');
    const error = record(caller, run, 'ERROR') as { message: string; statusCode: number; type: string };
    assert.equal(error.statusCode, 400);
    assert.equal(error.type, 'invalid-input');
    assert.match(error.message, /^Input is not valid: Field input\.count/);
  });

  it('Actor.start and Actor.abort: the caller aborts the run it started', async function () {
    const run = await runCaller('start-abort');
    const aborted = record(caller, run, 'ABORTED') as { id: string; status: string };
    assert.equal(aborted.status, 'ABORTED');
    const calleeRun = callee.requireRun(aborted.id);
    assert.equal(calleeRun.status, 'ABORTED');
    assert.equal(calleeRun.greenroom.caller?.runId, run.id);
  });

  it("Actor.callTask: the task's input with the call's merged over it, the task recorded on the run", async function () {
    const run = await runCaller('task');
    const task = record(caller, run, 'TASK') as { id: string; status: string; actorTaskId: string; items: Record<string, unknown>[] };
    assert.equal(task.status, 'SUCCEEDED');
    assert.equal(task.actorTaskId, taskIdOf('calls-callee', 'greet'));
    assert.deepEqual([task.items[0].count, task.items[0].greeting], [4, 'from the task']);
    const calleeRun = callee.requireRun(task.id);
    assert.equal(calleeRun.greenroom.taskName, 'greet');
    assert.equal(calleeRun.options.timeoutSecs, 300, "the task's options");
    assert.equal(calleeRun.meta.origin, 'ACTOR');
  });

  it('Actor.metamorph: the same run and storages continue in the target, whose Actor.getInput() is INPUT-METAMORPH-1', async function () {
    const run = await runCaller('metamorph');
    assert.equal(run.metamorphs?.length, 1);
    const [metamorph] = run.metamorphs!;
    assert.equal(metamorph.actorId, actorIdOf('calls-callee'));
    assert.equal(metamorph.inputKey, 'INPUT-METAMORPH-1');
    assert.equal(run.buildId, metamorph.buildId);
    assert.ok(callee.getBuild(metamorph.buildId), "the target's build");
    assert.equal(run.actId, 'calls-caller', "the run stays the caller's");
    assert.deepEqual(record(caller, run, 'INPUT-METAMORPH-1'), { count: 7, greeting: 'metamorphed' });
    assert.ok(record(caller, run, 'BEFORE'), 'what the first container stored is still there');
    assert.deepEqual({ ...items(caller, run)[0] }, { count: 7, greeting: 'metamorphed', inputKey: 'INPUT-METAMORPH-1', actorId: actorIdOf('calls-callee'), runId: run.id });
    assert.deepEqual(events.statuses(run.id), ['READY', 'RUNNING', 'SUCCEEDED'], 'RUNNING throughout');
    const log = caller.readRunLog(run.id);
    assert.match(log, /metamorphing into calls-callee[\s\S]*Greenroom: metamorph 1 into calls-callee \(build [^)]*, input INPUT-METAMORPH-1\)[\s\S]*callee got/);
    assert.doesNotMatch(log, /metamorph returned/);
  });

  it("Actor.metamorph beyond the platform's 10 per run is the platform's 400; the run goes on in the container that asked", async function () {
    const run = await runCaller('metamorph-limit');
    assert.equal(run.metamorphs?.length, MAX_METAMORPHS_PER_RUN);
    assert.deepEqual(record(caller, run, 'METAMORPH_LIMIT'), {
      step: MAX_METAMORPHS_PER_RUN,
      statusCode: 400,
      type: 'invalid-input',
      message: `Run ${run.id} has been metamorphed ${MAX_METAMORPHS_PER_RUN} times, the most a run may be (the platform's limit)`,
    });
    assert.equal(record(caller, run, `INPUT-METAMORPH-${MAX_METAMORPHS_PER_RUN + 1}`), undefined, 'nothing stored for the refused metamorph');
    assert.doesNotMatch(caller.readRunLog(run.id), /metamorph returned/);
  });

  it('Actor.reboot: a new container on the same storages, RUNNING throughout, counted', async function () {
    const run = await runCaller('reboot');
    assert.deepEqual(record(caller, run, 'RESULT'), { starts: 2, rebootedInput: { mode: 'reboot' } });
    assert.equal(run.stats.rebootCount, 1);
    assert.deepEqual(events.statuses(run.id), ['READY', 'RUNNING', 'SUCCEEDED']);
    const log = caller.readRunLog(run.id);
    assert.match(log, /start 1[\s\S]*Greenroom: reboot 1: the container [^\n]*; a new container continues the run on the same storages[\s\S]*start 2/);
    assert.doesNotMatch(log, /reboot returned/);
  });
});
