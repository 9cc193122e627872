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
 * while an Actor sets one per item): the record is announced at once, in order with every other event, and written
 * in the background, one save at a time (one asked for meanwhile follows it, with the record as it is then). A save
 * on the event loop (persistRun: a status change, the final record) overtakes one under way, which is then dropped;
 * so is one that finds another process aborted the run meanwhile (its record stands and is adopted; the next save
 * carries the status message).
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
    this.ctx.emit({ type: 'run-status', run: structuredClone(this.run) });
    this.write();
  }

  private write(): void {
    if (this.saving) {
      this.again = true;
      return;
    }
    this.saving = true;
    void this.persist().finally(() => {
      this.saving = false;
      if (!this.again || isTerminal(this.run.status)) return;
      this.again = false;
      this.write();
    });
  }

  private async persist(): Promise<void> {
    const { ctx, run } = this;
    let escalated = false;
    // Read right before the rename: an abort or timeout another process wrote meanwhile stands.
    const notEscalated = async () => {
      const status = run.status;
      adoptEscalation(run, await ctx.store.getRunAsync(run.id));
      escalated = run.status !== status;
      return !escalated;
    };
    try {
      await ctx.store.saveRunAsync(run, notEscalated);
    } catch {
      // Not written (the disk is full): the next save, at the latest the final record, writes it.
    }
    if (escalated && !isTerminal(run.status)) ctx.emit({ type: 'run-status', run: structuredClone(run) });
  }
}
