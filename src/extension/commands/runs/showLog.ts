/** Actor: Show Log — a run's (or, from the Builds view, a build's) log in a terminal that follows it while it runs. */
import * as vscode from 'vscode';
import { Services } from '../../services/services';
import { BuildTarget, pickRun, RunTarget } from '../../services/targets';

export function registerShowLog(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.showLog', async (target?: RunTarget | BuildTarget) => {
    if (target && 'buildId' in target) {
      const actor = services.registry.get(target.actorRoot);
      return actor && services.logs.show(actor, { kind: 'build', buildId: target.buildId });
    }
    const picked = await pickRun(services, target, 'Show Log');
    if (picked) services.logs.show(picked.actor, { kind: 'run', runId: picked.run.id });
  });
}
