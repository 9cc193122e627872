/** Actor: Open Container URL — a running run's web server (ACTOR_WEB_SERVER_PORT, published by the engine) in the browser. */
import * as vscode from 'vscode';
import { liveContainerUrl, runName } from '../../../engine';
import { Services } from '../../services/services';
import { pickRun, RunTarget } from '../../services/targets';

export function registerOpenContainerUrl(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.openContainerUrl', async (target?: RunTarget) => {
    const picked = await pickRun(services, target, 'Open Container URL', (run) => liveContainerUrl(run) !== undefined);
    if (!picked) return undefined;
    const { run } = picked;
    const url = liveContainerUrl(run);
    if (!url) {
      const why = run.status !== 'RUNNING' ? `it is ${run.status}` : 'its web server port could not be published (its log says why)';
      void vscode.window.showInformationMessage(`${runName(run)} has no container URL to open: ${why}.`);
      return undefined;
    }
    // Through asExternalUri, so a remote window (SSH, code-server) forwards the port first.
    const external = await vscode.env.asExternalUri(vscode.Uri.parse(url));
    await vscode.env.openExternal(external);
    return external.toString();
  });
}
