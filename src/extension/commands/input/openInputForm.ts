/**
 * "Actor: Open Input Form": the form of the Actor given as argument (a folder path or Uri, as menus pass it), else
 * of the Actor the active editor's file belongs to, else of the workspace's only Actor (or the one picked).
 */
import * as vscode from 'vscode';
import { ActorRegistry } from '../../actors/actorRegistry';
import { InputForms } from '../../inputForm/inputForms';

export function registerOpenInputForm(registry: ActorRegistry, forms: InputForms): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.openInputForm', async (target?: vscode.Uri | string) => {
    const actor = await registry.pick(target, 'Open Input Form');
    if (actor) await forms.show(actor.root);
  });
}
