import * as assert from 'node:assert/strict';
import { ActorEngine } from '../../src/engine';
import { RESTART_ON_ERROR } from '../../src/engine/runMonitor';
import { copyFixture } from './fixtures';
import { makeEngine, recordEvents } from './helpers';

describe('engine: a plain shell Actor', function () {
  let root: string;
  let engine: ActorEngine;

  before(async function () {
    root = copyFixture('shell-actor');
    engine = makeEngine(root, { keepRuns: 3 });
    assert.equal((await engine.build().finished).status, 'SUCCEEDED');
  });
  after(() => engine.dispose());

  it('passes the exit code through: 0 → SUCCEEDED, 3 → FAILED', async function () {
    const ok = await (await engine.run()).finished;
    assert.equal(ok.status, 'SUCCEEDED');
    assert.equal(ok.statusMessage, 'all good');
    assert.match(engine.readRunLog(ok.id), /storage=\/greenroom\/storage dataset=\w{17} memory=1024/);
    const failed = await (await engine.run({ env: { MODE: 'fail' } })).finished;
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.exitCode, 3);
    assert.equal(failed.statusMessage, 'Exited with code 3');
    assert.match(engine.readRunLog(failed.id), /something broke/, 'stderr is captured too');
  });

  it('restartOnError: a failed container is restarted on the same storages, RUNNING throughout, counted', async function () {
    const events = recordEvents(engine);
    const run = await (await engine.run({ env: { MODE: 'flaky', FAILS: '2' }, restartOnError: true })).finished;
    assert.equal(run.status, 'SUCCEEDED', engine.readRunLog(run.id));
    assert.equal(run.options.restartOnError, true);
    assert.equal(run.stats.restartCount, 2);
    assert.equal(run.greenroom.restartedAt?.length, 2);
    assert.equal(engine.storages(run.id).readRecord(run.defaultKeyValueStoreId, 'STARTS')?.value.toString().trim(), '3');
    assert.deepEqual(events.statuses(run.id), ['READY', 'RUNNING', 'SUCCEEDED']);
    const log = engine.readRunLog(run.id);
    assert.match(log, /start 1 restartOnError=1\n[\s\S]*Greenroom: restart 1 \(restartOnError\): the container exited with code 3; a new container continues the run on the same storages\n[\s\S]*start 2[\s\S]*Greenroom: restart 2 [\s\S]*start 3/);
  });

  it("restartOnError: a restart loop ends FAILED once restarted 3 times within a minute; without it a failure is final", async function () {
    const looping = await (await engine.run({ env: { MODE: 'flaky', FAILS: '99' }, restartOnError: true })).finished;
    assert.equal(looping.status, 'FAILED');
    assert.equal(looping.stats.restartCount, RESTART_ON_ERROR.MAX_RESTARTS);
    assert.equal(looping.statusMessage, "Exited with code 3; not restarted: restarted 3 times within 60 s (restartOnError's limit)");
    assert.match(engine.readRunLog(looping.id), /start 4 [\s\S]*Greenroom: the container exited with code 3; not restarted: restarted 3 times within 60 s/);
    const once = await (await engine.run({ env: { MODE: 'flaky', FAILS: '1' } })).finished;
    assert.deepEqual([once.status, once.stats.restartCount, once.options.restartOnError], ['FAILED', 0, undefined]);
    assert.match(engine.readRunLog(once.id), /start 1 restartOnError=0\n/);
  });

  it('ends FAILED with an out-of-memory message when the container is OOM-killed', async function () {
    const events = recordEvents(engine);
    const run = await (await engine.run({ env: { MODE: 'oom' }, memoryMbytes: 128 })).finished;
    assert.equal(run.status, 'FAILED');
    assert.match(run.statusMessage!, /ran out of memory \(limit 128 MB\)/);
    assert.deepEqual(events.statuses(run.id), ['READY', 'RUNNING', 'FAILED']);
  });

  it('keeps only the newest N runs, deleting older ones with their storages', async function () {
    for (let i = 0; i < 4; i++) await (await engine.run()).finished;
    const runs = engine.listRuns();
    assert.equal(runs.length, 3);
    const storageDatasets = engine.storages(runs[0].id).list('datasets').map((s) => s.id);
    assert.deepEqual(storageDatasets.sort(), runs.map((r) => r.defaultDatasetId).sort(), 'only the kept runs still have storages');
  });
});
