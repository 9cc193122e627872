import * as assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunRecord } from '../../src/engine';
import { SecretsStore } from '../../src/engine/secrets';
import { WorkspacePlatform } from '../../src/platform/workspacePlatform';
import { ActorWorkspace } from '../../src/workspace';
import { copyFixture, docker } from './fixtures';
import { GRACEFUL_MS, makeEngine, recordEvents, runCli, SECRETS_FILE, waitFor } from './helpers';

describe('engine: reconciliation and records', function () {
  let root: string;

  before(async function () {
    root = copyFixture('sdk-actor');
    const engine = makeEngine(root);
    assert.equal((await engine.build().finished).status, 'SUCCEEDED');
    engine.dispose();
  });

  /** Starts `greenroom run` in a child process and kills that process (not the container) once the run is RUNNING. */
  // In local mode: these tests are about re-attaching to the container, with engines that serve no API (a killed CLI
  // takes its in-process API with it; the at-home case, where the re-attaching process serves it again, is its own test).
  async function startThenKillCli(input: object): Promise<RunRecord> {
    const cli = runCli(['run', root, '--storage-mode', 'local', '--input', JSON.stringify(input)]);
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

  it('an engine made anew while another engine of this process follows a run leaves it to that one: no second follower, its abort goes through', async function () {
    const first = makeEngine(root);
    const handle = await first.run({ input: { count: 50, delayMs: 100 } });
    await waitFor('the run to log its input', () => first.readRunLog(handle.id).includes('INPUT'));
    // As the window makes its engines anew when a setting changes while a run is starting.
    const second = makeEngine(root);
    try {
      assert.deepEqual(await second.reconcile(), [], 'not followed twice');
      assert.equal(second.runHandle(handle.id), undefined);
      const aborted = await second.abort(handle.id, { graceful: false });
      assert.equal(aborted.status, 'ABORTED');
      const run = await handle.finished;
      assert.equal(run.status, 'ABORTED');
      assert.equal((first.readRunLog(run.id).match(/INPUT \{/g) ?? []).length, 1, 'the log is written once');
    } finally {
      second.dispose();
      first.dispose();
    }
  });

  it('a CLI killed mid-run at home: the process that re-attaches serves the API again where the container was told; every item lands', async function () {
    // The CLI serves the run's API in-process; its workspace is the Actor itself, so the platform file is this test's.
    const cli = runCli(['run', root, '--workspace', root, '--input', JSON.stringify({ count: 40, delayMs: 150 })]);
    const reader = makeEngine(root);
    const orphan = await waitFor('a running run at home with log output', () =>
      reader.listRuns().find((r) => r.status === 'RUNNING' && r.greenroom.atHome && r.greenroom.monitorPid === cli.child.pid && reader.readRunLog(r.id).includes('INPUT')),
    );
    cli.child.kill('SIGKILL');
    await cli;
    reader.dispose();
    // Without the platform file the killed CLI left, the port comes from the run record.
    rmSync(join(root, '.greenroom', 'platform.json'), { force: true });

    const workspace: ActorWorkspace = new ActorWorkspace({
      roots: () => [root],
      engineSettings: () => ({ origin: 'DEVELOPMENT', gracefulAbortMs: GRACEFUL_MS, secrets: new SecretsStore(SECRETS_FILE, []), platform }),
    });
    const platform = new WorkspacePlatform({ workspaceRoot: root, workspace: () => workspace });
    try {
      const engine = workspace.engineFor(root);
      assert.deepEqual((await engine.reconcile()).map((r) => r.id), [orphan.id]);
      assert.equal((await platform.serve()).port, Number(new URL(orphan.greenroom.apiBaseUrl!).port), 'served again on the port the container was given');
      const run = await engine.runHandle(orphan.id)!.finished;
      assert.equal(run.status, 'SUCCEEDED', engine.readRunLog(run.id));
      assert.equal(run.stats.datasetItemCount, 40);
      assert.equal(run.statusMessage, 'Pushed 40 items');
    } finally {
      workspace.dispose();
      await platform.close();
    }
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

  it('a CLI killed mid-run (SIGKILL): the next command records the true outcome with the whole log, abort refuses it', async function () {
    const orphan = await startThenKillCli({ count: 40, delayMs: 50 });
    assert.equal(orphan.status, 'RUNNING');
    // The container runs on without anyone following it; once it ends, `greenroom runs` records how.
    const container = orphan.greenroom.containerId!;
    docker(['wait', container]);
    const runs = await runCli(['runs', root, '--json']);
    assert.equal(runs.code, 0, runs.stderr);
    const run = (JSON.parse(runs.stdout) as RunRecord[]).find((r) => r.id === orphan.id)!;
    assert.equal(run.status, 'SUCCEEDED');
    assert.equal(run.exitCode, 0);
    assert.equal(run.statusMessage, 'Pushed 40 items');
    assert.equal(run.stats.datasetItemCount, 40);
    const log = (await runCli(['log', orphan.id, '--actor', root])).stdout;
    assert.equal((log.match(/INPUT \{/g) ?? []).length, 1, 'the log is resumed, not replayed twice');
    assert.match(log, /\[Status message\]: Pushed 40 items/, 'the tail the killed process missed is in the log');
    assert.throws(() => docker(['inspect', container]), 'the container is removed once recorded');

    const abort = await runCli(['abort', orphan.id, '--actor', root]);
    assert.equal(abort.code, 1);
    assert.match(abort.stderr, /already finished \(SUCCEEDED/);
    const after = await runCli(['runs', root, '--json']);
    assert.equal((JSON.parse(after.stdout) as RunRecord[]).find((r) => r.id === orphan.id)!.status, 'SUCCEEDED', 'abort did not rewrite the outcome');
  });

  it('a CLI killed mid-run: resurrect and abort work on the run once another command took it over', async function () {
    const orphan = await startThenKillCli({ count: 1000, delayMs: 50 });
    const abort = await runCli(['abort', orphan.id, '--actor', root]);
    assert.equal(abort.code, 0, abort.stderr);
    assert.match(abort.stdout, /ABORTED/);
    const resurrect = await runCli(['resurrect', orphan.id, '--actor', root, '--timeout', '1', '--json']);
    assert.equal(JSON.parse(resurrect.stdout).status, 'TIMED-OUT', resurrect.stderr);
  });

  it('CLI commands skip corrupt records with one warning naming each file', async function () {
    const runsDir = join(root, '.greenroom', 'runs');
    writeFileSync(join(runsDir, 'idonly.json'), '{"id": "idonly"}');
    writeFileSync(join(runsDir, 'cut.json'), '{"id": "cut", "status": ');
    const listed = await runCli(['runs', root]);
    assert.equal(listed.code, 0, listed.stderr);
    for (const name of ['idonly.json', 'cut.json']) assert.equal(listed.stderr.split(name).length - 1, 1, `one warning for ${name}:\n${listed.stderr}`);
    // Retention after a run reads every record too.
    const run = await runCli(['run', root, '--input', '{"count": 1}'], { env: { GREENROOM_KEEP_RUNS: '2' } });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /Skipping corrupt record .*idonly\.json/);
    rmSync(join(runsDir, 'idonly.json'));
    rmSync(join(runsDir, 'cut.json'));
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
