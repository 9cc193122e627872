/**
 * Actor: Open Standby URL — the Actor's standby URL (src/platform/standby/) in the browser: a request there starts
 * or reuses a standby run. The window serves it with the local API (starting to serve when nothing does yet).
 */
import * as vscode from 'vscode';
import { ActorHint, errorMessage } from '../../actors/actorRegistry';
import { Services } from '../../services/services';

export function registerOpenStandbyUrl(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.openStandbyUrl', async (hint?: ActorHint) => {
    const actor = await services.registry.pick(hint, 'Open Standby URL');
    if (!actor) return undefined;
    let url: string | undefined;
    try {
      url = await services.registry.localApi.standbyUrl(actor.root);
    } catch (error) {
      return void vscode.window.showErrorMessage(`${actor.name} has no standby URL: ${errorMessage(error)}`);
    }
    if (!url) return void vscode.window.showWarningMessage('Open a folder to serve the local Apify API (and standby URLs) for.');
    // Through asExternalUri, so a remote window (SSH, code-server) forwards the port first.
    const external = await vscode.env.asExternalUri(vscode.Uri.parse(url));
    await vscode.env.openExternal(external);
    return url;
  });
}
