/** Actor: Delete Build — removes a build's record, log, tags and Docker image, after asking. */
import * as vscode from 'vscode';
import { errorMessage } from '../../actors/actorRegistry';
import { Services } from '../../services/services';
import { BuildTarget, pickBuild } from '../../services/targets';

export function registerDeleteBuild(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.deleteBuild', async (target?: BuildTarget, options?: { confirmed?: boolean }) => {
    const picked = await pickBuild(services, target, 'Delete Build');
    if (!picked) return;
    const { actor, build } = picked;
    if (!options?.confirmed) {
      const answer = await vscode.window.showWarningMessage(`Delete build ${build.buildNumber} of ${actor.name}?`, { modal: true, detail: `Its tags and the image ${build.imageName} are removed too.` }, 'Delete');
      if (answer !== 'Delete') return;
    }
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Deleting build ${build.buildNumber}` }, () => actor.engine.deleteBuild(build.id));
    } catch (error) {
      void vscode.window.showErrorMessage(`Cannot delete build ${build.buildNumber}: ${errorMessage(error)}`);
    }
  });
}
