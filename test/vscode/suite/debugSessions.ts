// What the debugging tests and `npm run bench:debug` watch: where debug sessions stop, and runs' ends on disk.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { DOCKER_WAIT_CEILING_MS, activateExtension, waitFor } from './helpers';

export interface Stop {
  session: vscode.DebugSession;
  threadId: number;
  /** When the adapter said so (Date.now()). */
  at: number;
}

/**
 * Every `stopped` event of every debug session from now on (the API has none: a tracker sees the adapters' messages,
 * the JavaScript and Python debuggers' child sessions too).
 */
export function trackStops(): { list: Stop[]; dispose(): void } {
  const list: Stop[] = [];
  const tracker = vscode.debug.registerDebugAdapterTrackerFactory('*', {
    createDebugAdapterTracker: (session) => ({
      onDidSendMessage: (message: { type: string; event?: string; body?: { threadId: number } }) => {
        if (message.type === 'event' && message.event === 'stopped') list.push({ session, threadId: message.body!.threadId, at: Date.now() });
      },
    }),
  });
  return { list, dispose: () => tracker.dispose() };
}

/**
 * A debugging suite's hooks: before, the extension active and stops tracked; after, the tracker gone, every
 * breakpoint removed and the editors closed. Gives the stops so far.
 */
export function debuggingSuiteHooks(): { readonly list: Stop[] } {
  let stops: ReturnType<typeof trackStops> | undefined;
  before(async () => {
    await activateExtension();
    stops = trackStops();
  });
  after(async () => {
    stops?.dispose();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  return {
    get list() {
      return stops?.list ?? [];
    },
  };
}

/** A run's record as the engine wrote it. */
export function runRecord(actorRoot: string, runId: string): { id: string; status: string; startedAt: string; greenroom: { devMode?: boolean; debug?: { runtime: string } }; options: { timeoutSecs: number }; stats: { resurrectCount: number } } {
  return JSON.parse(fs.readFileSync(path.join(actorRoot, '.greenroom', 'runs', `${runId}.json`), 'utf8'));
}

/** A run's log so far ('' before its first line: a run's record is written before its log). */
export function runLog(actorRoot: string, runId: string): string {
  const file = path.join(actorRoot, '.greenroom', 'runs', `${runId}.log`);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

/** The Actor's run ids, oldest first (ids sort by their start). */
export function runIds(actorRoot: string): string[] {
  const dir = path.join(actorRoot, '.greenroom', 'runs');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((file) => file.endsWith('.json')).map((file) => file.slice(0, -'.json'.length)).sort((a, b) => runStart(actorRoot, a) - runStart(actorRoot, b));
}

function runStart(actorRoot: string, runId: string): number {
  return Date.parse(runRecord(actorRoot, runId).startedAt);
}

/** Waits for the run's terminal status and returns it. */
export function waitForRunEnd(actorRoot: string, runId: string): Promise<string> {
  return waitFor(`run ${runId} to end`, () => {
    const { status } = runRecord(actorRoot, runId);
    return ['SUCCEEDED', 'FAILED', 'ABORTED', 'TIMED-OUT'].includes(status) ? status : undefined;
  }, DOCKER_WAIT_CEILING_MS);
}

/** A stack frame's file: under code-server the path comes as a vscode-remote URI of the same file. */
export function framePath(frame: { source: { path: string } }): string {
  return frame.source.path.includes('://') ? vscode.Uri.parse(frame.source.path).path : frame.source.path;
}

/** Starts an `actor` debug configuration. */
export const debugConfiguration = (config: Record<string, unknown>) => () =>
  vscode.debug.startDebugging(vscode.workspace.workspaceFolders![0], { type: 'actor', request: 'launch', name: 'Debug test Actor', ...config });

/**
 * Sets a breakpoint at `line` (0-based) of `file`, starts debugging (`start`: a configuration, a command) and waits
 * until a session stops; `ended` settles once the `actor` session is over.
 */
export async function debugToBreakpoint(stops: { list: Stop[] }, start: () => Thenable<boolean>, file: string, line: number): Promise<{ stop: Stop; frame: { id: number; line: number; source: { path: string } }; ended: Promise<void> }> {
  stops.list.length = 0;
  vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
  vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(vscode.Uri.file(file), new vscode.Position(line, 0)))]);
  const terminated = new Set<string>();
  const listener = vscode.debug.onDidTerminateDebugSession((session) => terminated.add(session.id));
  try {
    if (!(await start())) throw new Error('the debug session did not start');
    const stop = await waitFor('the debugger to stop', () => stops.list[0], DOCKER_WAIT_CEILING_MS);
    const trace = await stop.session.customRequest('stackTrace', { threadId: stop.threadId, levels: 1 });
    // This run's `actor` session, above the JavaScript debugger's own (an earlier test's may still be ending).
    let actor = stop.session;
    while (actor.type !== 'actor' && actor.parentSession) actor = actor.parentSession;
    const ended = waitFor('the actor debug session to end', () => (terminated.has(actor.id) ? true : undefined), DOCKER_WAIT_CEILING_MS).then(() => listener.dispose());
    return { stop, frame: trace.stackFrames[0], ended };
  } catch (error) {
    listener.dispose();
    throw error;
  }
}
