/** Writing a run record: one place, so every change is announced and no process undoes another's abort or timeout. */
import type { EngineContext } from './context';
import { isTerminal, RunRecord } from './types';

/**
 * What another process wrote must not be overwritten by this process's copy: an abort or timeout (ABORTING,
 * TIMING-OUT) by its RUNNING, a migration asked for, and a newer status message (at home the API sets it,
 * `PUT /v2/actor-runs/:id`, in whichever process serves). Terminal records on disk never override (a resurrection
 * legitimately leaves one).
 */
export function adoptEscalation(run: RunRecord, onDisk: RunRecord | undefined): void {
  if (!onDisk || isTerminal(onDisk.status)) return;
  const escalated = onDisk.status === 'ABORTING' || onDisk.status === 'TIMING-OUT';
  if (escalated && (run.status === 'READY' || run.status === 'RUNNING')) run.status = onDisk.status;
  const theirs = onDisk.greenroom.statusMessageSetAt;
  if (theirs && theirs > (run.greenroom.statusMessageSetAt ?? '') && !isTerminal(run.status)) {
    run.statusMessage = onDisk.statusMessage;
    run.isStatusMessageTerminal = onDisk.isStatusMessageTerminal;
    run.greenroom.statusMessageSetAt = theirs;
  }
  const asked = onDisk.greenroom.migration;
  if (asked && asked.requestedAt > (run.greenroom.migration?.requestedAt ?? '')) run.greenroom.migration = asked;
}

export function persistRun(ctx: EngineContext, run: RunRecord): RunRecord {
  adoptEscalation(run, ctx.store.getRun(run.id));
  ctx.store.saveRun(run);
  ctx.emit({ type: 'run-status', run: structuredClone(run) });
  return run;
}
