/** Actor: Migrate — moves a running run at home to a new container on the same storages (engine.migrate). */
import * as vscode from 'vscode';
import { runName } from '../../../engine';
import { errorMessage } from '../../actors/actorRegistry';
import { Services } from '../../services/services';
import { pickRun, RunTarget } from '../../services/targets';

export function registerMigrate(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.migrate', async (target?: RunTarget) => {
    const picked = await pickRun(services, target, 'Migrate', (run) => run.status === 'RUNNING' && run.greenroom.atHome === true);
    if (!picked) return undefined;
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Migrating ${runName(picked.run)}: \`migrating\` sent, waiting for the Actor to persist its state` },
        () => picked.actor.engine.migrate(picked.run.id),
      );
    } catch (error) {
      void vscode.window.showErrorMessage(`Cannot migrate ${runName(picked.run)}: ${errorMessage(error)}`);
      return undefined;
    }
  });
}
