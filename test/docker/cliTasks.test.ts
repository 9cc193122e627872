/**
 * Tasks and schedules from the command line: `greenroom run --task` (the task's input and options, the command
 * line's over them, the task on the record) and `greenroom serve` firing a schedule (origin SCHEDULER, its next fire
 * printed), a run's and a build's, on the callee of test/fixtures/engine/calls-workspace.
 */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunRecord } from '../../src/engine';
import { ActorEngine } from '../../src/engine';
import { taskIdOf } from '../../src/workspace';
import { copyFixture } from './fixtures';
import { runCli } from './helpers';

describe('CLI: greenroom run --task, schedules in greenroom serve', function () {
  this.timeout(300_000);
  let workspaceRoot: string;
  let callee: string;

  before(async function () {
    workspaceRoot = copyFixture('calls-workspace');
    callee = join(workspaceRoot, 'callee');
    const build = await runCli(['build', callee, '--workspace', workspaceRoot]);
    assert.equal(build.code, 0, build.stderr);
  });

  it("greenroom run --task: the task's input with --input merged over it, the task's options, the task recorded", async () => {
    const result = await runCli(['run', callee, '--workspace', workspaceRoot, '--task', 'greet', '--input', '{"count": 5}', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const run = JSON.parse(result.stdout) as RunRecord;
    assert.equal(run.actorTaskId, taskIdOf('calls-callee', 'greet'));
    assert.equal(run.greenroom.taskName, 'greet');
    assert.equal(run.meta.origin, 'CLI');
    assert.equal(run.options.timeoutSecs, 300);
    assert.match(result.stderr, /callee got \{"count":5,"greeting":"from the task"\}/);
  });

  it('greenroom run --task refuses a task the Actor does not have, naming its tasks', async () => {
    const result = await runCli(['run', callee, '--workspace', workspaceRoot, '--task', 'nope']);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /calls-callee has no task "nope" in \.actor\/tasks\.json \(its tasks: greet\)/);
  });

  it('greenroom serve prints the schedules with their next fire and fires them (origin SCHEDULER)', async () => {
    writeFileSync(join(callee, '.actor', 'schedules.json'), JSON.stringify({ often: { cron: '*/5 * * * * *', task: 'greet', input: { count: 9 } } }));
    const serving = runCli(['serve', '--workspace', workspaceRoot]);
    let stdout = '';
    serving.child.stdout!.on('data', (chunk) => (stdout += chunk));
    try {
      for (let i = 0; !/Schedule often of calls-callee: run \w+ started/.test(stdout); i++) {
        if (i > 1200) throw new Error(`no schedule fired: ${stdout}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      serving.child.kill('SIGINT');
    }
    assert.match(stdout, /Schedules:\n {2}calls-callee \/ often \(\*\/5 \* \* \* \* \*, task greet\): next \d{4}-\d\d-\d\dT/);
    const runId = /Schedule often of calls-callee: run (\w+) started/.exec(stdout)![1];
    const stopped = await serving;
    assert.equal(stopped.code, 0, stopped.stderr);
    const engine = new ActorEngine({ actorRoot: callee, origin: 'CLI' });
    const run = engine.requireRun(runId);
    assert.equal(run.meta.origin, 'SCHEDULER');
    assert.equal(run.greenroom.scheduleName, 'often');
    assert.equal(run.greenroom.taskName, 'greet');
    engine.dispose();
  });

  it('greenroom serve fires a build schedule: a build of origin SCHEDULER, tagged as the schedule says', async () => {
    writeFileSync(join(callee, '.actor', 'schedules.json'), JSON.stringify({ rebuild: { cron: '*/5 * * * * *', build: { tag: 'scheduled' } } }));
    const engine = new ActorEngine({ actorRoot: callee, origin: 'CLI' });
    const serving = runCli(['serve', '--workspace', workspaceRoot]);
    let stdout = '';
    serving.child.stdout!.on('data', (chunk) => (stdout += chunk));
    let buildId: string;
    try {
      for (let i = 0; !/Schedule rebuild of calls-callee: build \w+ started/.test(stdout); i++) {
        if (i > 1200) throw new Error(`no schedule fired: ${stdout}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      buildId = /Schedule rebuild of calls-callee: build (\w+) started/.exec(stdout)![1];
      // The serving process builds; it is stopped once the build has ended.
      for await (const event of engine.follow({ kind: 'build', buildId })) if (event.type === 'record' && event.record.finishedAt) break;
    } finally {
      serving.child.kill('SIGINT');
    }
    assert.match(stdout, /Schedules:\n {2}calls-callee \/ rebuild \(\*\/5 \* \* \* \* \*, build \(tag scheduled\)\): next \d{4}-/);
    const stopped = await serving;
    assert.equal(stopped.code, 0, stopped.stderr + stdout);
    const build = engine.getBuild(buildId)!;
    assert.equal(build.status, 'SUCCEEDED', engine.readBuildLog(buildId));
    assert.equal(build.meta.origin, 'SCHEDULER');
    assert.equal(build.greenroom.scheduleName, 'rebuild');
    assert.equal(engine.tags().scheduled, buildId);
    engine.dispose();
  });
});
