/** Actor: Show Run — the run view (header, buttons, log, input, output, storages, charts); reveals it when open. */
import * as vscode from 'vscode';
import { RunViews } from '../../runView/runViews';
import { Services } from '../../services/services';
import { pickRun, RunTarget } from '../../services/targets';

export function registerShowRunDetails(services: Services, runViews: RunViews): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.showRunDetails', async (target?: RunTarget) => {
    const picked = await pickRun(services, target, 'Show Run');
    if (!picked) return undefined;
    runViews.show(picked.actor, picked.run);
    return { actorRoot: picked.actor.root, runId: picked.run.id };
  });
}

/** `vscode://greenroom.greenroom/run?actor=<Actor folder>&run=<run id>` (the CLI prints it) opens that run's view. */
export function registerRunViewLinks(): vscode.Disposable {
  return vscode.window.registerUriHandler({
    handleUri: async (uri) => {
      const query = new URLSearchParams(uri.query);
      const actorRoot = query.get('actor');
      const runId = query.get('run');
      if (uri.path !== '/run' || !actorRoot || !runId) return void vscode.window.showErrorMessage(`Greenroom cannot open ${uri.toString(true)}: expected /run?actor=…&run=…`);
      await vscode.commands.executeCommand('greenroom.showRunDetails', { actorRoot, runId });
    },
  });
}
