/** `greenroom run` and `greenroom resurrect`: stream a run's log until it ends; Ctrl+C aborts it. */
import { runName, runViewLink, type ActorEngine, type RunHandle, type RunRecord } from '../engine';
import { runCharges } from '../engine/chargeLedger';
import { formatRunCost } from '../engine/pricing';
import type { CliIo } from './command';
import { exitCodeOf } from './engineCli';

/**
 * Starts a run via `start`, prints its log (stderr when `json`, so stdout holds only the final record),
 * and returns the exit code mirroring the Actor's. The first Ctrl+C aborts gracefully, a second one at once.
 */
export async function followRun(engine: ActorEngine, io: CliIo, json: boolean, start: () => Promise<RunHandle>, knownRunId?: string): Promise<number> {
  const logOut = json ? io.stderr : io.stdout;
  let runId = knownRunId;
  // Until the run exists, the build it may need first is what logs.
  const unsubscribe = engine.onEvent((event) => {
    if (event.type === 'run-status' && runId === undefined) runId = event.run.id;
    if (event.type === 'build-log') logOut.write(event.lines.join('\n') + '\n');
  });
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts++;
    if (!runId) return;
    io.stderr.write(interrupts === 1 ? '\nAborting the run gracefully (Ctrl+C again to kill it)…\n' : '\nKilling the run…\n');
    engine.abort(runId, { graceful: interrupts === 1 }).catch((error: unknown) => io.stderr.write(`greenroom: ${(error as Error).message}\n`));
  };
  process.on('SIGINT', onInterrupt);
  try {
    const handle = await start();
    unsubscribe();
    const started = engine.getRun(handle.id);
    if (started && knownRunId === undefined) io.stderr.write(`${runName(started)} (${handle.id}) · open it in VS Code: ${runViewLink(engine.layout.actorRoot, handle.id)}\n`);
    let shownContainerUrl: string | null = null;
    let shownDebugger = false;
    // A resurrected run's log already holds its earlier containers: print from this one on.
    for await (const event of engine.follow({ kind: 'run', runId: handle.id }, { fromStart: knownRunId === undefined })) {
      if (event.type === 'lines') logOut.write(event.lines.join('\n') + '\n');
      if (event.type === 'record' && 'containerUrl' in event.record) {
        const { status, containerUrl } = event.record;
        if (status === 'RUNNING' && containerUrl && containerUrl !== shownContainerUrl) {
          shownContainerUrl = containerUrl;
          io.stderr.write(`Container URL (the Actor's web server): ${containerUrl}\n`);
        }
        const debug = event.record.greenroom.debug;
        if (status === 'RUNNING' && debug?.port && !shownDebugger) {
          shownDebugger = true;
          const client = debug.runtime === 'node' ? 'a Node.js debugger (VS Code: "Attach", chrome://inspect)' : 'a debugpy client (VS Code\'s Python Debugger: "Remote Attach")';
          io.stderr.write(`Debugger (${debug.runtime}) waiting on ${debug.host}:${debug.port}: attach ${client} with ${debug.localRoot} mapped to ${debug.remoteRoot}\n`);
        }
      }
    }
    const run: RunRecord = await handle.finished;
    if (json) io.stdout.write(JSON.stringify(run, null, 2) + '\n');
    else io.stderr.write(`${runName(run)} (${run.id}) ${run.status}${run.exitCode !== null ? ` (exit code ${run.exitCode})` : ''}${run.statusMessage ? `: ${run.statusMessage}` : ''}\n`);
    // In both modes, beside the log: the record holds no cost, which is computed from the run's charges.
    const cost = formatRunCost(runCharges(engine.layout, run));
    if (cost.total) io.stderr.write(`Charged (pay-per-event): ${cost.detail}: ${cost.events}\n`);
    return exitCodeOf(run);
  } finally {
    process.off('SIGINT', onInterrupt);
    unsubscribe();
    engine.dispose();
  }
}
