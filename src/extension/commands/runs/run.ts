/** Actor: Run — runs the Actor with its own INPUT (or the input another command passes, e.g. the input form). */
import * as vscode from 'vscode';
import { ActorHint } from '../../actors/actorRegistry';
import { startRun } from '../../runs/startRun';
import { Services } from '../../services/services';

export function registerRun(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.run', async (hint?: ActorHint & { input?: unknown }) => {
    const actor = await services.registry.pick(hint, 'Run');
    const input = hint && typeof hint === 'object' && 'input' in hint ? hint.input : undefined;
    return actor && (await startRun(services, actor, input === undefined ? {} : { input }))?.id;
  });
}
