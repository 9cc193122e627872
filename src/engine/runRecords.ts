/** Writing a run record: one place, so every change is announced and no process undoes another's abort or timeout. */
import type { EngineContext } from './context';
import { isTerminal, type RunRecord } from './types';

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

/**
 * persistRun off the event loop, for the frequent saves of a running run (its status message, a few times a second
 * while an Actor sets one per item). One save at a time: one asked for meanwhile follows it, with the record as it is
 * then. The event goes out once the record is on disk, and not at all when a save on the event loop (persistRun: a
 * status change, the final record) overtook it, so a stale record is never announced after a newer one, or when
 * another process aborted the run meanwhile (its record stands; the next save carries the status message).
 */
export class BackgroundRunSaver {
  private saving = false;
  private again = false;

  constructor(
    private readonly ctx: EngineContext,
    private readonly run: RunRecord,
  ) {}

  save(): void {
    if (isTerminal(this.run.status)) return;
    if (this.saving) {
      this.again = true;
      return;
    }
    this.saving = true;
    void this.persist().finally(() => {
      this.saving = false;
      if (!this.again) return;
      this.again = false;
      this.save();
    });
  }

  private async persist(): Promise<void> {
    const { ctx, run } = this;
    // Read right before the rename: an abort or timeout another process wrote meanwhile stands (and is adopted).
    const notEscalated = async () => {
      const status = run.status;
      adoptEscalation(run, await ctx.store.getRunAsync(run.id));
      return run.status === status;
    };
    try {
      if (await ctx.store.saveRunAsync(run, notEscalated)) ctx.emit({ type: 'run-status', run: structuredClone(run) });
    } catch {
      // Not written (the disk is full): the next save, at the latest the final record, writes it.
    }
  }
}
