/**
 * The `actor` debug adapter, inline in the extension host: `launch` starts a debug run (or resurrects one) through
 * the engine, waits for the debugger in the container to listen, and starts a child session of the language's own
 * debugger attached to it (Node: VS Code's JavaScript debugger with the container's working directory mapped to the
 * Actor folder; Python: the Python Debugger's debugpy attach). Stop aborts the run (graceful per
 * greenroom.debug.abortGracefully); the session ends when the run ends.
 */
import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { isTerminal, RunDebug, RunHandle } from '../../engine';
import { ActorEntry, errorMessage } from '../actors/actorRegistry';
import { startRun } from '../runs/startRun';
import { Services } from '../services/services';
import { ActorDebugConfiguration, debugRunOptions } from './actorDebugConfiguration';

/** The Python debuggers that attach to debugpy, newest first (the Python Debugger extension, the older Python extension). */
const PYTHON_DEBUGGERS = [
  { extension: 'ms-python.debugpy', type: 'debugpy' },
  { extension: 'ms-python.python', type: 'python' },
];

/** A debug session's run, for run on save and the commands. */
export interface ActorDebugRun {
  actor: ActorEntry;
  runId: string;
  session: vscode.DebugSession;
}

export class ActorDebugAdapter implements vscode.DebugAdapter {
  private readonly messages = new vscode.EventEmitter<vscode.DebugProtocolMessage>();
  readonly onDidSendMessage = this.messages.event;
  private sequence = 1;
  private run: { actor: ActorEntry; handle: RunHandle } | undefined;
  private readonly cancelWait = new AbortController();
  private ended = false;

  constructor(
    private readonly services: Services,
    private readonly session: vscode.DebugSession,
    private readonly onRun: (run: ActorDebugRun | undefined) => void,
  ) {}

  handleMessage(message: vscode.DebugProtocolMessage): void {
    const request = message as DebugProtocol.Request;
    if (request.type !== 'request') return;
    switch (request.command) {
      case 'initialize':
        return this.respond(request, { supportsTerminateRequest: true } satisfies DebugProtocol.Capabilities);
      case 'launch':
        void this.launch(request);
        return;
      case 'disconnect':
      case 'terminate':
        void this.stop(request);
        return;
      default:
        // Breakpoints, threads and the rest belong to the child session.
        return this.respond(request, {});
    }
  }

  private async launch(request: DebugProtocol.Request): Promise<void> {
    const config = this.session.configuration as ActorDebugConfiguration;
    try {
      const actor = await this.services.registry.pick(config.actor, 'Debug');
      if (!actor) throw new Error(`no Actor at ${config.actor}`);
      const handle = config.resurrectRunId
        ? await actor.engine.resurrect(config.resurrectRunId, { debug: true, devMode: config.devMode })
        : await startRun(this.services, actor, debugRunOptions(config, actor.root));
      if (!handle) {
        // startRun has said why (with Open Log for a failed build): the session just ends.
        this.respond(request, {});
        return this.end();
      }
      if (config.resurrectRunId) this.services.logs.show(actor, { kind: 'run', runId: handle.id }, true);
      this.run = { actor, handle };
      this.onRun({ actor, runId: handle.id, session: this.session });
      void handle.finished.finally(() => this.end());
      const target = await actor.engine.waitForDebugger(handle.id, { signal: this.cancelWait.signal });
      await this.attach(actor, handle.id, target);
      this.respond(request, {});
    } catch (error) {
      this.respondError(request, `Cannot debug: ${errorMessage(error)}`);
      this.end();
    }
  }

  private async attach(actor: ActorEntry, runId: string, target: RunDebug): Promise<void> {
    const name = `${actor.name} · run ${runId}`;
    const options: vscode.DebugSessionOptions = { parentSession: this.session, lifecycleManagedByParent: true, compact: true, consoleMode: vscode.DebugConsoleMode.MergeWithParent };
    const folder = this.session.workspaceFolder;
    if (target.runtime === 'node') {
      const started = await vscode.debug.startDebugging(folder, {
        type: 'pwa-node',
        request: 'attach',
        name,
        address: target.host,
        port: target.port,
        localRoot: target.localRoot,
        remoteRoot: target.remoteRoot,
        sourceMaps: true,
        // The Actor waits in --inspect-brk: resume once the breakpoints are set, so it stops at the first one.
        continueOnAttach: true,
        skipFiles: ['<node_internals>/**'],
      }, options);
      if (!started) throw new Error(`VS Code's JavaScript debugger did not attach to 127.0.0.1:${target.port}`);
      return;
    }
    const python = PYTHON_DEBUGGERS.find((debugger_) => vscode.extensions.getExtension(debugger_.extension));
    if (!python) {
      void vscode.window.showWarningMessage(
        `The run of ${actor.name} waits for a Python debugger on ${target.host}:${target.port}: install the Python Debugger extension (ms-python.debugpy) to stop at breakpoints in VS Code, or attach any debugpy client there. Stop aborts the run.`,
      );
      return;
    }
    const started = await vscode.debug.startDebugging(folder, {
      type: python.type,
      request: 'attach',
      name,
      connect: { host: target.host, port: target.port },
      pathMappings: [{ localRoot: target.localRoot, remoteRoot: target.remoteRoot }],
      justMyCode: true,
    }, options);
    if (!started) throw new Error(`the Python debugger did not attach to ${target.host}:${target.port}`);
  }

  /** Stop in the debug toolbar: the run is aborted (a run that already ended is left as it is). */
  private async stop(request: DebugProtocol.Request): Promise<void> {
    this.cancelWait.abort();
    const run = this.run;
    if (run && !isTerminal(run.actor.engine.getRun(run.handle.id)?.status ?? 'SUCCEEDED')) {
      const graceful = vscode.workspace.getConfiguration('greenroom', vscode.Uri.file(run.actor.root)).get<boolean>('debug.abortGracefully') ?? true;
      await run.actor.engine.abort(run.handle.id, { graceful }).catch((error: unknown) => void vscode.window.showErrorMessage(`Cannot abort run ${run.handle.id}: ${errorMessage(error)}`));
    }
    this.respond(request, {});
    this.end();
  }

  /** The run ended (or never started): the session ends with it. */
  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onRun(undefined);
    this.send({ type: 'event', event: 'terminated', body: {} } as DebugProtocol.TerminatedEvent);
  }

  private respond(request: DebugProtocol.Request, body: unknown): void {
    this.send({ type: 'response', request_seq: request.seq, success: true, command: request.command, body } as DebugProtocol.Response);
  }

  private respondError(request: DebugProtocol.Request, message: string): void {
    this.send({ type: 'response', request_seq: request.seq, success: false, command: request.command, message, body: { error: { id: 1, format: message, showUser: true } } } as DebugProtocol.ErrorResponse);
  }

  private send(message: Omit<DebugProtocol.ProtocolMessage, 'seq'>): void {
    this.messages.fire({ ...message, seq: this.sequence++ });
  }

  dispose(): void {
    this.cancelWait.abort();
    this.messages.dispose();
  }
}
