/** Actor: Build — builds the Actor's image (cancellable), its log in a terminal; a failure names the reason. */
import * as vscode from 'vscode';
import { ActorHint, errorMessage } from '../../actors/actorRegistry';
import { showFailure } from '../../services/failures';
import { Services } from '../../services/services';

export function registerBuild(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.build', async (hint?: ActorHint, options?: { tag?: string; useCache?: boolean }) => {
    const actor = await services.registry.pick(hint, 'Build');
    if (!actor) return undefined;
    let handle;
    try {
      handle = actor.engine.build(options);
    } catch (error) {
      return void vscode.window.showErrorMessage(`Cannot build ${actor.name}: ${errorMessage(error)}`);
    }
    services.logs.show(actor, { kind: 'build', buildId: handle.id }, true);
    const build = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Building ${actor.name}`, cancellable: true },
      (_, token) => {
        token.onCancellationRequested(() => handle.abort());
        return handle.finished;
      },
    );
    if (build.status !== 'SUCCEEDED' && build.status !== 'ABORTED') {
      await showFailure(services, actor, `Build ${build.buildNumber} of ${actor.name} ${build.status}: ${build.statusMessage ?? ''}`, { buildId: build.id });
    }
    return build;
  });
}
