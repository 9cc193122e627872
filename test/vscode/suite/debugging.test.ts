// Debugging the example Actor in the real VS Code with a real Docker engine (docs/debugging.md): a breakpoint set
// through the API in src/main.js, the `actor` configuration started in dev mode, the session stopped at that line
// in the container (the image's command is `npm start --silent`), an expression evaluated there, continue, the run
// SUCCEEDED and the debug session over; F5 with no launch.json through VS Code's debugger picker; then a dev-mode
// edit runs again with no new build.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { DrawnItem, TEST_HOOKS } from '../../../src/extension/testHooks';
import { DOCKER_WAIT_CEILING_MS, pressKey, screenshot, waitFor, workspaceRoot } from './helpers';
import { debuggingSuiteHooks, framePath } from './debugSessions';

describe('Debugging an Actor (real Docker)', function () {
  this.timeout(3 * DOCKER_WAIT_CEILING_MS);
  const root = () => workspaceRoot().fsPath;
  // The example Actor's runs, newest first (the Runs view also lists other Actors' runs, made by other tests).
  const actorRuns = async () => (await vscode.commands.executeCommand<DrawnItem[]>(TEST_HOOKS.runsView))!.filter((item) => item.runId && item.actorRoot === root());
  const main = () => path.join(root(), 'src', 'main.js');
  const stops = debuggingSuiteHooks();

  it('stops at a breakpoint in src/main.js inside the container, evaluates there, continues to SUCCEEDED', async () => {
    const line = fs.readFileSync(main(), 'utf8').split('\n').findIndex((text) => text.startsWith('let count = 0;'));
    await vscode.window.showTextDocument(vscode.Uri.file(main()));
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(vscode.Uri.file(main()), new vscode.Position(line, 0)))]);
    const ended = new Promise<void>((resolve) => {
      const listener = vscode.debug.onDidTerminateDebugSession((session) => session.type === 'actor' && (listener.dispose(), resolve()));
    });
    const started = await vscode.debug.startDebugging(vscode.workspace.workspaceFolders![0], {
      type: 'actor',
      request: 'launch',
      name: 'Debug hello-actor',
      actor: '${workspaceFolder}',
      input: { names: ['Ada', 'Grace'], greeting: 'Hi' },
      devMode: true,
    });
    assert.ok(started, 'the debug session started');
    const stop = await waitFor('the debugger to stop', () => stops.list[0], DOCKER_WAIT_CEILING_MS);
    const trace = await stop.session.customRequest('stackTrace', { threadId: stop.threadId, levels: 1 });
    const frame = trace.stackFrames[0];
    assert.strictEqual(frame.line, line + 1);
    assert.strictEqual(framePath(frame), main(), 'the container path maps to the Actor folder');
    const names = await stop.session.customRequest('evaluate', { expression: 'JSON.stringify({ names, greeting })', frameId: frame.id, context: 'repl' });
    assert.strictEqual(names.result, `'${JSON.stringify({ names: ['Ada', 'Grace'], greeting: 'Hi' })}'`);
    await new Promise((r) => setTimeout(r, 1500));
    await screenshot('debug-stopped-at-breakpoint');
    await stop.session.customRequest('continue', { threadId: stop.threadId });
    await ended;
    const runs = await actorRuns();
    const run = JSON.parse(fs.readFileSync(path.join(root(), '.greenroom', 'runs', `${runs[0].runId}.json`), 'utf8'));
    assert.strictEqual(run.status, 'SUCCEEDED', fs.readFileSync(path.join(root(), '.greenroom', 'runs', `${run.id}.log`), 'utf8'));
    assert.strictEqual(run.greenroom.debug.runtime, 'node');
    assert.strictEqual(run.options.timeoutSecs, 0, 'no timeout while debugging');
    assert.ok(runs[0].description?.includes('dev mode'), `the Runs view says dev mode: ${runs[0].description}`);
  });

  it('F5 with no launch.json: VS Code\'s debugger picker suggests Apify Actor, and choosing it debugs the active editor\'s Actor', async () => {
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await vscode.window.showTextDocument(vscode.Uri.file(main()));
    const started: vscode.DebugSession[] = [];
    const terminated = new Set<string>();
    const listeners = [
      vscode.debug.onDidStartDebugSession((session) => session.type === 'actor' && started.push(session)),
      vscode.debug.onDidTerminateDebugSession((session) => terminated.add(session.id)),
    ];
    try {
      // Keys pressed before the picker opens reach the log terminal, which ignores them (F5 reaches the workbench from there).
      await vscode.commands.executeCommand('workbench.action.terminal.focus');
      await pressKey('F5');
      // The picker's first item, Apify Actor (Suggested), is active once an arrow key moves to it.
      const session = await waitFor('the actor debug session', async () => started[0] ?? (await pressKey('ArrowDown'), await pressKey('Enter'), started[0]), DOCKER_WAIT_CEILING_MS);
      assert.strictEqual(session.configuration.actor, root(), 'the active editor\'s Actor');
      assert.strictEqual(session.configuration.devMode, true);
      await vscode.debug.stopDebugging(session);
      await waitFor('the session to end', () => (terminated.has(session.id) ? true : undefined), DOCKER_WAIT_CEILING_MS);
    } finally {
      listeners.forEach((listener) => listener.dispose());
    }
  });

  it('runs an edit of the source in dev mode with no new build', async () => {
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    const builds = fs.readdirSync(path.join(root(), '.greenroom', 'builds')).filter((f) => f.endsWith('.json')).length;
    fs.writeFileSync(main(), fs.readFileSync(main(), 'utf8').replace('${greeting}, ${name}!', '${greeting}, dear ${name}!'));
    const before = new Set((await actorRuns()).map((item) => item.runId));
    const runId = await vscode.commands.executeCommand<string>('greenroom.debug', { actorRoot: root() }).then(() => waitFor('the new run', async () => {
      return (await actorRuns()).find((item) => !before.has(item.runId))?.runId;
    }));
    await waitFor('the run to end', () => {
      const run = JSON.parse(fs.readFileSync(path.join(root(), '.greenroom', 'runs', `${runId}.json`), 'utf8'));
      return ['SUCCEEDED', 'FAILED', 'ABORTED', 'TIMED-OUT'].includes(run.status) ? run : undefined;
    }, DOCKER_WAIT_CEILING_MS);
    const log = fs.readFileSync(path.join(root(), '.greenroom', 'runs', `${runId}.log`), 'utf8');
    assert.match(log, /Greenroom: dev mode: the source in /);
    const items = fs.readdirSync(path.join(root(), '.greenroom', 'storage', 'datasets'));
    const texts = items.flatMap((id) => fs.readdirSync(path.join(root(), '.greenroom', 'storage', 'datasets', id)).filter((f) => /^\d+\.json$/.test(f)).map((f) => fs.readFileSync(path.join(root(), '.greenroom', 'storage', 'datasets', id, f), 'utf8')));
    assert.ok(texts.some((text) => text.includes('Hi, dear Ada!')), 'the edited line ran');
    assert.strictEqual(fs.readdirSync(path.join(root(), '.greenroom', 'builds')).filter((f) => f.endsWith('.json')).length, builds, 'no new build');
  });
});
