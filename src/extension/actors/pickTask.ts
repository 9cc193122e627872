/** Finding a task for a command: the one named, else one picked from every Actor's tasks. */
import * as vscode from 'vscode';
import { ActorTask, readActorTasks } from '../../workspace';
import { ActorEntry, ActorRegistry } from './actorRegistry';

/** The Actor's tasks; none when its tasks file cannot be read (the Tasks view says why). */
export function readableTasks(actor: ActorEntry): ActorTask[] {
  try {
    return readActorTasks(actor.root);
  } catch {
    return [];
  }
}

/**
 * The Actor and task `target` names, else the ones picked (undefined when dismissed). A task that is not there is
 * said in a notification.
 */
export async function pickTask(registry: ActorRegistry, target: { actorRoot: string; taskName: string } | undefined, title: string): Promise<{ actor: ActorEntry; task: ActorTask } | undefined> {
  let chosen = target;
  if (!chosen) {
    const picks = registry.actors.flatMap((actor) => readableTasks(actor).map((task) => ({ label: task.name, description: actor.name, detail: task.title, actorRoot: actor.root, taskName: task.name })));
    chosen = await vscode.window.showQuickPick(picks, { title, placeHolder: picks.length ? 'The task' : 'No tasks yet: save one from the input form' });
    if (!chosen) return undefined;
  }
  const actor = registry.get(chosen.actorRoot);
  const task = actor && readableTasks(actor).find((candidate) => candidate.name === chosen.taskName);
  if (!actor || !task) {
    void vscode.window.showErrorMessage(`No task "${chosen.taskName}" in ${chosen.actorRoot}`);
    return undefined;
  }
  return { actor, task };
}
