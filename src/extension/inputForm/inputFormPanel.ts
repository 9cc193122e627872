/**
 * The host of one input form: a custom text editor of an INPUT.json document. Every edit in the form becomes a
 * WorkspaceEdit of the document's text (only the edited value's text changes), so the dirty marker, Ctrl+S, undo/redo
 * and hot exit are VS Code's own; a change of the document (undo, another editor, the disk) redraws the changed
 * fields. It keeps the secret values apart, validates with the runner's rules, starts runs, and follows the schema.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { cleanInput, InputObject, maskSecrets, schemaKeys, splitSecrets } from '../../form/input';
import { inputJsonProblem, minimalTextChange, updateInputJsonText } from '../../form/inputJson';
import { buildFormModel, FormModel, formFields } from '../../form/model';
import { FieldError, FormRunOptions, HostMessage, RunChoices, TestAction, WebviewMessage } from '../../webviewProtocols/inputForm';
import { apiSnippet } from '../../form/snippets';
import { applyInputDefaults, validateInput } from '../../validator';
import { describeActor } from '../../workspace';
import { isValidTaskName, NAME_RULE, readActorTasks, saveActorTask, TaskRunOptions, TASKS_FILE } from '../../workspace/tasks';
import { DEFAULT_RUN_TIMEOUT_SECS, memoryRange, readActorDefinition } from '../../engine';
import { errorMessage } from '../actors/actorRegistry';
import { runDefaults } from '../actors/settings';
import { definitionFile, inputSchemaLocation, localResources, parseInputSchema, storeUploadedFile } from './actorInput';
import { runWithInput } from './runInput';
import { SecretInputs } from './secretInputs';
import { prepareWebviewPanel, webviewPage, WebviewPanelHost } from '../webviews/webviewHost';

export const INPUT_FORM_VIEW_TYPE = 'greenroom.inputForm';

export interface InputFormServices {
  extensionUri: vscode.Uri;
  secretStorage: vscode.SecretStorage;
}

const SCHEMA_RELOAD_DEBOUNCE_MS = 250;

export class InputFormPanel extends WebviewPanelHost<HostMessage, TestAction> {
  private schema: unknown = {};
  private model: FormModel = buildFormModel({});
  /** The form's input without secrets: what the document holds (its last parsable text). */
  private input: InputObject = {};
  /** Secret values, as stored in secret storage. */
  private readonly secrets: InputObject = {};
  private readonly secretInputs: SecretInputs;
  private schemaWatcher: vscode.Disposable | undefined;
  private schemaTimer: ReturnType<typeof setTimeout> | undefined;
  /** Edits of the document in order: a later one works on the text an earlier one left. */
  private edits: Promise<void> = Promise.resolve();
  /** While above zero, document changes are the form's own (the form already shows them). */
  private ownEdits = 0;

  private constructor(
    readonly document: vscode.TextDocument,
    panel: vscode.WebviewPanel,
    readonly actorRoot: string,
    private readonly services: InputFormServices,
    /** The task whose input the document is; undefined for the Actor's INPUT.json. */
    readonly taskName: string | undefined,
  ) {
    super(panel, 'input form');
    this.secretInputs = new SecretInputs(services.secretStorage, actorRoot);
  }

  /** The form of `document` (an INPUT.json of the Actor at `actorRoot`, or its task's input) in the panel VS Code made for it. */
  static async create(document: vscode.TextDocument, actorRoot: string, services: InputFormServices, panel: vscode.WebviewPanel, taskName?: string): Promise<InputFormPanel> {
    const name = describeActor(actorRoot).name;
    const title = taskName === undefined ? `Input: ${name}` : `Input: ${name} · task ${taskName}`;
    const form = new InputFormPanel(document, prepareWebviewPanel(INPUT_FORM_VIEW_TYPE, title, services.extensionUri, panel), actorRoot, services, taskName);
    await form.start(title);
    return form;
  }

  private async start(title: string): Promise<void> {
    this.loadSchema();
    const saved = parseObject(this.document.getText()) ?? {};
    const { publicInput, secrets: plainSecrets } = splitSecrets(this.model, saved);
    this.input = publicInput;
    Object.assign(this.secrets, await this.secretInputs.read(this.secretKeys()));
    // A secret someone typed into INPUT.json by hand moves to secret storage (the next edit leaves it out of the file).
    for (const [key, value] of Object.entries(plainSecrets)) {
      if (this.secrets[key] === undefined && value !== '') await this.storeSecret(key, value);
    }

    // data: images are vscode-elements' own icons.
    this.panel.webview.html = webviewPage(this.panel.webview, this.services.extensionUri, {
      bundle: 'inputForm',
      title,
      placeholder: '<div id="form" aria-live="off">Loading the input form…</div>',
      imageSources: 'data:',
    });
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((message: WebviewMessage) => void this.onMessage(message)),
      vscode.workspace.onDidChangeTextDocument((event) => this.onDocumentChanged(event.document)),
    );
    const definition = definitionFile(this.actorRoot);
    // actor.json may name another schema file, or hold the schema inline.
    if (definition) this.disposables.push(this.watchFile(definition, () => this.scheduleSchemaReload(true)));
    this.watchSchemaFile();
  }

  dispose(): void {
    clearTimeout(this.schemaTimer);
    this.schemaWatcher?.dispose();
    super.dispose();
  }

  // ---- messages ----------------------------------------------------------------------------------------------

  private async onMessage(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        await this.sendRender();
        this.webviewLoaded.resolve();
        break;
      case 'change':
        await this.acceptInput(message.input);
        await this.post({ type: 'errors', errors: this.validate() });
        await this.writeDocument(message.wholeInput);
        break;
      case 'action':
        await this.acceptInput(message.input);
        await this.writeDocument();
        if (message.action === 'save') await this.save();
        else if (message.action === 'saveTask') await this.saveAsTask();
        else await this.run(message.runOptions);
        break;
      case 'copy': {
        const masked = maskSecrets(this.model, this.fullInput());
        const text = message.format === 'json' ? JSON.stringify(masked, null, 2) : apiSnippet(message.format, describeActor(this.actorRoot).name, masked);
        await vscode.env.clipboard.writeText(text);
        const what = message.format === 'json' ? 'the input as JSON' : `a ${message.format} API snippet`;
        await this.status(`Copied ${what}${Object.keys(this.secrets).length ? ' (secrets left out)' : ''}.`);
        break;
      }
      case 'pickFile':
        await this.pickFile(message.key);
        break;
      case 'forgetSecret':
        await this.secretInputs.forget(message.key);
        delete this.secrets[message.key];
        await this.post({ type: 'storedSecrets', keys: Object.keys(this.secrets) });
        await this.post({ type: 'errors', errors: this.validate() });
        break;
      case 'testResult':
        this.answerTest(message.id, message.result);
        break;
    }
  }

  private async sendRender(): Promise<void> {
    await this.post({
      type: 'render',
      model: this.model,
      input: this.input,
      storedSecrets: Object.keys(this.secrets),
      resources: localResources(this.actorRoot),
      errors: this.validate(),
      runChoices: this.runChoices(),
      editing: this.taskName === undefined ? undefined : `The input of task ${this.taskName} (${TASKS_FILE}): Save writes it there, Run runs the task.`,
    });
  }

  private runChoices(): RunChoices {
    // A task's run takes the task's timeout first: the placeholder shows what an empty field means.
    const defaultTimeoutSecs = this.taskOptions()?.timeoutSecs ?? runDefaults(this.actorRoot).timeoutSecs ?? DEFAULT_RUN_TIMEOUT_SECS;
    try {
      const { choices, description } = memoryRange(readActorDefinition(this.actorRoot));
      return { memoryChoices: choices, memoryDescription: description, defaultTimeoutSecs };
    } catch (error) {
      return { memoryChoices: [], memoryDescription: `no memory sizes: ${errorMessage(error)}`, defaultTimeoutSecs };
    }
  }

  private taskOptions(): TaskRunOptions | undefined {
    if (this.taskName === undefined) return undefined;
    try {
      return readActorTasks(this.actorRoot).find((task) => task.name === this.taskName)?.options;
    } catch {
      return undefined;
    }
  }

  /** Takes the webview's input: the public part is kept, typed secrets go to secret storage. */
  private async acceptInput(input: InputObject): Promise<void> {
    const { publicInput, secrets } = splitSecrets(this.model, cleanInput(input));
    this.input = publicInput;
    const before = Object.keys(this.secrets).length;
    for (const [key, value] of Object.entries(secrets)) {
      if (JSON.stringify(value) !== JSON.stringify(this.secrets[key])) await this.storeSecret(key, value);
    }
    if (Object.keys(this.secrets).length !== before) await this.post({ type: 'storedSecrets', keys: Object.keys(this.secrets) });
  }

  private async storeSecret(key: string, value: unknown): Promise<void> {
    this.secrets[key] = value;
    await this.secretInputs.store(key, value);
  }

  // ---- actions -----------------------------------------------------------------------------------------------

  /** The runner's verdict: defaults applied, then the platform's input rules. */
  private validate(): FieldError[] {
    return validateInput(this.schema, applyInputDefaults(this.schema, this.fullInput()));
  }

  private fullInput(): InputObject {
    return { ...this.input, ...this.secrets };
  }

  /**
   * Puts the form's input into the document's text, changing only the text of the values that differ. The form owns
   * the schema's keys; the JSON tab (`wholeInput`) every key, so keys it dropped or added go or come too.
   */
  private writeDocument(wholeInput = false): Promise<void> {
    const write = async () => {
      const text = this.document.getText();
      const problem = inputJsonProblem(text);
      // Text that is not a JSON object is the person's to fix: the form does not overwrite it.
      if (problem) return void (await this.status(`Not applied: ${path.basename(this.document.fileName)} ${problem}; fix it in the text editor (Reopen Editor With… Text Editor).`, true));
      const owned = wholeInput ? [...new Set([...Object.keys(parseObject(text) ?? {}), ...Object.keys(this.input)])] : schemaKeys(this.model);
      const change = minimalTextChange(text, updateInputJsonText(text, this.input, owned));
      if (!change) return;
      const edit = new vscode.WorkspaceEdit();
      edit.replace(this.document.uri, new vscode.Range(this.document.positionAt(change.offset), this.document.positionAt(change.offset + change.length)), change.text);
      this.ownEdits++;
      try {
        await vscode.workspace.applyEdit(edit);
      } finally {
        this.ownEdits--;
      }
    };
    this.edits = this.edits.then(write, write);
    return this.edits;
  }

  private async save(): Promise<void> {
    try {
      // A task's input is saved into tasks.json: a file that cannot be used is said here, not only in VS Code's notification.
      if (this.taskName !== undefined) readActorTasks(this.actorRoot);
      if (!(await this.document.save())) throw new Error('VS Code did not save the document');
    } catch (error) {
      await this.status(`Not saved: ${errorMessage(error)}`, true);
      return;
    }
    const problems = this.validate();
    await this.post({ type: 'errors', errors: problems });
    const where = this.taskName === undefined ? path.relative(this.actorRoot, this.document.fileName) : `task "${this.taskName}" in ${TASKS_FILE}`;
    await this.status(problems.length ? `Saved to ${where}, with ${plural(problems.length, 'problem')} a run would refuse.` : `Saved to ${where}.`, problems.length > 0);
  }

  private async run(options: FormRunOptions): Promise<void> {
    const refused = runOptionsProblem(options);
    if (refused) return void (await this.status(`Not started: ${refused}.`, true));
    const problems = this.validate();
    await this.post({ type: 'errors', errors: problems });
    if (problems.length) {
      await this.status(`Not started: the input has ${plural(problems.length, 'problem')} (marked in the form).`, true);
      return;
    }
    await this.status('Starting the run…');
    const report = await runWithInput({ actorRoot: this.actorRoot, taskName: this.taskName }, this.fullInput(), options);
    await this.status(report.text, report.error);
  }

  /** Saves the input as a task (committable, so without its secret fields), under a name the person gives. */
  private async saveAsTask(): Promise<void> {
    let existing: string[];
    try {
      existing = readActorTasks(this.actorRoot).map((task) => task.name);
    } catch (error) {
      await this.status(`Not saved as a task: ${errorMessage(error)}`, true);
      return;
    }
    const name = await vscode.window.showInputBox({
      title: 'Save Input as Task',
      prompt: `A name for the task (${TASKS_FILE}); an existing task of that name is replaced`,
      validateInput: (value) => (isValidTaskName(value) ? undefined : `A task name has ${NAME_RULE}`),
    });
    if (!name) return;
    if (existing.includes(name)) {
      const replace = await vscode.window.showWarningMessage(`Replace the input of the task "${name}"?`, { modal: true }, 'Replace');
      if (replace !== 'Replace') return;
    }
    try {
      const kept = existing.includes(name) ? readActorTasks(this.actorRoot).find((task) => task.name === name) : undefined;
      saveActorTask(this.actorRoot, { name, title: kept?.title, description: kept?.description, input: this.input, options: kept?.options ?? {} });
    } catch (error) {
      await this.status(`Not saved as a task: ${errorMessage(error)}`, true);
      return;
    }
    const secrets = Object.keys(this.secrets).length;
    await this.status(`Saved as task "${name}" in ${TASKS_FILE}${secrets ? ' (secret fields left out: the file is committed)' : ''}.`);
  }

  private async pickFile(key: string): Promise<void> {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Use this file', title: `File for ${key}` });
    if (!picked?.[0]) return;
    let recordKey: string;
    try {
      recordKey = storeUploadedFile(this.actorRoot, picked[0].fsPath);
    } catch (error) {
      await this.status(`Not stored: ${errorMessage(error)}`, true);
      return;
    }
    await this.post({ type: 'fileStored', key, value: recordKey });
    await this.status(`Stored ${path.basename(picked[0].fsPath)} as record "${recordKey}" of the default key-value store.`);
  }

  // ---- live sync ---------------------------------------------------------------------------------------------

  private loadSchema(): boolean {
    const location = inputSchemaLocation(this.actorRoot);
    if (!location) return false;
    const text = this.readText(location.file);
    const schema = text === undefined ? undefined : parseInputSchema(text, location.inline);
    // A schema being typed (not parsing yet) keeps the last form.
    if (schema === undefined || JSON.stringify(schema) === JSON.stringify(this.schema)) return false;
    this.schema = schema;
    this.model = buildFormModel(schema);
    return true;
  }

  private scheduleSchemaReload(locationMayHaveMoved = false): void {
    clearTimeout(this.schemaTimer);
    this.schemaTimer = setTimeout(() => {
      if (locationMayHaveMoved) this.watchSchemaFile();
      if (this.loadSchema()) void this.sendRender();
    }, SCHEMA_RELOAD_DEBOUNCE_MS);
  }

  private watchSchemaFile(): void {
    this.schemaWatcher?.dispose();
    const location = inputSchemaLocation(this.actorRoot);
    this.schemaWatcher = location && !location.inline ? this.watchFile(location.file, () => this.scheduleSchemaReload()) : undefined;
  }

  private onDocumentChanged(document: vscode.TextDocument): void {
    const file = document.uri.fsPath;
    const schemaFile = inputSchemaLocation(this.actorRoot)?.file;
    if (file === schemaFile || file === definitionFile(this.actorRoot)) this.scheduleSchemaReload(file !== schemaFile);
    else if (document === this.document && this.ownEdits === 0) this.onInputJsonChanged(parseObject(document.getText()));
  }

  /** The document changed by other means (undo, a text editor, the disk): the form shows it. */
  private onInputJsonChanged(saved: InputObject | undefined): void {
    if (!saved) return;
    const { publicInput } = splitSecrets(this.model, saved);
    // Keys the schema does not know count too: the JSON tab shows them.
    if (JSON.stringify(publicInput) === JSON.stringify(this.input)) return;
    this.input = publicInput;
    void this.post({ type: 'input', input: this.input }).then(() => this.post({ type: 'errors', errors: this.validate() }));
  }

  private watchFile(file: string, onChange: () => void): vscode.Disposable {
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)));
    watcher.onDidChange(onChange);
    watcher.onDidCreate(onChange);
    return watcher;
  }

  // ---- helpers -----------------------------------------------------------------------------------------------

  /** A file's text as the editor has it (unsaved edits included), else from disk. */
  private readText(file: string): string | undefined {
    const open = openDocument(file);
    if (open) return open.getText();
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  }

  private secretKeys(): string[] {
    return formFields(this.model).filter((field) => field.secret).map((field) => field.key);
  }

  private status(text: string, error = false): Thenable<boolean> {
    return this.post({ type: 'status', text, error });
  }

}

function openDocument(file: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((document) => document.uri.fsPath === file);
}

function parseObject(text: string): InputObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as InputObject) : undefined;
  } catch {
    return undefined;
  }
}

/** Why the run options cannot be used (the memory comes from a list of allowed sizes, so only the timeout can be wrong). */
function runOptionsProblem(options: FormRunOptions): string | undefined {
  const timeout = options.timeoutSecs;
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout >= 0)) return `the timeout must be a whole number of seconds (0 for none), not ${timeout}`;
  return undefined;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
