import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ActorEngine } from '../../src/engine';
import { copyFixture } from './fixtures';
import { makeEngine } from './helpers';

/** Lines a container prints as fast as it can: far more than the log stream delivers by the time it exits. */
const LINES = 300_000;

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
    }
  });
});
