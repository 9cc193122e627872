/**
 * "Actor: Edit Task Input": the input form on a task's input (the task row's, else one picked), saved into the
 * task in `.actor/tasks.json`; its Run runs the task with the input it shows.
 */
import * as vscode from 'vscode';
import { ActorRegistry } from '../../actors/actorRegistry';
import { pickTask } from '../../actors/pickTask';
import { InputForms } from '../../inputForm/inputForms';

export function registerEditTaskInput(registry: ActorRegistry, forms: InputForms): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.editTaskInput', async (target?: { actorRoot: string; taskName: string }) => {
    const found = await pickTask(registry, target, 'Edit Task Input');
    if (found) await forms.showTask({ actorRoot: found.actor.root, taskName: found.task.name });
  });
}
