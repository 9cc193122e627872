/**
 * Actor: Run — runs the Actor with its own INPUT (or the input and run options another command passes, e.g. the
 * input form's build, memory and timeout).
 */
import * as vscode from 'vscode';
import { RunStartOptions } from '../../../engine';
import { ActorHint } from '../../actors/actorRegistry';
import { startRun } from '../../runs/startRun';
import { Services } from '../../services/services';

export function registerRun(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.run', async (hint?: ActorHint & { input?: unknown; options?: Pick<RunStartOptions, 'build' | 'memoryMbytes' | 'timeoutSecs'> }) => {
    const actor = await services.registry.pick(hint, 'Run');
    const passed = hint && typeof hint === 'object' ? hint : undefined;
    const options: RunStartOptions = { ...passed?.options };
    if (passed?.input !== undefined) options.input = passed.input;
    return actor && (await startRun(services, actor, options))?.id;
  });
}
