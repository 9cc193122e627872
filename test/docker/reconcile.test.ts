import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunRecord } from '../../src/engine';
import { copyFixture, docker } from './fixtures';
import { makeEngine, recordEvents, runCli, waitFor } from './helpers';

describe('engine: reconciliation and records', function () {
  let root: string;

  before(async function () {
    root = copyFixture('sdk-actor');
    const engine = makeEngine(root);
    assert.equal((await engine.build().finished).status, 'SUCCEEDED');
    engine.dispose();
  });

  /** Starts `greenroom run` in a child process and kills that process (not the container) once the run is RUNNING. */
  async function startThenKillCli(input: object): Promise<RunRecord> {
    const cli = runCli(['run', root, '--input', JSON.stringify(input)]);
    const reader = makeEngine(root);
    const running = await waitFor('a running run with log output', () =>
      reader.listRuns().find((r) => r.status === 'RUNNING' && r.greenroom.monitorPid === cli.child.pid && reader.readRunLog(r.id).includes('INPUT')),
    );
    cli.child.kill('SIGKILL');
    await cli;
    reader.dispose();
    return running;
  }

  it('re-attaches to a run whose engine process died: log and status resume, the run ends SUCCEEDED', async function () {
    const orphan = await startThenKillCli({ count: 30, delayMs: 60 });
    const engine = makeEngine(root);
    const events = recordEvents(engine);
    const resumed = await engine.reconcile();
    assert.deepEqual(resumed.map((r) => r.id), [orphan.id]);
    const run = await engine.runHandle(orphan.id)!.finished;
    assert.equal(run.status, 'SUCCEEDED');
    assert.equal(run.stats.datasetItemCount, 30);
    assert.equal(run.statusMessage, 'Pushed 30 items');
    const log = engine.readRunLog(run.id);
    assert.equal((log.match(/INPUT \{/g) ?? []).length, 1, 'the log is not duplicated by the re-attach');
    assert.ok(events.events.some((e) => e.type === 'run-log' && e.runId === run.id), 'log lines stream again');
    engine.dispose();
  });

  it('finalises a run whose container vanished as FAILED with a message', async function () {
    const orphan = await startThenKillCli({ count: 1000, delayMs: 50 });
    docker(['rm', '-f', orphan.greenroom.containerId!]);
    const engine = makeEngine(root);
    await engine.reconcile();
    const run = await engine.runHandle(orphan.id)!.finished;
    assert.equal(run.status, 'FAILED');
    assert.match(run.statusMessage!, /container disappeared/);
    engine.dispose();
  });

  it('lets another process abort a run it follows (the CLI abort of a CLI run)', async function () {
    const cli = runCli(['run', root, '--input', JSON.stringify({ count: 1000, delayMs: 50 })]);
    const reader = makeEngine(root);
    const running = await waitFor('a running run', () => reader.listRuns().find((r) => r.status === 'RUNNING' && r.greenroom.monitorPid === cli.child.pid));
    const aborted = await reader.abort(running.id, { graceful: true });
    assert.equal(aborted.status, 'ABORTED');
    const result = await cli;
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /ABORTED/);
    reader.dispose();
  });

  it('skips a corrupt record with a warning instead of failing', async function () {
    const engine = makeEngine(root);
    const events = recordEvents(engine);
    writeFileSync(join(root, '.greenroom', 'runs', 'broken.json'), '{"id": "broken", "status": ');
    writeFileSync(join(root, '.greenroom', 'builds', 'empty.json'), '');
    const runs = engine.listRuns();
    assert.ok(runs.length > 0 && runs.every((r) => r.id !== 'broken'));
    assert.ok(engine.listBuilds().length > 0);
    const warnings = events.events.filter((e) => e.type === 'warning').map((e) => (e as { message: string }).message);
    assert.ok(warnings.some((w) => w.includes('broken.json')) && warnings.some((w) => w.includes('empty.json')), warnings.join('\n'));
    await engine.reconcile();
    engine.dispose();
  });
});
