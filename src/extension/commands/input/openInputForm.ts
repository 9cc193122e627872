/**
 * "Actor: Open Input Form": the form of the Actor given as argument (a folder path or Uri, as menus pass it), else
 * of the Actor the active editor's file belongs to, else of the workspace's only Actor (or the one picked).
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { diskFileSource, findActorRoot } from '../../../validator';
import { InputForms } from '../../inputForm/inputForms';

export function registerOpenInputForm(context: vscode.ExtensionContext): vscode.Disposable {
  const runLog = vscode.window.createOutputChannel('Greenroom runs');
  const forms = new InputForms({ extensionUri: context.extensionUri, secretStorage: context.secrets, runLog });
  const command = vscode.commands.registerCommand('greenroom.openInputForm', async (target?: vscode.Uri | string) => {
    const actorRoot = await chooseActor(target);
    if (actorRoot) await forms.show(actorRoot);
  });
  return vscode.Disposable.from(command, forms, runLog);
}

async function chooseActor(target: vscode.Uri | string | undefined): Promise<string | undefined> {
  const start = typeof target === 'string' ? target : target?.fsPath ?? vscode.window.activeTextEditor?.document.uri.fsPath;
  const fromStart = start ? findActorRoot(start, diskFileSource) : undefined;
  if (fromStart) return fromStart;

  const definitions = await vscode.workspace.findFiles('**/{.actor/actor.json,apify.json}', '**/node_modules/**', 50);
  const roots = [...new Set(definitions.map((uri) => findActorRoot(uri.fsPath, diskFileSource)).filter((root): root is string => !!root))].sort();
  if (roots.length <= 1) {
    if (!roots[0]) void vscode.window.showWarningMessage('No Actor found: the input form needs a folder with .actor/actor.json.');
    return roots[0];
  }
  const picked = await vscode.window.showQuickPick(
    roots.map((root) => ({ label: path.basename(root), description: vscode.workspace.asRelativePath(root), root })),
    { title: 'Open the input form of which Actor?' },
  );
  return picked?.root;
}
