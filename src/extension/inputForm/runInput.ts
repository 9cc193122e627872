/**
 * Run with the form's input through the `greenroom.run` command (a task's form: `greenroom.runTask`, the task's
 * options under the form's): the registry's engine for the Actor (so the Docker and retention settings apply), its
 * log in a terminal, the run in the Runs view with every other run. The run gets its own storages: the shared
 * INPUT.json is never overwritten with a run's input.
 */
import * as vscode from 'vscode';
import { InputObject } from '../../form/input';
import { FormRunOptions } from '../../webviewProtocols/inputForm';

const RUN_COMMAND = 'greenroom.run';
const RUN_TASK_COMMAND = 'greenroom.runTask';

export interface RunReport {
  /** One line for the form's status. */
  text: string;
  error?: boolean;
}

export async function runWithInput(target: { actorRoot: string; taskName?: string }, input: InputObject, options: FormRunOptions): Promise<RunReport> {
  try {
    const runId = await vscode.commands.executeCommand<string | undefined>(target.taskName === undefined ? RUN_COMMAND : RUN_TASK_COMMAND, { ...target, input, options });
    // The command has already said why in a notification (with the build log when the build failed).
    if (!runId) return { text: 'The run did not start: see the notification for why.', error: true };
    return { text: `Run ${runId} started (see the Runs view).` };
  } catch (error) {
    return { text: `The run did not start: ${error instanceof Error ? error.message : String(error)}`, error: true };
  }
}
