/** How commands report a failed build or run: the engine's message, with the way to its log. */
import * as vscode from 'vscode';
import { BuildRecord } from '../../engine';
import { ActorEntry } from '../actors/actorRegistry';
import { Services } from './services';

/** The engine's own message, with a button to the log that explains it. */
export async function showFailure(services: Services, actor: ActorEntry, message: string, log?: { runId: string } | { buildId: string }): Promise<void> {
  const run = log && 'runId' in log ? actor.engine.getRun(log.runId) : undefined;
  const choice = await vscode.window.showErrorMessage(message, ...(run ? ['Open Run'] : []), ...(log ? ['Open Log'] : []));
  if (choice === 'Open Run' && run) services.runViews?.show(actor, run);
  if (choice === 'Open Log' && log) services.logs.show(actor, 'runId' in log ? { kind: 'run', runId: log.runId } : { kind: 'build', buildId: log.buildId });
}

/** The newest build when it failed after `since`: the likely reason a run could not start. */
export function failedBuildSince(actor: ActorEntry, since: number): BuildRecord | undefined {
  const newest = actor.engine.listBuilds()[0];
  return newest && newest.status !== 'SUCCEEDED' && Date.parse(newest.startedAt) >= since ? newest : undefined;
}
