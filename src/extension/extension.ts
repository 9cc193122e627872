import * as vscode from 'vscode';
import { registerEditTaskInput } from './commands/input/editTaskInput';
import { registerOpenInputForm } from './commands/input/openInputForm';
import { registerRestartLanguageServer } from './commands/language/restartLanguageServer';
import { InputForms } from './inputForm/inputForms';
import { DefinitionClient } from './language/definitionClient';
import { activateSidebar } from './sidebar';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const definitionClient = new DefinitionClient(context);
  context.subscriptions.push(definitionClient, registerRestartLanguageServer(definitionClient));
  const registry = activateSidebar(context);
  const forms = new InputForms({ extensionUri: context.extensionUri, secretStorage: context.secrets });
  context.subscriptions.push(forms, registerOpenInputForm(registry, forms), registerEditTaskInput(registry, forms));
  await definitionClient.start();
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
