/**
 * Run with the form's input. When the extension's run UI is present (the `greenroom.run` command) the run goes
 * through it, so it appears with every other run; otherwise the engine runs it here, its log in an output channel.
 * Either way the run gets its own storages: the shared INPUT.json is never overwritten with a run's input.
 */
import * as vscode from 'vscode';
import { ActorEngine } from '../../engine';
import { InputObject } from '../../form/input';

const RUN_COMMAND = 'greenroom.run';

export interface RunReport {
  /** One line for the form's status. */
  text: string;
  error?: boolean;
}

export async function runWithInput(actorRoot: string, input: InputObject, log: vscode.OutputChannel, onFinished: (report: RunReport) => void): Promise<RunReport> {
  if ((await vscode.commands.getCommands(true)).includes(RUN_COMMAND)) {
    await vscode.commands.executeCommand(RUN_COMMAND, { actorRoot, input });
    return { text: 'Run started (see the Runs view).' };
  }
  const engine = new ActorEngine({ actorRoot, origin: 'DEVELOPMENT' });
  const unsubscribe = engine.onEvent((event) => {
    if (event.type === 'build-log') event.lines.forEach((line) => log.appendLine(`[build] ${line}`));
  });
  try {
    const handle = await engine.run({ input });
    unsubscribe();
    log.show(true);
    log.appendLine(`— Run ${handle.id} of ${actorRoot}`);
    void (async () => {
      for await (const event of engine.follow({ kind: 'run', runId: handle.id })) {
        if (event.type === 'lines') event.lines.forEach((line) => log.appendLine(line));
      }
      return handle.finished;
    })()
      .then((run) => onFinished({ text: `Run ${run.id} ${run.status}${run.statusMessage ? `: ${run.statusMessage}` : ''}`, error: run.status !== 'SUCCEEDED' }))
      .catch((error: unknown) => onFinished({ text: `Run ${handle.id} failed: ${errorMessage(error)}`, error: true }))
      .finally(() => engine.dispose());
    return { text: `Run ${handle.id} is running (log in Output › Greenroom runs).` };
  } catch (error) {
    unsubscribe();
    engine.dispose();
    return { text: `The run did not start: ${errorMessage(error)}`, error: true };
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
