/** Actor: Refresh — checks Docker again (re-attaching to running runs once it answers) and redraws every view. */
import * as vscode from 'vscode';
import { Services } from '../../services/services';

export function registerRefresh(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.refresh', async () => {
    await services.registry.discover();
    await services.registry.checkDocker();
    services.registry.refreshViews();
  });
}
