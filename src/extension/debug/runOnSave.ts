/**
 * Run on save (a toggle per Actor, Actor: Toggle Run on Save): saving a source file of the Actor aborts its running
 * dev-mode run gracefully and starts a new one with the same input, a moment after the last save (debounced); a
 * run a debug session follows is restarted through a new debug session, which re-attaches.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { DEV_MODE_EXCLUDED, isTerminal, RunRecord } from '../../engine';
import { ActorEntry, ActorHint, errorMessage } from '../actors/actorRegistry';
import { startRun } from '../runs/startRun';
import { Services } from '../services/services';
import { ActorDebugSessions } from './registerDebugging';

/** Saves within this long of each other restart the run once (a burst of saves, e.g. Save All, on a busy machine). */
export const RUN_ON_SAVE_DEBOUNCE_MS = 1000;
const ENABLED_KEY = 'greenroom.runOnSave';

export function registerRunOnSave(services: Services, sessions: ActorDebugSessions, state: vscode.Memento): vscode.Disposable {
  const timers = new Map<string, NodeJS.Timeout>();
  const enabled = (): string[] => state.get<string[]>(ENABLED_KEY, []);
  const publish = () => void vscode.commands.executeCommand('setContext', ENABLED_KEY, enabled());
  publish();
  return vscode.Disposable.from(
    vscode.commands.registerCommand('greenroom.toggleRunOnSave', async (hint?: ActorHint) => {
      const actor = await services.registry.pick(hint, 'Toggle Run on Save');
      if (!actor) return undefined;
      const on = !enabled().includes(actor.root);
      await state.update(ENABLED_KEY, on ? [...enabled(), actor.root] : enabled().filter((root) => root !== actor.root));
      publish();
      void vscode.window.showInformationMessage(`Run on save is ${on ? 'on' : 'off'} for ${actor.name}${on ? ': saving a source file restarts its running dev-mode run' : ''}.`);
      return on;
    }),
    vscode.workspace.onDidSaveTextDocument((document) => {
      if (document.uri.scheme !== 'file') return;
      const actor = services.registry.owning(document.uri.fsPath);
      if (!actor || !enabled().includes(actor.root) || !isSource(actor.root, document.uri.fsPath)) return;
      clearTimeout(timers.get(actor.root));
      timers.set(actor.root, setTimeout(() => {
        timers.delete(actor.root);
        void restart(services, sessions, actor);
      }, RUN_ON_SAVE_DEBOUNCE_MS));
    }),
    { dispose: () => timers.forEach((timer) => clearTimeout(timer)) },
  );
}

/** A file dev mode mounts (not storages, records or installed dependencies). */
function isSource(actorRoot: string, file: string): boolean {
  const first = path.relative(actorRoot, file).split(path.sep)[0];
  return !!first && first !== '..' && !DEV_MODE_EXCLUDED.has(first);
}

async function restart(services: Services, sessions: ActorDebugSessions, actor: ActorEntry): Promise<void> {
  const run = actor.engine.listRuns().find((r) => !isTerminal(r.status) && r.greenroom.devMode);
  if (!run) return;
  try {
    const debugged = sessions.forRun(run.id);
    if (debugged) {
      // Stop aborts the run (the adapter); the new session starts a new run with the same configuration and attaches.
      const ended = new Promise<void>((resolve) => {
        const listener = vscode.debug.onDidTerminateDebugSession((session) => session.id === debugged.session.id && (listener.dispose(), resolve()));
      });
      await vscode.debug.stopDebugging(debugged.session);
      await ended;
      await waitUntilEnded(actor, run.id);
      await vscode.debug.startDebugging(debugged.session.workspaceFolder, debugged.session.configuration);
      return;
    }
    if (!isTerminal(actor.engine.getRun(run.id)?.status ?? 'SUCCEEDED')) await actor.engine.abort(run.id, { graceful: true });
    await startRun(services, actor, { ...sameRunOptions(actor, run), devMode: true });
  } catch (error) {
    void vscode.window.showErrorMessage(`Run on save: cannot restart run ${run.id} of ${actor.name}: ${errorMessage(error)}`);
  }
}

/** The input (as stored for the run) and the options the run was started with. */
function sameRunOptions(actor: ActorEntry, run: RunRecord): { input: unknown; memoryMbytes: number; timeoutSecs: number; build: string } {
  const record = actor.engine.storages(run.id).readRecord(run.defaultKeyValueStoreId, run.greenroom.inputKey);
  return { input: record ? JSON.parse(record.value.toString('utf8')) : undefined, memoryMbytes: run.options.memoryMbytes, timeoutSecs: run.options.timeoutSecs, build: run.options.build };
}

async function waitUntilEnded(actor: ActorEntry, runId: string): Promise<void> {
  const handle = actor.engine.runHandle(runId);
  if (handle) await handle.finished;
}
