// `npm run bench:debug` (bench:ui's launcher, BENCH_UI_GREP) inside a real VS Code with a real Docker engine, on the
// example Actor: (a) F5 (the key, a launch.json with the Actor's configuration) to the session stopped at a
// breakpoint in src/main.js, the image already built, in dev mode (the window's first F5 apart: cold); (b) edits of src/main.js run one after another in dev mode (warm
// starts from the second on) against the same kind of edits built and run (the build reuses its cached npm install
// layer), each timed from the command to the run's end. Medians of ROUNDS; prints figures, asserts nothing about them (targets: F5 ≤ 3 s, the dev-mode rerun
// ≤ 0.3× the build and run).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, DOCKER_WAIT_CEILING_MS, pressKey, waitFor, workspaceRoot } from './helpers';
import { trackStops, waitForRunEnd } from './debugSessions';

const ROUNDS = Number(process.env.BENCH_DEBUG_ROUNDS) || 5;
const TARGET_F5_MS = 3000;
const TARGET_DEV_RATIO = 0.3;
const PAUSE_MS = 2000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const each = (values: number[]) => values.map((v) => v.toFixed(0)).join(', ');
/** A developer's pause between a run's end and the next F5 or edit. */
const pause = () => new Promise((resolve) => setTimeout(resolve, PAUSE_MS));

describe('Debug bench: F5 and dev mode', function () {
  this.timeout(0);
  const root = () => workspaceRoot().fsPath;
  const main = () => path.join(root(), 'src', 'main.js');
  const launchJson = () => path.join(root(), '.vscode', 'launch.json');
  const input = { names: ['Ada'], greeting: 'Hi' };
  let original: string;

  before(async () => {
    await activateExtension();
    original = fs.readFileSync(main(), 'utf8');
  });
  after(async () => {
    fs.writeFileSync(main(), original);
    fs.rmSync(launchJson(), { force: true });
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await vscode.workspace.getConfiguration('greenroom').update('run.devMode', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it(`times F5 to a breakpoint and a dev-mode rerun against a build and run, ${ROUNDS} times each`, async () => {
    const build = await vscode.commands.executeCommand<{ status: string }>('greenroom.build', { actorRoot: root() });
    assert.strictEqual(build?.status, 'SUCCEEDED', 'the example Actor built');

    const stops = trackStops();
    const f5: number[] = [];
    try {
      const line = original.split('\n').findIndex((text) => text.startsWith('let count = 0;'));
      vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(vscode.Uri.file(main()), new vscode.Position(line, 0)))]);
      // F5 with a launch.json holding the configuration the provider offers (with none, F5 first shows VS Code's
      // debugger picker in a JavaScript file: docs/debugging.md).
      fs.mkdirSync(path.dirname(launchJson()), { recursive: true });
      fs.writeFileSync(launchJson(), JSON.stringify({ version: '0.2.0', configurations: [{ type: 'actor', request: 'launch', name: 'Debug hello-actor', actor: '${workspaceFolder}', input, devMode: true }] }));
      await waitFor('VS Code to read launch.json', () => (vscode.workspace.getConfiguration('launch').get<unknown[]>('configurations')?.length ? true : undefined));
      // The first F5 of the window is apart: VS Code activates its JavaScript debugger before it asks Greenroom, and
      // the run starts cold. Later ones come after a pause, as a developer's do, and start warm.
      for (let round = 0; round <= ROUNDS; round++) {
        if (round > 0) await pause();
        stops.list.length = 0;
        const ended = new Promise<void>((resolve) => {
          const listener = vscode.debug.onDidTerminateDebugSession((session) => session.type === 'actor' && (listener.dispose(), resolve()));
        });
        await vscode.window.showTextDocument(vscode.Uri.file(main()));
        const pressedAt = await pressKey('F5');
        const stop = await waitFor('the debugger to stop at the breakpoint', () => stops.list[0], DOCKER_WAIT_CEILING_MS);
        f5.push(stop.at - pressedAt);
        await stop.session.customRequest('continue', { threadId: stop.threadId });
        await ended;
      }
    } finally {
      stops.dispose();
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    }

    const config = vscode.workspace.getConfiguration('greenroom');
    const devRerun: number[] = [];
    const buildAndRun: number[] = [];
    const edit = (text: string) => fs.writeFileSync(main(), original.replace('${greeting}, ${name}!', '${greeting}, ' + text + ' ${name}!'));
    const runToEnd = async () => {
      const runId = await vscode.commands.executeCommand<string>('greenroom.run', { actorRoot: root(), input });
      assert.ok(runId, 'the run started');
      assert.strictEqual(await waitForRunEnd(root(), runId), 'SUCCEEDED');
    };
    // A developer's loop: edit, run, edit, run… in dev mode (from the second run on, each takes over the container
    // started ahead: warm starts), then the same edits each built and run, with the same pause before each edit.
    await config.update('run.devMode', true, vscode.ConfigurationTarget.Workspace);
    for (let round = 0; round <= ROUNDS; round++) {
      await pause();
      edit(`dev ${round}`);
      const started = performance.now();
      await runToEnd();
      devRerun.push(performance.now() - started);
    }
    const [coldDevRun] = devRerun.splice(0, 1);
    await config.update('run.devMode', false, vscode.ConfigurationTarget.Workspace);
    for (let round = 0; round < ROUNDS; round++) {
      await pause();
      edit(`built ${round}`);
      const started = performance.now();
      const built = await vscode.commands.executeCommand<{ status: string }>('greenroom.build', { actorRoot: root() });
      assert.strictEqual(built?.status, 'SUCCEEDED');
      await runToEnd();
      buildAndRun.push(performance.now() - started);
    }

    const [firstF5] = f5.splice(0, 1);
    const ratio = median(devRerun) / median(buildAndRun);
    console.log(`      debug bench, examples/hello-actor (median of ${ROUNDS}):`);
    console.log(`        F5 → stopped at a breakpoint in src/main.js, image built: ${median(f5).toFixed(0)} ms (target ≤ ${TARGET_F5_MS} ms; each: ${each(f5)}; the window's first F5, cold: ${firstF5.toFixed(0)} ms)`);
    console.log(`        edit → dev-mode run ended: ${median(devRerun).toFixed(0)} ms (each: ${each(devRerun)}; the loop's first run, cold: ${coldDevRun.toFixed(0)} ms)`);
    console.log(`        edit → build + run ended: ${median(buildAndRun).toFixed(0)} ms (each: ${each(buildAndRun)})`);
    console.log(`        dev-mode rerun / build + run: ${ratio.toFixed(2)}× (target ≤ ${TARGET_DEV_RATIO}×)`);
  });
});
