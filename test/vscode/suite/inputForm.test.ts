// The input form in the real VS Code: opened by its command, driven through the webview's own controls (the test
// hook posts messages the page handles exactly as it handles a person's typing and clicks), checked on disk.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FormSnapshot, TestAction } from '../../../src/webviewProtocols/inputForm';
import { SCRIPT_PROBE_GLOBAL } from '../../../src/webviewProtocols/inputForm';
import { TEST_HOOKS, type DrawnItem } from '../../../src/extension/testHooks';
import { applyInputDefaults, validateInput } from '../../../src/validator';
import { runRecord } from './debugSessions';
import { DOCKER_WAIT_CEILING_MS, EXTENSION_ID, WAIT_CEILING_MS, activateExtension, pressKey, screenshot, waitFor, waitUntil, workspaceRoot } from './helpers';

const SECRET = 'TOPSECRET-7d1c9e';

/** Acts on the Actor's input form, or on the form of its task `taskName`. */
function hook<T>(actorRoot: string, action: TestAction, taskName?: string): Promise<T> {
  return Promise.resolve(vscode.commands.executeCommand<T>(TEST_HOOKS.inputForm, actorRoot, action, taskName));
}

/** Opens the form and waits until every field is drawn. */
async function openForm(actorRoot: string): Promise<FormSnapshot> {
  await vscode.commands.executeCommand('greenroom.openInputForm', actorRoot);
  return waitFor(`the input form of ${path.basename(actorRoot)}`, async () => {
    const snapshot = await hook<FormSnapshot>(actorRoot, { kind: 'snapshot' }).catch(() => undefined);
    return snapshot?.complete && snapshot.renderedKeys.length > 0 ? snapshot : undefined;
  });
}

/** Polls the form until `test` holds for its snapshot; gives up with the last snapshot (status, errors, input). */
async function snapshotWhen(actorRoot: string, what: string, test: (snapshot: FormSnapshot) => boolean, ceilingMs?: number): Promise<FormSnapshot> {
  const read = () => hook<FormSnapshot>(actorRoot, { kind: 'snapshot' }).catch((error: Error) => error);
  const snapshot = await waitUntil(what, read, (s) => !(s instanceof Error) && test(s), ceilingMs);
  return snapshot as FormSnapshot;
}

/** The example's INPUT.json document, when VS Code has it open. */
function inputDocument(): vscode.TextDocument | undefined {
  const file = path.join(workspaceRoot().fsPath, 'storage', 'key_value_stores', 'default', 'INPUT.json');
  return vscode.workspace.textDocuments.find((document) => document.uri.fsPath === file);
}

/** Drops the form's unsaved edits (VS Code's Revert File, with the form active). */
async function revertInputJson(): Promise<void> {
  if (!inputDocument()?.isDirty) return;
  await vscode.commands.executeCommand('greenroom.openInputForm', workspaceRoot().fsPath);
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await waitFor('INPUT.json to be reverted', () => (inputDocument()?.isDirty ? undefined : true));
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

async function waitForFile(file: string, test: (text: string) => boolean): Promise<string> {
  return waitFor(`${path.basename(file)} to be written`, () => {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    return test(text) ? text : undefined;
  });
}

async function setTheme(theme: string): Promise<void> {
  await vscode.workspace.getConfiguration('workbench').update('colorTheme', theme, vscode.ConfigurationTarget.Global);
  await new Promise((resolve) => setTimeout(resolve, 1500));
}

/** Every file under `dir` whose bytes contain `text`. */
function filesContaining(dir: string, text: string): string[] {
  const hits: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') hits.push(...filesContaining(file, text));
    } else if (entry.isFile() && fs.readFileSync(file).includes(text)) hits.push(file);
  }
  return hits;
}

describe('input form', function () {
  let exampleRoot: string;
  let inputJson: string;

  before(async () => {
    await activateExtension();
    exampleRoot = workspaceRoot().fsPath;
    inputJson = path.join(exampleRoot, 'storage', 'key_value_stores', 'default', 'INPUT.json');
    // The example's schema and INPUT.json as shipped, whatever earlier tests did to the workspace copy.
    const shipped = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'examples', 'hello-actor');
    for (const file of [path.join('.actor', 'input_schema.json'), path.join('storage', 'key_value_stores', 'default', 'INPUT.json')]) {
      fs.copyFileSync(path.join(shipped, file), path.join(exampleRoot, file));
    }
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  describe('as the editor of INPUT.json', () => {
    // Dirty and saved states are the point here: no auto save behind the test's back.
    let autoSave: string | undefined;
    before(async () => {
      const files = vscode.workspace.getConfiguration('files');
      autoSave = files.inspect<string>('autoSave')?.globalValue;
      await files.update('autoSave', 'off', vscode.ConfigurationTarget.Global);
      await openForm(exampleRoot);
    });
    after(async () => {
      await revertInputJson();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.getConfiguration('files').update('autoSave', autoSave, vscode.ConfigurationTarget.Global);
      fs.copyFileSync(path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'examples', 'hello-actor', 'storage', 'key_value_stores', 'default', 'INPUT.json'), inputJson);
    });
    it('is a text editor of INPUT.json: an edit makes the document dirty, changing only the edited value\'s text', async () => {
      await revertInputJson();
      const original = '{\n  "names": [ "Ada",  "Linus" ],\n  "greeting":"Hi",\n  "repeat" : 2\n}\n';
      fs.writeFileSync(inputJson, original);
      // The document follows the disk, and the form the document.
      await waitFor('the document to follow INPUT.json', () => (inputDocument()?.getText() === original ? true : undefined));
      await snapshotWhen(exampleRoot, 'the form to follow the document', (s) => JSON.stringify(s.input.names) === '["Ada","Linus"]');
      await hook(exampleRoot, { kind: 'setField', key: 'repeat', value: 5 });
      const document = await waitFor('the document to become dirty', () => {
        const open = inputDocument();
        return open?.isDirty ? open : undefined;
      });
      assert.strictEqual(await waitFor('the edit in the document', () => (document.getText().includes('5') ? document.getText() : undefined)), original.replace('"repeat" : 2', '"repeat" : 5'));
      assert.strictEqual(fs.readFileSync(inputJson, 'utf8'), original, 'the file changed before Save');
    });

    it('undo (VS Code\'s own, on the document) shows the old value in the form', async () => {
      await vscode.commands.executeCommand('greenroom.openInputForm', exampleRoot);
      await vscode.commands.executeCommand('undo');
      await snapshotWhen(exampleRoot, 'the form to show the value before the edit', (s) => s.input.repeat === 2);
      assert.ok(!inputDocument()!.isDirty, 'undoing the only edit left the document dirty');
      await vscode.commands.executeCommand('redo');
      await snapshotWhen(exampleRoot, 'the form to show the redone value', (s) => s.input.repeat === 5);
    });

    it('Ctrl+S saves the document: the file changes only in the edited value', async () => {
      const original = fs.readFileSync(inputJson, 'utf8');
      await vscode.commands.executeCommand('greenroom.openInputForm', exampleRoot);
      await pressKey('Control+s');
      const text = await waitForFile(inputJson, (t) => t !== original);
      assert.strictEqual(text, original.replace('"repeat" : 2', '"repeat" : 5'));
      await waitFor('the document to be saved', () => (inputDocument()!.isDirty ? undefined : true));
    });

    it('reopens as text (VS Code\'s Reopen Editor with Text Editor) and as the form again', async () => {
      await vscode.commands.executeCommand('greenroom.openInputForm', exampleRoot);
      await hook(exampleRoot, { kind: 'setField', key: 'greeting', value: 'Hello there' });
      await waitFor('the edit in the document', () => (inputDocument()?.getText().includes('Hello there') ? true : undefined));
      await pressKey('Control+s');
      await waitForFile(inputJson, (t) => t.includes('"greeting":"Hello there"'));
      await vscode.commands.executeCommand('workbench.action.reopenTextEditor');
      const editor = await waitFor('a text editor of INPUT.json', () => {
        const active = vscode.window.activeTextEditor;
        return active?.document.uri.fsPath === inputJson ? active : undefined;
      });
      assert.ok(editor.document.getText().includes('"greeting":"Hello there"'), editor.document.getText());
      await vscode.commands.executeCommand('greenroom.openInputForm', exampleRoot);
      await snapshotWhen(exampleRoot, 'the form again', (s) => s.complete && s.input.greeting === 'Hello there');
    });

    it('the JSON tab edits the whole input through the document (dirty, undo, Ctrl+S); the form shows its values', async () => {
      await vscode.commands.executeCommand('greenroom.openInputForm', exampleRoot);
      const before = inputDocument()!.getText();
      assert.ok(await hook(exampleRoot, { kind: 'showTab', tab: 'json' }));
      const shown = await snapshotWhen(exampleRoot, 'the JSON tab', (s) => s.tab === 'json' && s.jsonText !== '');
      assert.deepStrictEqual(JSON.parse(shown.jsonText), JSON.parse(before));
      // A schema field changed and a key the schema does not know added: the JSON tab owns every key.
      const edited = { ...JSON.parse(shown.jsonText), repeat: 7, mine: { keep: true } };
      await hook(exampleRoot, { kind: 'typeJson', text: JSON.stringify(edited, null, 2) });
      const document = inputDocument()!;
      const text = await waitFor('the JSON edit in the document', () => (document.isDirty && document.getText().includes('"mine"') ? document.getText() : undefined));
      assert.deepStrictEqual(JSON.parse(text), edited);
      // Written as form edits are: the untouched values keep their text.
      assert.strictEqual(text, before.replace('"repeat" : 5', '"repeat" : 7').replace(/\n}\n$/, ',\n  "mine": {\n    "keep": true\n  }\n}\n'));
      await hook(exampleRoot, { kind: 'showTab', tab: 'form' });
      const form = await snapshotWhen(exampleRoot, 'the form with the JSON tab\'s values', (s) => s.tab === 'form' && s.input.repeat === 7);
      assert.deepStrictEqual(form.input.mine, { keep: true });

      await vscode.commands.executeCommand('undo');
      await snapshotWhen(exampleRoot, 'the form after undo', (s) => s.input.repeat === 5 && s.input.mine === undefined);
      assert.ok(!document.isDirty, 'undoing the only edit left the document dirty');
      await vscode.commands.executeCommand('redo');
      await hook(exampleRoot, { kind: 'showTab', tab: 'json' });
      await snapshotWhen(exampleRoot, 'the JSON tab to show the redone edit', (s) => s.jsonText === JSON.stringify(edited, null, 2));
      await pressKey('Control+s');
      await waitForFile(inputJson, (t) => t === text);
      await hook(exampleRoot, { kind: 'showTab', tab: 'form' });
    });

    it('JSON that does not parse shows its problem in the JSON tab, keeps the text and leaves the document alone', async () => {
      await vscode.commands.executeCommand('greenroom.openInputForm', exampleRoot);
      const document = inputDocument()!;
      const before = document.getText();
      await hook(exampleRoot, { kind: 'showTab', tab: 'json' });
      const broken = '{\n  "repeat": 8,\n  "names": ["Ada"\n}';
      await hook(exampleRoot, { kind: 'typeJson', text: broken });
      const shown = await snapshotWhen(exampleRoot, 'the JSON error', (s) => s.jsonError !== '');
      assert.match(shown.jsonError, /^Not valid JSON: .+\. Nothing is applied until it parses/);
      await hook(exampleRoot, { kind: 'click', control: 'save' });
      await snapshotWhen(exampleRoot, 'Save refused', (s) => s.status.startsWith('Fix the JSON first'));
      assert.strictEqual(document.getText(), before);
      assert.ok(!document.isDirty, 'the document changed');
      // The form keeps the last valid input; back in the JSON tab the text is still there, with its error.
      await hook(exampleRoot, { kind: 'showTab', tab: 'form' });
      assert.strictEqual((await snapshotWhen(exampleRoot, 'the form tab', (s) => s.tab === 'form')).input.repeat, 7);
      await hook(exampleRoot, { kind: 'showTab', tab: 'json' });
      const again = await snapshotWhen(exampleRoot, 'the JSON tab again', (s) => s.tab === 'json');
      assert.deepStrictEqual({ text: again.jsonText, error: again.jsonError }, { text: broken, error: shown.jsonError });
      // Fixed, it applies.
      await hook(exampleRoot, { kind: 'typeJson', text: broken.replace('"Ada"', '"Ada"]') });
      await waitFor('the fixed JSON in the document', () => (document.getText().includes('"repeat" : 8') ? true : undefined));
      await snapshotWhen(exampleRoot, 'the error to go', (s) => s.jsonError === '');
      await hook(exampleRoot, { kind: 'showTab', tab: 'form' });
    });
  });

  describe('the example Actor', () => {
    it('shows every field in order, its section, the required marker and the saved INPUT.json values', async () => {
      const snapshot = await openForm(exampleRoot);
      assert.deepStrictEqual(snapshot.renderedKeys, ['names', 'greeting', 'signature', 'repeat', 'shout', 'notBefore', 'extra']);
      assert.deepStrictEqual(snapshot.sectionCaptions, ['Advanced']);
      assert.deepStrictEqual(snapshot.requiredKeys, ['names']);
      assert.deepStrictEqual(snapshot.input.names, ['Ada', 'Linus', 'Grace']);
      assert.strictEqual(snapshot.input.repeat, 2);
    });

    it('validates field by field with the runner\'s own messages', async () => {
      await hook(exampleRoot, { kind: 'setField', key: 'repeat', value: 99 });
      const snapshot = await snapshotWhen(exampleRoot, 'an error under Repeat', (s) => !!s.errors.repeat);
      const schema = readJson(path.join(exampleRoot, '.actor', 'input_schema.json'));
      const runner = validateInput(schema, applyInputDefaults(schema, snapshot.input));
      assert.strictEqual(snapshot.errors.repeat, runner.find((problem) => problem.field === 'repeat')?.message);
      assert.deepStrictEqual(Object.keys(snapshot.errors), ['repeat'], 'only the edited field shows its problem');
      await hook(exampleRoot, { kind: 'setField', key: 'repeat', value: 3 });
      await snapshotWhen(exampleRoot, 'the error under Repeat to go', (s) => !s.errors.repeat);
    });

    it('saves the form into INPUT.json, keeping keys the schema does not know', async () => {
      // The edits above left the document dirty; a dirty document does not follow the disk.
      await revertInputJson();
      fs.writeFileSync(inputJson, '{\n    "names": ["Ada", "Linus", "Grace"],\n    "mine": {"keep": true},\n    "repeat": 2\n}\n');
      await snapshotWhen(exampleRoot, 'the form to follow INPUT.json', (s) => s.input.repeat === 2 && s.input.greeting === undefined);
      await hook(exampleRoot, { kind: 'setField', key: 'signature', value: 'Cheers' });
      await hook(exampleRoot, { kind: 'setField', key: 'repeat', value: 4 });
      await hook(exampleRoot, { kind: 'setField', key: 'shout', value: true });
      await hook(exampleRoot, { kind: 'click', control: 'save' });
      const text = await waitForFile(inputJson, (t) => t.includes('Cheers'));
      assert.deepStrictEqual(JSON.parse(text), { names: ['Ada', 'Linus', 'Grace'], mine: { keep: true }, repeat: 4, signature: 'Cheers', shout: true });
      assert.ok(text.includes('"mine": {"keep": true}'), 'the unknown key was reformatted');
      await snapshotWhen(exampleRoot, 'the saved status', (s) => s.status.startsWith('Saved to'));
      await screenshot('input-form-example-saved');
    });

    it('follows edits of INPUT.json and of the input schema, keeping entered values', async () => {
      const edited = { ...readJson(inputJson), signature: 'Edited elsewhere' };
      fs.writeFileSync(inputJson, JSON.stringify(edited, null, 4));
      await snapshotWhen(exampleRoot, 'the form to show the edited INPUT.json', (s) => s.input.signature === 'Edited elsewhere');

      const schemaFile = path.join(exampleRoot, '.actor', 'input_schema.json');
      const schema = readJson(schemaFile) as { properties: Record<string, unknown> };
      schema.properties.farewell = { title: 'Farewell', type: 'string', description: 'Added while the form is open.', editor: 'textfield' };
      fs.writeFileSync(schemaFile, JSON.stringify(schema, null, 4));
      const snapshot = await snapshotWhen(exampleRoot, 'the new field', (s) => s.renderedKeys.includes('farewell'));
      assert.strictEqual(snapshot.input.signature, 'Edited elsewhere');
    });

    it('keeps unsaved values when the panel is hidden and shown again', async () => {
      await hook(exampleRoot, { kind: 'setField', key: 'signature', value: 'Not saved yet' });
      await vscode.window.showTextDocument(vscode.Uri.file(path.join(exampleRoot, 'README.md')), { viewColumn: vscode.ViewColumn.Active });
      await vscode.commands.executeCommand('greenroom.openInputForm', exampleRoot);
      await snapshotWhen(exampleRoot, 'the unsaved value after showing the form again', (s) => s.complete && s.input.signature === 'Not saved yet');
    });

    it('refuses a run whose timeout is not a whole number of seconds', async () => {
      assert.ok(await hook(exampleRoot, { kind: 'setRunOption', option: 'timeoutSecs', value: '1.5' }));
      await hook(exampleRoot, { kind: 'click', control: 'run' });
      await snapshotWhen(exampleRoot, 'the refusal', (s) => s.status === 'Not started: the timeout must be a whole number of seconds (0 for none), not 1.5.');
    });

    it('runs with this input and the run options beside Run (memory within actor.json\'s range, timeout)', async () => {
      // The example's actor.json allows 128–1024 MB: the memory list offers the powers of two in between.
      const { memoryOptions } = await hook<FormSnapshot>(exampleRoot, { kind: 'snapshot' });
      assert.deepStrictEqual(memoryOptions, ['default memory', '128 MB', '256 MB', '512 MB', '1024 MB']);
      assert.ok(await hook(exampleRoot, { kind: 'setRunOption', option: 'memoryMbytes', value: '256' }));
      assert.ok(await hook(exampleRoot, { kind: 'setRunOption', option: 'timeoutSecs', value: '120' }));
      await hook(exampleRoot, { kind: 'click', control: 'run' });
      // The run may first need a build of the example Actor (an npm install in Docker).
      const snapshot = await snapshotWhen(exampleRoot, 'the run status', (s) => /^Run |^The run did not start|^Not started: the input/.test(s.status), DOCKER_WAIT_CEILING_MS);
      const runId = /^Run (\S+) started/.exec(snapshot.status)?.[1];
      assert.ok(runId, snapshot.status);
      const record = runRecord(exampleRoot, runId) as unknown as { options: { memoryMbytes: number; timeoutSecs: number } };
      assert.deepStrictEqual({ memoryMbytes: record.options.memoryMbytes, timeoutSecs: record.options.timeoutSecs }, { memoryMbytes: 256, timeoutSecs: 120 });
    }).timeout(DOCKER_WAIT_CEILING_MS + WAIT_CEILING_MS);

    it('looks right in the light and the dark theme', async () => {
      await vscode.commands.executeCommand('greenroom.openInputForm', exampleRoot);
      await setTheme('Default Light Modern');
      await screenshot('input-form-light');
      await setTheme('Default Dark Modern');
      await screenshot('input-form-dark');
    });
  });

  describe("as the editor of a task's input", () => {
    const TASK = 'greet-ada';
    // The other task's odd spacing must survive a save of this one.
    const OTHER = '  "other":   { "input": {"names": ["Linus"]} }\n}\n';
    const written = `{\n  "${TASK}": {\n    "title": "Greet Ada",\n    "input": { "names": ["Ada"], "greeting": "Hi" },\n    "options": { "timeoutSecs": 120 }\n  },\n${OTHER}`;
    let tasksJson: string;
    let autoSave: string | undefined;
    const taskHook = <T>(action: TestAction) => hook<T>(exampleRoot, action, TASK);
    const taskForm = (what: string, test: (snapshot: FormSnapshot) => boolean, ceilingMs?: number) =>
      waitUntil(what, () => taskHook<FormSnapshot>({ kind: 'snapshot' }).catch((error: Error) => error), (s) => !(s instanceof Error) && test(s), ceilingMs) as Promise<FormSnapshot>;
    const taskDocument = () => vscode.workspace.textDocuments.find((document) => document.uri.scheme === 'greenroom-task-input');

    before(async () => {
      const files = vscode.workspace.getConfiguration('files');
      autoSave = files.inspect<string>('autoSave')?.globalValue;
      await files.update('autoSave', 'off', vscode.ConfigurationTarget.Global);
      tasksJson = path.join(exampleRoot, '.actor', 'tasks.json');
      fs.writeFileSync(tasksJson, written);
    });
    after(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.getConfiguration('files').update('autoSave', autoSave, vscode.ConfigurationTarget.Global);
      fs.rmSync(tasksJson, { force: true });
    });

    it("opens from the task's row and saves (Ctrl+S) only that task's input into tasks.json", async () => {
      const row = await waitUntil('the task in the Tasks view', () => Promise.resolve(vscode.commands.executeCommand<DrawnItem[]>(TEST_HOOKS.tasksView)), (items) => !!items?.some((item) => item.label === TASK));
      assert.strictEqual(row.find((item) => item.label === TASK)!.command, 'greenroom.editTaskInput', "the row's click edits the task's input");
      await vscode.commands.executeCommand('greenroom.editTaskInput', { actorRoot: exampleRoot, taskName: TASK });
      const opened = await taskForm("the task's form", (s) => s.complete && s.renderedKeys.length > 0);
      assert.deepStrictEqual(opened.input, { names: ['Ada'], greeting: 'Hi' });
      assert.strictEqual(opened.editing, `The input of task ${TASK} (.actor/tasks.json): Save writes it there, Run runs the task.`);
      assert.strictEqual(vscode.window.tabGroups.activeTabGroup.activeTab?.label, `${TASK}.json`);

      await taskHook({ kind: 'setField', key: 'greeting', value: 'Ahoy' });
      await waitFor('the task input to be dirty', () => (taskDocument()?.isDirty ? true : undefined));
      assert.strictEqual(fs.readFileSync(tasksJson, 'utf8'), written, 'nothing is written before a save');
      await screenshot('input-form-task');
      await pressKey('Control+s');
      const saved = await waitForFile(tasksJson, (text) => text.includes('Ahoy'));
      assert.deepStrictEqual(JSON.parse(saved)[TASK], { title: 'Greet Ada', input: { names: ['Ada'], greeting: 'Ahoy' }, options: { timeoutSecs: 120 } });
      assert.ok(saved.endsWith(OTHER), `the other task keeps its text: ${saved}`);
      await waitFor('the task input to be saved', () => (taskDocument()?.isDirty ? undefined : true));
    });

    it('follows the task when tasks.json changes on disk', async () => {
      const changed = JSON.parse(fs.readFileSync(tasksJson, 'utf8'));
      changed[TASK].input.greeting = 'Hello';
      fs.writeFileSync(tasksJson, JSON.stringify(changed, null, 2));
      await taskForm('the form to show the new greeting', (s) => s.input.greeting === 'Hello');
    });

    it('a save into a tasks.json that no longer parses is refused and loses nothing: the file stays, the edit stays unsaved', async () => {
      const good = fs.readFileSync(tasksJson, 'utf8');
      await taskHook({ kind: 'setField', key: 'signature', value: 'kept' });
      await waitFor('the task input to be dirty', () => (taskDocument()?.isDirty ? true : undefined));
      fs.writeFileSync(tasksJson, '{ "greet-ada": ');
      await taskHook({ kind: 'click', control: 'save' });
      const refused = await taskForm('the refusal', (s) => s.status.startsWith('Not saved:'));
      assert.match(refused.status, /tasks\.json: not valid JSON/);
      assert.strictEqual(fs.readFileSync(tasksJson, 'utf8'), '{ "greet-ada": ');
      assert.strictEqual(taskDocument()?.isDirty, true, 'the edit is still there to save');
      // VS Code's own save (Ctrl+S) reaches the file system provider, which refuses the same way.
      await pressKey('Control+s');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.strictEqual(fs.readFileSync(tasksJson, 'utf8'), '{ "greet-ada": ');
      assert.strictEqual(taskDocument()?.isDirty, true, 'still unsaved after Ctrl+S');
      fs.writeFileSync(tasksJson, good);
      await taskHook({ kind: 'click', control: 'save' });
      await waitForFile(tasksJson, (text) => JSON.parse(text)[TASK].input.signature === 'kept');
    });

    it("runs the task with the input the form shows (unsaved edits too) and the task's options", async () => {
      const { timeoutPlaceholder } = await taskHook<FormSnapshot>({ kind: 'snapshot' });
      assert.strictEqual(timeoutPlaceholder, '120 s', "an empty timeout means the task's");
      await taskHook({ kind: 'setField', key: 'signature', value: 'from the task form' });
      await taskHook({ kind: 'click', control: 'run' });
      const snapshot = await taskForm('the run status', (s) => /^Run |^The run did not start|^Not started/.test(s.status), DOCKER_WAIT_CEILING_MS);
      const runId = /^Run (\S+) started/.exec(snapshot.status)?.[1];
      assert.ok(runId, snapshot.status);
      const record = runRecord(exampleRoot, runId) as unknown as { options: { timeoutSecs: number }; defaultKeyValueStoreId: string; greenroom: { taskName?: string; storageDir: string } };
      assert.strictEqual(record.greenroom.taskName, TASK);
      assert.strictEqual(record.options.timeoutSecs, 120);
      const input = readJson(path.join(record.greenroom.storageDir, 'key_value_stores', record.defaultKeyValueStoreId, 'INPUT.json'));
      // The run's input has the schema's defaults applied, as on the platform.
      assert.deepStrictEqual({ names: input.names, greeting: input.greeting, signature: input.signature }, { names: ['Ada'], greeting: 'Hello', signature: 'from the task form' });
    }).timeout(DOCKER_WAIT_CEILING_MS + WAIT_CEILING_MS);
  });

  describe('a schema with every editor', () => {
    let actorRoot: string;
    let actorInputJson: string;

    before(() => {
      const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
      const schema = JSON.parse(fs.readFileSync(path.join(extension.extensionPath, 'test', 'unit', 'form', 'fixtures', 'every-editor.input_schema.json'), 'utf8'));
      // An XSS probe: markup that would set the probe global if anything in a description could run.
      const probe = `window.${SCRIPT_PROBE_GLOBAL}=true`;
      schema.properties.notes.description = `Probe <img src=x onerror="${probe}"><script>${probe}</script><a href="javascript:${probe}">link</a><iframe srcdoc="<script>${probe}</script>"></iframe>`;
      actorRoot = path.join(exampleRoot, 'every-editor-actor');
      fs.mkdirSync(path.join(actorRoot, '.actor'), { recursive: true });
      fs.writeFileSync(path.join(actorRoot, '.actor', 'actor.json'), JSON.stringify({ actorSpecification: 1, name: 'every-editor', version: '0.0', input: './input_schema.json' }, null, 4));
      fs.writeFileSync(path.join(actorRoot, '.actor', 'input_schema.json'), JSON.stringify(schema, null, 4));
      actorInputJson = path.join(actorRoot, 'storage', 'key_value_stores', 'default', 'INPUT.json');
    });

    it('draws every editor but hidden, prefilled', async () => {
      const snapshot = await openForm(actorRoot);
      assert.ok(!snapshot.renderedKeys.includes('internalId'), 'a hidden field is shown');
      assert.strictEqual(snapshot.renderedKeys.length, 27);
      assert.deepStrictEqual(snapshot.sectionCaptions, ['Limits', 'Data', 'Storages and secrets']);
      // `user` is required inside the login sub-form.
      assert.deepStrictEqual(snapshot.requiredKeys, ['query', 'startUrls', 'user']);
      assert.strictEqual(snapshot.input.query, 'apify');
      assert.strictEqual(snapshot.input.window, '7 days');
      await screenshot('input-form-every-editor');
    });

    it('runs nothing from a description', async () => {
      const probe = await hook<{ ran: boolean; dangerousNodes: number }>(actorRoot, { kind: 'probeScript' });
      assert.deepStrictEqual(probe, { ran: false, dangerousNodes: 0 });
    });

    it('saves what was filled in through the page; a secret never reaches the disk', async () => {
      const values: Record<string, unknown> = {
        notes: 'two\nlines',
        maxPages: 50,
        debug: true,
        country: 'de',
        keywords: ['alpha', 'beta'],
        headers: [{ key: 'X-Test', value: '1' }],
        custom: { b: 2 },
        login: { user: 'me' },
        filters: [{ field: 'price', min: 3 }],
        startUrls: [{ url: 'https://example.com/a', method: 'POST', payload: 'q=1' }],
        proxyConfiguration: { useApifyProxy: false, proxyUrls: ['http://proxy.example:8000'] },
        until: '3 weeks',
        apiKey: SECRET,
      };
      for (const [key, value] of Object.entries(values)) {
        assert.ok(await hook(actorRoot, { kind: 'setField', key, value }), `could not set ${key}`);
      }
      await hook(actorRoot, { kind: 'click', control: 'save' });
      const text = await waitForFile(actorInputJson, (t) => t.includes('alpha'));
      const saved = JSON.parse(text);
      const { apiKey: _secret, ...expected } = values;
      for (const [key, value] of Object.entries(expected)) assert.deepStrictEqual(saved[key], value, key);
      assert.ok(!('apiKey' in saved), 'the secret field was written to INPUT.json');
      assert.deepStrictEqual(filesContaining(exampleRoot, SECRET), [], 'the secret is in a file');
      await screenshot('input-form-every-editor-saved');
    });
  });
});
