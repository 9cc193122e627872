/** Actor: Rerun — a new run of a finished one's input, build, memory, timeout and storage mode; its view opens. */
import * as vscode from 'vscode';
import { isTerminal, runName } from '../../../engine';
import { errorMessage } from '../../actors/actorRegistry';
import { startRun } from '../../runs/startRun';
import { Services } from '../../services/services';
import { pickRun, RunTarget } from '../../services/targets';

export function registerRerun(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.rerun', async (target?: RunTarget) => {
    const picked = await pickRun(services, target, 'Rerun', (run) => isTerminal(run.status));
    if (!picked) return undefined;
    const { actor, run } = picked;
    let options;
    try {
      options = actor.engine.rerunOptions(run.id);
    } catch (error) {
      return void vscode.window.showErrorMessage(`Cannot rerun ${runName(run)}: ${errorMessage(error)}`);
    }
    const handle = await startRun(services, actor, options);
    const started = handle && actor.engine.getRun(handle.id);
    if (started) services.runViews?.show(actor, started);
    return handle?.id;
  });
}
