/** Writing a run record: one place, so every change is announced and no process undoes another's abort or timeout. */
import type { EngineContext } from './context';
import { isTerminal, RunRecord } from './types';
import { SerialJob } from './serialJob';

/**
 * What another process wrote must not be overwritten by this process's copy: an abort or timeout (ABORTING,
 * TIMING-OUT) by its RUNNING, a migration asked for, and a newer status message (at home the API sets it,
 * `PUT /v2/actor-runs/:id`, in whichever process serves), runs it started (`Actor.call`). Terminal records on disk never override (a resurrection
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
  // Runs it started, noted by whichever process served the call.
  const known = new Set((run.greenroom.calls ?? []).map((call) => call.runId));
  const noted = (onDisk.greenroom.calls ?? []).filter((call) => !known.has(call.runId));
  if (noted.length) run.greenroom.calls = [...(run.greenroom.calls ?? []), ...noted];
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
 * so is one that finds another process changed the record meanwhile (an abort, a timeout, a migration, a newer
 * status message: that record stands and is adopted).
 */
export class BackgroundRunSaver {
  private readonly writer = new SerialJob(() => this.persist(), () => !isTerminal(this.run.status));

  constructor(
    private readonly ctx: EngineContext,
    private readonly run: RunRecord,
  ) {}

  save(): void {
    if (isTerminal(this.run.status)) return;
    this.ctx.emit({ type: 'run-status', run: structuredClone(this.run) });
    this.writer.run();
  }

  private async persist(): Promise<void> {
    const { ctx, run } = this;
    let adopted = false;
    // Read right before the rename: what another process wrote meanwhile (an abort, a timeout, a migration, a newer
    // status message) stands, and is adopted.
    const nothingAdopted = async () => {
      const before = JSON.stringify(run);
      adoptEscalation(run, await ctx.store.getRunAsync(run.id));
      adopted = JSON.stringify(run) !== before;
      return !adopted;
    };
    try {
      await ctx.store.saveRunAsync(run, nothingAdopted);
    } catch {
      // Not written (the disk is full): the next save, at the latest the final record, writes it.
    }
    if (adopted && !isTerminal(run.status)) ctx.emit({ type: 'run-status', run: structuredClone(run) });
  }
}
