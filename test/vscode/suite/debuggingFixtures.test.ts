// Debugging beyond the example Actor, in the real VS Code with a real Docker engine (docs/debugging.md): an image whose
// command is plain `node main.js` (a run of it, and a debug resurrection of a finished run), a TypeScript Actor whose
// breakpoint is set in its .ts source (the compiled JavaScript and its source map in dist/, as `tsc` writes them),
// and run on save restarting a dev-mode run. The fixture Actors use the real SDK of the base image (its node_modules
// stay visible under dev mode's source binds).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import * as vscode from 'vscode';
import { DOCKER_WAIT_CEILING_MS, makeActor, waitFor, workspaceRoot } from './helpers';
import { RUN_ON_SAVE_DEBOUNCE_MS } from '../../../src/extension/debug/runOnSave';
import { debugConfiguration, debuggingSuiteHooks, debugToBreakpoint, framePath, runIds, runLog, runRecord, waitForRunEnd } from './debugSessions';

/**
 * Writes `VERSION <version>` into the document and saves it as a user would. VS Code's save says only false when it
 * did not save (CI saw that once, under load): it is tried once more, and a second false says what the editor and the
 * disk held.
 */
async function saveVersion(document: vscode.TextDocument, version: string): Promise<void> {
  const at = document.getText().indexOf('VERSION ') + 'VERSION '.length;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(at), document.positionAt(at + 1)), version);
  assert.ok(await vscode.workspace.applyEdit(edit), `the edit to version ${version} applied`);
  if (await document.save()) return;
  await new Promise((resolve) => setTimeout(resolve, 200));
  const onDisk = fs.readFileSync(document.uri.fsPath, 'utf8').match(/VERSION \d/)?.[0];
  assert.ok(!document.isDirty || (await document.save()), `saved version ${version} (saved twice; dirty: ${document.isDirty}, on disk: ${onDisk})`);
}

const lineOf = (file: string, start: string) => fs.readFileSync(file, 'utf8').split('\n').findIndex((text) => text.trimStart().startsWith(start));

/** An Actor whose image's command is plain `node main.js` (exec form), with the SDK. */
async function makePlainNodeActor(): Promise<{ root: string; main: string }> {
  const root = path.join(workspaceRoot().fsPath, 'plain-node');
  await makeActor(root, 'FROM apify/actor-node:20\nCOPY . ./\nCMD ["node", "main.js"]\n', {
    'main.js': [
      "const { Actor } = require('apify');",
      '(async () => {',
      '  await Actor.init();',
      '  const input = (await Actor.getInput()) ?? {};',
      "  const message = 'plain node got ' + input.word;",
      '  console.log(message);',
      '  await Actor.exit();',
      '})();',
      '',
    ].join('\n'),
  });
  return { root, main: path.join(root, 'main.js') };
}

describe('Debugging: plain node, resurrection, TypeScript, run on save (real Docker)', function () {
  this.timeout(3 * DOCKER_WAIT_CEILING_MS);
  const stops = debuggingSuiteHooks();

  it('stops at a breakpoint of an image whose command is `node main.js` (not npm start), outside dev mode', async () => {
    const { root, main } = await makePlainNodeActor();
    const { stop, frame, ended } = await debugToBreakpoint(stops, debugConfiguration({ actor: root, input: { word: 'bird' }, devMode: false }), main, lineOf(main, 'console.log(message)'));
    assert.strictEqual(frame.line, lineOf(main, 'console.log(message)') + 1);
    assert.strictEqual(framePath(frame), main, 'the container path maps to the Actor folder');
    const message = await stop.session.customRequest('evaluate', { expression: 'message', frameId: frame.id, context: 'repl' });
    assert.strictEqual(message.result, "'plain node got bird'");
    await stop.session.customRequest('continue', { threadId: stop.threadId });
    await ended;
    const [runId] = runIds(root).slice(-1);
    const run = runRecord(root, runId);
    assert.strictEqual(run.status, 'SUCCEEDED', runLog(root, runId));
    assert.strictEqual(run.greenroom.devMode, undefined, 'not in dev mode');
    assert.match(runLog(root, runId), /plain node got bird/);
  });

  it('debugs a resurrection of a finished run on its storages (Actor: Debug on the run\'s row)', async () => {
    const { root, main } = await makePlainNodeActor();
    const runId = await vscode.commands.executeCommand<string>('greenroom.run', { actorRoot: root, input: { word: 'again' } });
    assert.strictEqual(await waitForRunEnd(root, runId), 'SUCCEEDED', runLog(root, runId));
    const line = lineOf(main, 'console.log(message)');
    const { stop, frame, ended } = await debugToBreakpoint(stops, () => vscode.commands.executeCommand<boolean>('greenroom.debug', { actorRoot: root, runId }), main, line);
    assert.strictEqual(frame.line, line + 1);
    const message = await stop.session.customRequest('evaluate', { expression: 'message', frameId: frame.id, context: 'repl' });
    assert.strictEqual(message.result, "'plain node got again'", 'the run\'s own input, from its storages');
    await stop.session.customRequest('continue', { threadId: stop.threadId });
    await ended;
    const run = runRecord(root, runId);
    assert.strictEqual(run.status, 'SUCCEEDED', runLog(root, runId));
    assert.strictEqual(run.stats.resurrectCount, 1);
    assert.strictEqual(run.greenroom.debug?.runtime, 'node');
    assert.deepStrictEqual(runIds(root).slice(-1), [runId], 'the same run, no new one');
  });

  it('stops at a breakpoint set in the TypeScript source, through the compiled output\'s source map', async () => {
    const root = path.join(workspaceRoot().fsPath, 'ts-actor');
    const source = path.join(root, 'src', 'main.ts');
    await makeActor(root, 'FROM apify/actor-node:20\nCOPY . ./\nCMD npm start --silent\n', {
      'package.json': JSON.stringify({ name: 'ts-actor', private: true, scripts: { start: 'node dist/main.js' } }),
      'src/main.ts': [
        "import { Actor } from 'apify';",
        '',
        '/** What the Actor is given: erased from the JavaScript, so that its lines are not the TypeScript\'s. */',
        'interface Input {',
        '  name?: string;',
        '  times?: number;',
        '}',
        '',
        'function greet(input: Input): string {',
        "  const greeting: string = 'Hello, ' + (input.name ?? 'nobody') + ' from TypeScript';",
        '  return greeting;',
        '}',
        '',
        '(async () => {',
        '  await Actor.init();',
        '  const input = ((await Actor.getInput()) ?? {}) as Input;',
        '  console.log(greet(input));',
        '  await Actor.exit();',
        '})();',
        '',
      ].join('\n'),
    });
    // No TypeScript in the offline base image: compiled here, as a local `tsc` would (dist/main.js + main.js.map).
    const emitted = ts.createProgram([source], { outDir: path.join(root, 'dist'), rootDir: path.join(root, 'src'), sourceMap: true, module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, noResolve: true, types: [] }).emit();
    assert.ok(!emitted.emitSkipped && fs.existsSync(path.join(root, 'dist', 'main.js.map')), 'tsc wrote dist/main.js and its map');
    const line = lineOf(source, 'const greeting');
    assert.notStrictEqual(lineOf(path.join(root, 'dist', 'main.js'), 'const greeting'), line, 'the compiled line differs from the source line');
    const { stop, frame, ended } = await debugToBreakpoint(stops, debugConfiguration({ actor: root, input: { name: 'Ada' }, devMode: true }), source, line);
    assert.strictEqual(framePath(frame), source, 'the session stopped in the .ts file');
    assert.strictEqual(frame.line, line + 1);
    const name = await stop.session.customRequest('evaluate', { expression: 'input.name', frameId: frame.id, context: 'repl' });
    assert.strictEqual(name.result, "'Ada'");
    await stop.session.customRequest('continue', { threadId: stop.threadId });
    await ended;
    const [runId] = runIds(root).slice(-1);
    assert.strictEqual(runRecord(root, runId).status, 'SUCCEEDED', runLog(root, runId));
    assert.match(runLog(root, runId), /Hello, Ada from TypeScript/);
  });

  it('run on save: saving a source file aborts the running dev-mode run gracefully and starts one with the same input, once for saves close together', async () => {
    const root = path.join(workspaceRoot().fsPath, 'on-save');
    const main = path.join(root, 'main.js');
    await makeActor(root, 'FROM apify/actor-node:20\nCOPY . ./\nCMD ["node", "main.js"]\n', {
      'main.js': [
        "const { Actor } = require('apify');",
        '(async () => {',
        '  await Actor.init();',
        // The SDK's own handler exits (Actor.exit() in a handler of ours would wait for itself).
        "  Actor.on('aborting', () => console.log('ABORTING HANDLED'));",
        "  console.log('VERSION 1 got ' + JSON.stringify(await Actor.getInput()));",
        '  for (;;) await new Promise((resolve) => setTimeout(resolve, 1000));',
        '})();',
        '',
      ].join('\n'),
    });
    const config = vscode.workspace.getConfiguration('greenroom');
    assert.strictEqual(await vscode.commands.executeCommand('greenroom.toggleRunOnSave', { actorRoot: root }), true, 'run on save is on');
    let on = true;
    try {
      await config.update('run.devMode', true, vscode.ConfigurationTarget.Workspace);
      const first = await vscode.commands.executeCommand<string>('greenroom.run', { actorRoot: root, input: { tag: 'A' } });
      await waitFor('the first run to start the Actor', () => (/VERSION 1 got \{"tag":"A"\}/.test(runLog(root, first)) ? true : undefined), DOCKER_WAIT_CEILING_MS);
      assert.strictEqual(runRecord(root, first).greenroom.devMode, true);

      // Two saves well within the debounce: one restart, of the last version.
      const document = await vscode.workspace.openTextDocument(main);
      for (const version of ['2', '3']) await saveVersion(document, version);
      const second = await waitFor('a new run', () => runIds(root).find((id) => id !== first), DOCKER_WAIT_CEILING_MS);
      assert.strictEqual(await waitForRunEnd(root, first), 'ABORTED');
      assert.match(runLog(root, first), /ABORTING HANDLED/, 'the first run was aborted gracefully (its aborting handler ran)');
      await waitFor('the new run to start the Actor', () => (/VERSION 3 got/.test(runLog(root, second)) ? true : undefined), DOCKER_WAIT_CEILING_MS);
      assert.match(runLog(root, second), /VERSION 3 got \{"tag":"A"\}/, 'the same input');
      assert.strictEqual(runRecord(root, second).greenroom.devMode, true);
      assert.deepStrictEqual(runIds(root), [first, second], 'one restart for the two saves');

      assert.strictEqual(await vscode.commands.executeCommand('greenroom.toggleRunOnSave', { actorRoot: root }), false, 'run on save is off');
      on = false;
      await saveVersion(document, '4');
      // A restart would have begun aborting the run by now.
      await new Promise((resolve) => setTimeout(resolve, 3 * RUN_ON_SAVE_DEBOUNCE_MS));
      assert.strictEqual(runRecord(root, second).status, 'RUNNING', 'no restart once run on save is off');
      assert.doesNotMatch(runLog(root, second), /ABORTING HANDLED/);
      await vscode.commands.executeCommand('greenroom.abort', { actorRoot: root, runId: second });
      assert.strictEqual(await waitForRunEnd(root, second), 'ABORTED');
      assert.deepStrictEqual(runIds(root), [first, second]);
    } finally {
      await config.update('run.devMode', undefined, vscode.ConfigurationTarget.Workspace);
      if (on) await vscode.commands.executeCommand('greenroom.toggleRunOnSave', { actorRoot: root });
      // A failure above must not leave the Actor's endless runs going under the tests after this one.
      for (const id of runIds(root)) if (runRecord(root, id).status === 'RUNNING') await vscode.commands.executeCommand('greenroom.abortImmediately', { actorRoot: root, runId: id });
    }
  });
});
