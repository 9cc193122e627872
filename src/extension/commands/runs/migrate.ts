/** Actor: Migrate — moves a running run at home to a new container on the same storages (engine.migrate). */
import * as vscode from 'vscode';
import { errorMessage } from '../../actors/actorRegistry';
import { Services } from '../../services/services';
import { pickRun, RunTarget } from '../../services/targets';

export function registerMigrate(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.migrate', async (target?: RunTarget) => {
    const picked = await pickRun(services, target, 'Migrate', (run) => run.status === 'RUNNING' && run.greenroom.atHome === true);
    if (!picked) return undefined;
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Migrating run ${picked.run.id}: \`migrating\` sent, waiting for the Actor to persist its state` },
        () => picked.actor.engine.migrate(picked.run.id),
      );
    } catch (error) {
      void vscode.window.showErrorMessage(`Cannot migrate run ${picked.run.id}: ${errorMessage(error)}`);
      return undefined;
    }
  });
}
