/**
 * The input form is a custom text editor of INPUT.json (`customEditors` in package.json): VS Code opens, restores
 * (hot exit included) and closes it, and "Reopen Editor With…" switches between the form and the text. It edits a
 * task's input the same way, through the task's input document (taskInputs.ts). One form per Actor and per task:
 * opening it again reveals it.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { prefillInput } from '../../form/input';
import { updateInputJsonText } from '../../form/inputJson';
import { buildFormModel } from '../../form/model';
import { readJsonRecordText, writeJsonRecordText } from '../../storage';
import { TestAction } from '../../webviewProtocols/inputForm';
import { errorMessage } from '../actors/actorRegistry';
import { TEST_HOOKS } from '../testHooks';
import { inputJsonPath, inputSchemaLocation, parseInputSchema, sharedStorageDir } from './actorInput';
import { INPUT_FORM_VIEW_TYPE, InputFormPanel, InputFormServices } from './inputFormPanel';
import { TaskInputFileSystem, TaskInputLocation, taskInputLocation, taskInputUri } from './taskInputs';

export class InputForms implements vscode.CustomTextEditorProvider, vscode.Disposable {
  private readonly open = new Map<string, InputFormPanel>();
  private readonly registrations: vscode.Disposable[];

  constructor(private readonly services: InputFormServices) {
    this.registrations = [
      vscode.window.registerCustomEditorProvider(INPUT_FORM_VIEW_TYPE, this),
      TaskInputFileSystem.register(),
      vscode.commands.registerCommand(TEST_HOOKS.inputForm, (actorRoot: string, action: TestAction, taskName?: string) => {
        const form = this.open.get(formKey(actorRoot, taskName));
        if (!form) throw new Error(`no input form is open for ${formKey(actorRoot, taskName)}`);
        return form.runTestAction(action);
      }),
    ];
  }

  async resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): Promise<void> {
    const task = taskInputLocation(document.uri);
    const form = await InputFormPanel.create(document, task?.actorRoot ?? actorRootOf(document.uri.fsPath), this.services, panel, task?.taskName);
    const key = formKey(form.actorRoot, form.taskName);
    this.open.set(key, form);
    form.onDidDispose(() => {
      if (this.open.get(key) === form) this.open.delete(key);
    });
  }

  /** Opens the form of a task's input. */
  async showTask(location: TaskInputLocation): Promise<void> {
    await vscode.commands.executeCommand('vscode.openWith', taskInputUri(location), INPUT_FORM_VIEW_TYPE);
  }

  /**
   * Opens the form of the Actor's shared INPUT.json. A missing file is created first with the schema's prefill (what
   * the form starts with): a custom editor edits a file. A link in its place (an Actor may plant one) is refused.
   */
  async show(actorRoot: string): Promise<void> {
    const storage = sharedStorageDir(actorRoot);
    try {
      if (readJsonRecordText(storage, 'default', 'INPUT') === undefined) {
        writeJsonRecordText(storage, 'default', 'INPUT', updateInputJsonText(undefined, prefillInput(buildFormModel(readSchema(actorRoot))), []));
      }
    } catch (error) {
      return void vscode.window.showErrorMessage(`Cannot open the input form: ${errorMessage(error)}`);
    }
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(inputJsonPath(actorRoot)), INPUT_FORM_VIEW_TYPE);
  }

  dispose(): void {
    for (const form of this.open.values()) form.dispose();
    for (const registration of this.registrations) registration.dispose();
  }
}

function formKey(actorRoot: string, taskName: string | undefined): string {
  return taskName === undefined ? actorRoot : `${actorRoot}#${taskName}`;
}

/** `<actor>/storage/key_value_stores/<store>/INPUT.json` → `<actor>`. */
function actorRootOf(inputJson: string): string {
  return path.resolve(inputJson, '..', '..', '..', '..');
}

function readSchema(actorRoot: string): unknown {
  const location = inputSchemaLocation(actorRoot);
  if (!location) return {};
  try {
    return parseInputSchema(fs.readFileSync(location.file, 'utf8'), location.inline) ?? {};
  } catch {
    return {};
  }
}
