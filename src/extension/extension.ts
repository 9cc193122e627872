import * as vscode from 'vscode';
import { registerOpenInputForm } from './commands/input/openInputForm';
import { registerRestartLanguageServer } from './commands/language/restartLanguageServer';
import { DefinitionClient } from './language/definitionClient';
import { activateSidebar } from './sidebar';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const definitionClient = new DefinitionClient(context);
  context.subscriptions.push(definitionClient, registerRestartLanguageServer(definitionClient));
  const registry = activateSidebar(context);
  context.subscriptions.push(registerOpenInputForm(context, registry));
  await definitionClient.start();
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
