/**
 * Actor: Purge Shared Storage — empties the default dataset, request queue and key-value store of the Actor's
 * `storage/` the way `apify run --purge` does, keeping INPUT (and named storages). Asks first.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { isTerminal } from '../../../engine';
import { ActorHint, errorMessage } from '../../actors/actorRegistry';
import { Services } from '../../services/services';

export function registerPurgeSharedStorage(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.purgeSharedStorage', async (hint?: ActorHint, options?: { confirmed?: boolean }) => {
    const actor = await services.registry.pick(hint, 'Purge Shared Storage');
    if (!actor) return;
    const storage = actor.engine.layout.sharedStorageDir;
    const user = actor.engine.listRuns().find((run) => run.greenroom.sharedStorage && !isTerminal(run.status));
    if (user) return void vscode.window.showErrorMessage(`Cannot purge the shared storage of ${actor.name}: run ${user.id} is ${user.status} on it. Abort it first.`);
    if (!options?.confirmed) {
      const answer = await vscode.window.showWarningMessage(
        `Purge the shared storage of ${actor.name}?`,
        { modal: true, detail: `Deletes the default dataset, request queue and key-value store records in ${storage}. INPUT is kept.` },
        'Purge',
      );
      if (answer !== 'Purge') return;
    }
    try {
      fs.rmSync(path.join(storage, 'datasets', 'default'), { recursive: true, force: true });
      fs.rmSync(path.join(storage, 'request_queues', 'default'), { recursive: true, force: true });
      const store = path.join(storage, 'key_value_stores', 'default');
      for (const name of fs.existsSync(store) ? fs.readdirSync(store) : []) {
        if (name !== 'INPUT' && !name.startsWith('INPUT.')) fs.rmSync(path.join(store, name), { recursive: true, force: true });
      }
    } catch (error) {
      void vscode.window.showErrorMessage(`Cannot purge the shared storage of ${actor.name}: ${errorMessage(error)}`);
    }
    services.registry.refreshViews();
  });
}
