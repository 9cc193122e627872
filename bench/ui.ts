/**
 * `npm run bench:ui`: the extension host under a chatty run, measured inside a real VS Code (code-server): the VS
 * Code launcher runs only the bench suite (test/vscode/suite/uiBench.bench.ts, never loaded by the test suite), which prints the
 * event-loop delay and how far the status bar, the Runs view and the log terminal are behind the engine.
 * BENCH_UI_RATE (lines and items a second, default 1,000) and BENCH_UI_SECS (default 30) change the load;
 * BENCH_UI_PROFILE=1 adds a CPU profile of the extension host (test-artifacts/vscode/ui-bench.cpuprofile, summed in
 * the output: hottest functions, and what the long tasks spent their time in). The samples go to
 * test-artifacts/vscode/ui-bench-samples.json. The measure runs it beside two CPU hogs (`yes > /dev/null`).
 * It also times the run view's first paint (runView.bench.ts); BENCH_UI_GREP runs one section (`npm run bench:run-view`),
 * or the debug bench, which is not a UI bench section (debug.bench.ts, `npm run bench:debug`).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const launcher = join(__dirname, '..', 'test', 'vscode', 'launcher', 'code-server.js');
const result = spawnSync(process.execPath, [launcher], {
  stdio: 'inherit',
  env: { ...process.env, GREENROOM_UI_BENCH: '1', GREENROOM_VSCODE_GREP: process.env.BENCH_UI_GREP ?? '^UI bench: ', GREENROOM_VSCODE_TIMEOUT_MS: process.env.GREENROOM_VSCODE_TIMEOUT_MS ?? '900000' },
});
process.exit(result.status ?? 1);
