/** Writing a run record: one place, so every change is announced and no process undoes another's abort or timeout. */
import type { EngineContext } from './context';
import type { RunRecord } from './types';

/**
 * An abort or timeout another process wrote (ABORTING, TIMING-OUT) must not be overwritten by this
 * process's RUNNING; terminal statuses on disk never override (a resurrection legitimately leaves one).
 */
export function adoptEscalation(run: RunRecord, onDisk: RunRecord | undefined): void {
  const escalated = onDisk?.status === 'ABORTING' || onDisk?.status === 'TIMING-OUT';
  if (escalated && (run.status === 'READY' || run.status === 'RUNNING')) run.status = onDisk.status;
}

export function persistRun(ctx: EngineContext, run: RunRecord): RunRecord {
  adoptEscalation(run, ctx.store.getRun(run.id));
  ctx.store.saveRun(run);
  ctx.emit({ type: 'run-status', run: structuredClone(run) });
  return run;
}
