import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ActorEngine } from '../../src/engine';
import { copyFixture } from './fixtures';
import { makeEngine } from './helpers';

/** Lines a container prints as fast as it can: far more than the log stream delivers by the time it exits. */
const LINES = 300_000;
/** How far behind a container that prints a few lines and exits the daemon may read (and stamp) them. */
const DAEMON_LAG_MS = 2000;

describe('engine: log capture', function () {
  let root: string;
  let engine: ActorEngine;

  before(async function () {
    root = copyFixture('shell-actor');
    engine = makeEngine(root);
    assert.equal((await engine.build().finished).status, 'SUCCEEDED');
  });
  after(() => engine.dispose());

  it('keeps every line two fast-logging containers wrote, their last line and the status message it sets', async function () {
    this.timeout(600_000);
    const streamed = new Map<string, number>();
    engine.onEvent((event) => {
      if (event.type === 'run-log') streamed.set(event.runId, (streamed.get(event.runId) ?? 0) + event.lines.length);
    });
    const handles = await Promise.all([1, 2].map(() => engine.run({ env: { MODE: 'lines', LINES: String(LINES) } })));
    const runs = await Promise.all(handles.map((handle) => handle.finished));
    for (const run of runs) {
      assert.equal(run.status, 'SUCCEEDED');
      const lines = readFileSync(engine.layout.runLog(run.id), 'utf8').split('\n');
      const numbered = lines.filter((line) => /^\d+$/.test(line));
      assert.equal(numbered.length, LINES, `run ${run.id}: ${numbered.length} of ${LINES} lines in the log`);
      assert.equal(numbered[LINES - 1], String(LINES));
      assert.ok(lines.includes(`[Status message]: printed ${LINES} lines`), 'the last line is there');
      assert.equal(run.statusMessage, `printed ${LINES} lines`);
      assert.ok(streamed.get(run.id)! >= LINES, 'every line reached subscribers too');
      // Read long after they were written (the stream lags), the lines still have the times the daemon took them
      // from the container, in order. Behind a container printing as fast as it can that can be seconds after its
      // process exited (the shim holds what the daemon has not read yet), so no upper bound here.
      const index = engine.runLogIndex(run.id);
      const times = await index.times(0, await index.update());
      const started = Date.parse(run.startedAt);
      const misplaced = times.findIndex((time, i) => time === null || time < started || (i > 0 && time < times[i - 1]!));
      assert.equal(misplaced, -1, `line ${misplaced}'s time ${times[misplaced]} is missing, before the run's start or before the line above`);
    }
  });

  it('times each line as Docker saw it written: all timed, in order, within the run', async function () {
    this.timeout(120_000);
    const run = await (await engine.run({ env: { MODE: 'sleep', SLEEP_SECS: '1' } })).finished;
    assert.equal(run.status, 'SUCCEEDED');
    const index = engine.runLogIndex(run.id);
    const total = await index.update();
    const [lines, times] = await Promise.all([index.lines(0, total), index.times(0, total)]);
    assert.ok(times.every((time) => time !== null), `every line has a time: ${JSON.stringify(times)}`);
    const started = Date.parse(run.startedAt);
    const finished = Date.parse(run.finishedAt!);
    times.forEach((time, i) => {
      assert.ok(time! >= started && time! <= finished + DAEMON_LAG_MS, `line ${i} (${lines[i]}) at ${new Date(time!).toISOString()}, the run ${run.startedAt}–${run.finishedAt}`);
      if (i > 0) assert.ok(time! >= times[i - 1]!, `line ${i} is not earlier than the one before`);
    });
    const slept = times[lines.indexOf('woke up')]! - times[lines.indexOf('sleeping')]!;
    assert.ok(slept >= 900 && slept < 5000, `the second slept shows between the lines (${slept} ms)`);
  });
});
