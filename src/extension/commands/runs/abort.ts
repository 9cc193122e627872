/** Actor: Abort (graceful) / Abort Immediately — one factory, two commands: SIGINT and the grace window, or a kill. */
import * as vscode from 'vscode';
import { isTerminal, runName } from '../../../engine';
import { errorMessage } from '../../actors/actorRegistry';
import { Services } from '../../services/services';
import { pickRun, RunTarget } from '../../services/targets';

export function registerAbort(services: Services, graceful: boolean): vscode.Disposable {
  const command = graceful ? 'greenroom.abort' : 'greenroom.abortImmediately';
  const purpose = graceful ? 'Abort' : 'Abort Immediately';
  return vscode.commands.registerCommand(command, async (target?: RunTarget) => {
    const picked = await pickRun(services, target, purpose, (run) => !isTerminal(run.status));
    if (!picked) return undefined;
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `${graceful ? 'Aborting gracefully' : 'Aborting'}: ${runName(picked.run)}` },
        () => picked.actor.engine.abort(picked.run.id, { graceful }),
      );
    } catch (error) {
      void vscode.window.showErrorMessage(`Cannot abort ${runName(picked.run)}: ${errorMessage(error)}`);
      return undefined;
    }
  });
}
