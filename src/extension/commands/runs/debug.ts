/**
 * Actor: Debug — starts the `actor` debug configuration for an Actor (palette, Actor rows) or, on a finished run's
 * row, a debug resurrection of that run (same storages). In dev mode unless greenroom.run.devMode is set false.
 */
import * as vscode from 'vscode';
import { ActorHint } from '../../actors/actorRegistry';
import { ACTOR_DEBUG_TYPE, ActorDebugConfiguration } from '../../debug/actorDebugConfiguration';
import { Services } from '../../services/services';
import { RunTarget } from '../../services/targets';

export function registerDebug(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.debug', async (target?: ActorHint | RunTarget, overrides: Partial<ActorDebugConfiguration> = {}) => {
    const actor = await services.registry.pick(target as ActorHint, 'Debug');
    if (!actor) return false;
    const runId = target && typeof target === 'object' && 'runId' in target ? target.runId : undefined;
    // Only a value the user set counts: the setting's default (false) is for Run, debugging defaults to dev mode.
    const set = vscode.workspace.getConfiguration('greenroom', vscode.Uri.file(actor.root)).inspect<boolean>('run.devMode');
    const devMode = set?.workspaceFolderValue ?? set?.workspaceValue ?? set?.globalValue;
    const config: ActorDebugConfiguration = {
      type: ACTOR_DEBUG_TYPE,
      request: 'launch',
      name: runId ? `Debug ${actor.name} (resurrect run ${runId})` : `Debug ${actor.name}`,
      actor: actor.root,
      devMode: devMode ?? true,
      ...(runId && { resurrectRunId: runId }),
      ...overrides,
    };
    return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(vscode.Uri.file(actor.root)), config);
  });
}
