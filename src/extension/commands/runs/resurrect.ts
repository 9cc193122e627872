/** Actor: Resurrect… — restarts a finished run in a new container with the same storages, on the same or another build. */
import * as vscode from 'vscode';
import { isTerminal, runName } from '../../../engine';
import { errorMessage } from '../../actors/actorRegistry';
import { showFailure } from '../../services/failures';
import { Services } from '../../services/services';
import { pickRun, RunTarget } from '../../services/targets';

export function registerResurrect(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.resurrect', async (target?: RunTarget, options?: { build?: string }) => {
    const picked = await pickRun(services, target, 'Resurrect', (run) => isTerminal(run.status));
    if (!picked) return undefined;
    const { actor, run } = picked;
    let build = options?.build;
    if (!options) {
      const choice = await vscode.window.showQuickPick(
        [
          { label: `Same build (${run.buildNumber})`, value: undefined },
          ...actor.engine
            .listBuilds()
            .filter((b) => b.status === 'SUCCEEDED' && b.id !== run.buildId)
            .map((b) => ({ label: b.buildNumber, description: b.id, value: b.buildNumber })),
        ],
        { title: `Resurrect ${runName(run)} on which build?` },
      );
      if (!choice) return undefined;
      build = choice.value;
    }
    try {
      const handle = await actor.engine.resurrect(run.id, { build });
      services.logs.show(actor, { kind: 'run', runId: handle.id }, true);
      return handle.id;
    } catch (error) {
      await showFailure(services, actor, `Cannot resurrect ${runName(run)}: ${errorMessage(error)}`, { runId: run.id });
      return undefined;
    }
  });
}
