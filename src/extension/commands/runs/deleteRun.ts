/** Actor: Delete Run — removes a finished run's record, log and own storages, after asking. */
import * as vscode from 'vscode';
import { isTerminal, runName } from '../../../engine';
import { errorMessage } from '../../actors/actorRegistry';
import { Services } from '../../services/services';
import { pickRun, RunTarget } from '../../services/targets';

export function registerDeleteRun(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.deleteRun', async (target?: RunTarget, options?: { confirmed?: boolean }) => {
    const picked = await pickRun(services, target, 'Delete Run', (run) => isTerminal(run.status));
    if (!picked) return;
    const { actor, run } = picked;
    if (!options?.confirmed) {
      const detail = run.greenroom.sharedStorage ? 'Its record and log are deleted; the shared storage/ is kept.' : 'Its record, log and storages are deleted.';
      if ((await vscode.window.showWarningMessage(`Delete ${runName(run)} of ${actor.name}?`, { modal: true, detail }, 'Delete')) !== 'Delete') return;
    }
    try {
      actor.engine.deleteRun(run.id);
    } catch (error) {
      void vscode.window.showErrorMessage(`Cannot delete ${runName(run)}: ${errorMessage(error)}`);
    }
  });
}
