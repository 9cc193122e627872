import * as assert from 'node:assert/strict';
import { ActorEngine } from '../../src/engine';
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
