import * as vscode from 'vscode';
import type { DefinitionClient } from '../../language/definitionClient';

export function registerRestartLanguageServer(client: DefinitionClient): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.restartLanguageServer', () => client.restart());
}
