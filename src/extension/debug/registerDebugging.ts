/** The `actor` debug type: its configuration provider (also for a bare F5) and the inline adapter per session. */
import * as vscode from 'vscode';
import { Services } from '../services/services';
import { ActorDebugAdapter, ActorDebugRun } from './actorDebugAdapter';
import { ACTOR_DEBUG_TYPE, ActorDebugConfigurationProvider } from './actorDebugConfiguration';

/** The runs the open `actor` debug sessions follow (run on save re-attaches through them). */
export class ActorDebugSessions {
  private readonly runs = new Map<string, ActorDebugRun>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  set(sessionId: string, run: ActorDebugRun | undefined): void {
    if (run) this.runs.set(sessionId, run);
    else this.runs.delete(sessionId);
    this.changed.fire();
  }

  /** The debug session following a run, if any. */
  forRun(runId: string): ActorDebugRun | undefined {
    return [...this.runs.values()].find((run) => run.runId === runId);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function registerDebugging(services: Services, sessions: ActorDebugSessions): vscode.Disposable {
  const provider = new ActorDebugConfigurationProvider(services.registry);
  return vscode.Disposable.from(
    vscode.debug.registerDebugConfigurationProvider(ACTOR_DEBUG_TYPE, provider),
    // `*`: F5 with no launch.json reaches only these, with an empty configuration (the provider makes it an Actor's).
    vscode.debug.registerDebugConfigurationProvider('*', { resolveDebugConfiguration: (folder, config) => (config.type ? config : provider.resolveDebugConfiguration(folder, config)) }),
    vscode.debug.registerDebugAdapterDescriptorFactory(ACTOR_DEBUG_TYPE, {
      createDebugAdapterDescriptor: (session) => new vscode.DebugAdapterInlineImplementation(new ActorDebugAdapter(services, session, (run) => sessions.set(session.id, run))),
    }),
    sessions,
  );
}
