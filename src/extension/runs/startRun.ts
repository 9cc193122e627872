/**
 * Starting a run from VS Code (Run, Run with Options…, Run Using Shared Storage, the input form, tasks):
 * progress while it builds and starts, its log in a terminal, and the engine's message with "Open Log" when
 * it fails to start or ends badly.
 */
import * as vscode from 'vscode';
import { DockerUnavailableError, RunHandle, runName, RunStartOptions } from '../../engine';
import { ActorEntry, errorMessage } from '../actors/actorRegistry';
import { runDefaults } from '../actors/settings';
import { failedBuildSince, showFailure } from '../services/failures';
import { Services } from '../services/services';

export async function startRun(services: Services, actor: ActorEntry, options: RunStartOptions): Promise<RunHandle | undefined> {
  const since = Date.now();
  let handle: RunHandle;
  try {
    handle = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Starting a run of ${actor.name}` },
      async (progress) => {
        // A run with no build builds first: show that build's log while it happens.
        const unsubscribe = actor.engine.onEvent((event) => {
          if (event.type === 'build-status' && event.build.status === 'RUNNING') {
            progress.report({ message: `building ${event.build.buildNumber}…` });
            services.logs.show(actor, { kind: 'build', buildId: event.build.id }, true);
          }
        });
        try {
          return await actor.engine.run({ ...runDefaults(actor.root), ...options });
        } finally {
          unsubscribe();
        }
      },
    );
  } catch (error) {
    if (error instanceof DockerUnavailableError) services.registry.reportDockerUnavailable(error);
    const build = failedBuildSince(actor, since);
    await showFailure(services, actor, `The run of ${actor.name} did not start: ${errorMessage(error)}`, build && { buildId: build.id });
    return undefined;
  }
  services.logs.show(actor, { kind: 'run', runId: handle.id }, true);
  void handle.finished.then(
    (run) => {
      if (run.status === 'FAILED' || run.status === 'TIMED-OUT') {
        void showFailure(services, actor, `${runName(run)} of ${actor.name} ${run.status}${run.statusMessage ? `: ${run.statusMessage}` : ''}`, { runId: run.id });
      }
    },
    (error: unknown) => void showFailure(services, actor, `Run of ${actor.name} failed: ${errorMessage(error)}`, { runId: handle.id }),
  );
  return handle;
}
