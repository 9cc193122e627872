/** Actor: Run Using Shared Storage — the `apify run` layout: the Actor's own `storage/`, nothing purged. */
import * as vscode from 'vscode';
import { ActorHint } from '../../actors/actorRegistry';
import { startRun } from '../../runs/startRun';
import { Services } from '../../services/services';

export function registerRunSharedStorage(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.runSharedStorage', async (hint?: ActorHint) => {
    const actor = await services.registry.pick(hint, 'Run Using Shared Storage');
    return actor && (await startRun(services, actor, { sharedStorage: true }))?.id;
  });
}
