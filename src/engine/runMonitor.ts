/**
 * Follows one run's container from start (or re-attach) to its end: streams the log into the run's log
 * file and to subscribers, picks up status messages, samples stats, enforces the timeout, and finalises
 * the record when the container exits. The same code path serves a fresh start, a re-attach after the
 * engine restarted, and a container that already exited while nobody watched.
 */
import { statSync } from 'node:fs';
import type Docker from 'dockerode';
import { ContainerLog, DOCKER_RETRY_MS, sleep } from './containerLog';
import type { EngineContext } from './context';
import { CancelledError, DockerUnavailableError, isNotFound, withSignal } from './dockerClient';
import { LineSplitter, LogSink, type LogSinkHandlers } from './logs';
import { adoptEscalation, BackgroundRunSaver, persistRun } from './runRecords';
import { DockerStatsMessage, StatsAggregator, toSample } from './stats';
import { SampleWriter } from './statsSamples';
import { StorageReader } from '../storage';
import { isTerminal, MetamorphTarget, MigrationRequest, migrationRequest, pendingMigration, RunRecord, RunStatus } from './types';

/** A run being followed: its id, its final record once it ends, and abort. */
export interface RunHandle {
  readonly id: string;
  /** Settles with the final record. */
  readonly finished: Promise<RunRecord>;
  abort(options?: { graceful?: boolean }): Promise<RunRecord>;
}

/** How often a run's status message is saved at most (each save rewrites the record and announces it). */
const STATUS_SAVE_INTERVAL_MS = 250;

/** Stand-in exit code for a container that no longer exists. */
const VANISHED = -1;

export interface MonitorOptions {
  gracefulAbortMs: number;
  /** A migration's container has exited: start the next one (its monitor follows the run from there). */
  replaceContainer(run: RunRecord, exitCode: number | null): Promise<RunMonitor>;
  /** Called once the record is final (retention, bookkeeping). */
  onFinished(run: RunRecord): void;
}

interface Exit {
  code: number;
  /** Docker stopped answering while the container ran (the engine stopped or restarted). */
  engineStopped: boolean;
}

/** A sink appending to the run's log and its times file, its lines going out as the run's log events. */
export function runLogSink(ctx: EngineContext, runId: string, onStatus?: LogSinkHandlers['onStatus']): LogSink {
  return new LogSink(ctx.layout.runLog(runId), { onLines: (lines) => ctx.emit({ type: 'run-log', runId, lines }), onStatus }, ctx.layout.runLogTimes(runId));
}

export class RunMonitor implements RunHandle {
  readonly finished: Promise<RunRecord>;
  private readonly streams = new AbortController();
  private readonly stats: StatsAggregator;
  private readonly log: ContainerLog | undefined;
  private readonly exited: Promise<Exit>;
  private timeoutTimer: NodeJS.Timeout | undefined;
  /** A status message waiting to be saved (an Actor may set one per item: they are saved a few times a second). */
  private statusTimer: NodeJS.Timeout | undefined;
  private statusSavedAt = 0;
  private readonly statusSaver: BackgroundRunSaver;
  private waitAttempt: AbortController | undefined;
  /** Settles once a migration's new container runs (or the run ended instead). */
  private replaced: Promise<RunRecord> | undefined;
  private settleReplaced: ((run: RunRecord) => void) | undefined;

  constructor(
    private readonly ctx: EngineContext,
    readonly run: RunRecord,
    /** Undefined when the record names no container (it vanished before being created). */
    private readonly container: Docker.Container | undefined,
    private readonly options: MonitorOptions,
  ) {
    this.stats = new StatsAggregator(run.stats);
    this.statusSaver = new BackgroundRunSaver(ctx, run);
    run.greenroom.monitorPid = process.pid;
    persistRun(ctx, run);
    this.log = container && this.followLog(container);
    this.followStats();
    this.exited = this.waitForExit();
    this.armTimeout();
    this.finished = this.exited.then(
      (exit) => this.finalize(exit),
      (error: unknown) => this.finalizeLost(error),
    );
  }

  get id(): string {
    return this.run.id;
  }

  /**
   * Immediate (SIGKILL) or graceful: at home the `aborting` event (the events channel sends it on seeing ABORTING),
   * in local mode SIGINT; then SIGKILL after the window. When Docker cannot be reached the status goes back to
   * what it was and the error says why: nothing pretends an abort happened.
   */
  async abort({ graceful = false }: { graceful?: boolean } = {}): Promise<RunRecord> {
    if (!isTerminal(this.run.status) && this.run.status !== 'ABORTING') {
      const before = this.run.status;
      this.run.status = 'ABORTING';
      persistRun(this.ctx, this.run);
      if (this.container) {
        try {
          await stopContainer(this.ctx, this.container, this.stopOptions(graceful), this.exited);
        } catch (error) {
          if (this.run.status === 'ABORTING') {
            this.run.status = before;
            this.ctx.store.saveRun(this.run);
            this.ctx.emit({ type: 'run-status', run: structuredClone(this.run) });
          }
          throw error;
        }
      }
    }
    return this.finished;
  }

  /**
   * Replaces the container, the run staying RUNNING (Runner.migrate says how). Resolves with the record once the
   * new container runs, or with the final record when the run ended meanwhile (aborted, timed out). The caller
   * has checked that the run can be migrated (Runner.migrate).
   */
  async migrate(kind: MigrationRequest['kind'], metamorph?: MetamorphTarget): Promise<RunRecord> {
    // A reboot during a migration (the SDK's own `migrating` handler) only ends the window early.
    if (!pendingMigration(this.run)) {
      this.run.greenroom.migration = migrationRequest(kind, this.options.gracefulAbortMs, metamorph);
      this.replaced = new Promise((resolve) => (this.settleReplaced = resolve));
      persistRun(this.ctx, this.run);
    }
    if (this.container) await stopContainer(this.ctx, this.container, this.stopOptions(kind === 'migration'), this.exited);
    return Promise.race([this.replaced ?? this.finished, this.finished]);
  }

  /** A status message the Actor set (its log in local mode, the API at home); saved a few times a second at most. */
  setStatusMessage(text: string, terminal: boolean): void {
    this.run.statusMessage = text;
    this.run.isStatusMessageTerminal = terminal;
    this.run.greenroom.statusMessageSetAt = new Date().toISOString();
    this.statusTimer ??= setTimeout(() => this.saveStatusMessage(), Math.max(0, this.statusSavedAt + STATUS_SAVE_INTERVAL_MS - Date.now()));
  }

  /** Stops following without touching the container (the engine is being disposed). */
  detach(): void {
    clearTimeout(this.timeoutTimer);
    if (this.statusTimer) this.saveStatusMessage(true);
    this.streams.abort();
    // Ends at once (its streams are cancelled) and closes the log file.
    void this.log?.drain();
  }

  private followLog(container: Docker.Container): ContainerLog {
    const run = this.run;
    const file = this.ctx.store.layout.runLog(run.id);
    // At home the status message comes through the API (setStatusMessage), not from the log: a log line read late
    // must not undo the API's terminal flag.
    const sink = runLogSink(this.ctx, run.id, run.greenroom.atHome ? undefined : (status) => this.setStatusMessage(status.text, status.terminal));
    // After a re-attach the file already holds the start of this container's output: resume after it.
    const written = Math.max(0, fileSize(file) - run.greenroom.logOffset);
    // A wait on an engine that died may never settle: a broken log stream says to check and ask again.
    const log = new ContainerLog(this.ctx, container, sink, written, this.streams.signal, () => this.waitAttempt?.abort());
    return log;
  }

  private followStats(): void {
    const { docker } = this.ctx;
    const container = this.container;
    if (!container) return;
    docker
      .call('follow stats', (abortSignal) => container.stats(withSignal({ stream: true as const }, abortSignal)), {
        timeoutMs: 0,
        signal: this.streams.signal,
      })
      .then((stream) => {
        const splitter = new LineSplitter();
        const samples = new SampleWriter(this.ctx.layout.runSamples(this.run.id));
        this.streams.signal.addEventListener('abort', () => samples.close(), { once: true });
        stream.on('data', (chunk: Buffer) => {
          for (const line of splitter.push(chunk)) {
            let sample;
            try {
              sample = toSample(JSON.parse(line) as DockerStatsMessage);
            } catch {
              continue;
            }
            if (!sample) continue;
            this.stats.add(sample);
            samples.add(sample);
            Object.assign(this.run.stats, this.stats.summary(), this.timing(Date.now()));
            this.ctx.emit({ type: 'run-stats', runId: this.run.id, stats: { ...this.run.stats }, sample });
          }
        });
        stream.on('error', () => undefined);
        this.streams.signal.addEventListener('abort', () => (stream as NodeJS.ReadableStream & { destroy(): void }).destroy(), { once: true });
      })
      .catch(() => undefined);
  }

  /** The container's exit code; when Docker stops answering meanwhile, asks again once it is back. */
  private async waitForExit(): Promise<Exit> {
    const { docker } = this.ctx;
    const container = this.container;
    let engineStopped = false;
    if (!container) return { code: VANISHED, engineStopped };
    for (;;) {
      const attempt = (this.waitAttempt = new AbortController());
      try {
        const result = await docker.call('wait for container', (abortSignal) => container.wait({ abortSignal }), {
          timeoutMs: 0,
          signal: AbortSignal.any([this.streams.signal, attempt.signal]),
        });
        return { code: (result as { StatusCode: number }).StatusCode, engineStopped };
      } catch (error) {
        if (isNotFound(error)) return { code: VANISHED, engineStopped };
        if (this.streams.signal.aborted || !(error instanceof DockerUnavailableError || attempt.signal.aborted)) throw error;
        while (!this.streams.signal.aborted && !(await docker.ping(this.streams.signal).then(() => true, () => false))) {
          engineStopped = true;
          await sleep(DOCKER_RETRY_MS, this.streams.signal);
        }
        if (this.streams.signal.aborted) throw new CancelledError('Stopped following the run');
      }
    }
  }

  private armTimeout(): void {
    const timeoutAt = this.run.greenroom.timeoutAt;
    if (!timeoutAt) return;
    const onTimeout = () => {
      if (this.run.status !== 'RUNNING') return;
      this.run.status = 'TIMING-OUT';
      persistRun(this.ctx, this.run);
      if (this.container) stopContainer(this.ctx, this.container, this.stopOptions(true), this.exited).catch(() => undefined);
    };
    this.timeoutTimer = setTimeout(onTimeout, Math.max(0, Date.parse(timeoutAt) - Date.now()));
  }

  private stopOptions(graceful: boolean): StopOptions {
    return { graceful, windowMs: this.options.gracefulAbortMs, atHome: this.run.greenroom.atHome === true };
  }

  private timing(now: number): { runTimeSecs: number; durationMillis: number } {
    const segmentStart = Date.parse(this.run.greenroom.segmentStartedAt ?? this.run.startedAt);
    const durationMillis = this.run.greenroom.previousSegmentsMillis + Math.max(0, now - segmentStart);
    return { durationMillis, runTimeSecs: durationMillis / 1000 };
  }

  /** The final record carries the last status message; until then, it is saved on its own (in the background, unless the process is leaving). */
  private saveStatusMessage(now = false): void {
    clearTimeout(this.statusTimer);
    this.statusTimer = undefined;
    this.statusSavedAt = Date.now();
    if (isTerminal(this.run.status)) return;
    if (now) persistRun(this.ctx, this.run);
    else this.statusSaver.save();
  }

  private async finalize(exit: Exit): Promise<RunRecord> {
    let { engineStopped } = exit;
    clearTimeout(this.timeoutTimer);
    const { docker } = this.ctx;
    const run = this.run;
    let exitCode = exit.code;
    // Every line the container wrote goes into the log before the container is removed, however far behind the stream is.
    await this.log?.drain();
    this.streams.abort();

    let finishedAt = new Date();
    let oomKilled = false;
    let unreachable = false;
    const container = this.container;
    let vanished = exitCode === VANISHED || !container;
    if (container && !vanished) {
      try {
        const info = await docker.call('inspect container', (abortSignal) => container.inspect({ abortSignal }));
        oomKilled = info.State.OOMKilled;
        exitCode = info.State.ExitCode;
        if (info.State.FinishedAt && !info.State.FinishedAt.startsWith('0001')) finishedAt = new Date(info.State.FinishedAt);
      } catch (error) {
        vanished = isNotFound(error);
        // The engine stopped right after the container (it stops them when it shuts down): the wait's exit code stands.
        unreachable = error instanceof DockerUnavailableError;
        if (unreachable) engineStopped = true;
      }
    }

    adoptEscalation(run, this.ctx.store.getRun(run.id));
    const migration = pendingMigration(run);
    if (migration && run.status === 'RUNNING' && !vanished && !unreachable) return this.replaceContainer(exitCode, finishedAt);
    // A migration the run's end overtook (an abort, a timeout, the engine stopping) is dropped.
    if (migration) migration.handledAt = finishedAt.toISOString();
    const outcome = decideOutcome(run, { exitCode, oomKilled, vanished, engineStopped });
    const restart = migration ? undefined : restartOnErrorDecision(run, outcome, { vanished, engineStopped }, finishedAt.getTime());
    if (restart === 'restart') {
      run.greenroom.migration = migrationRequest('restart', 0);
      return this.replaceContainer(exitCode, finishedAt);
    }
    if (restart === 'limit') {
      outcome.statusMessage = `${outcome.statusMessage}; not restarted: ${RESTART_ON_ERROR_LIMIT}`;
      const sink = runLogSink(this.ctx, run.id);
      sink.note(`Greenroom: the container exited with code ${exitCode}; not restarted: ${RESTART_ON_ERROR_LIMIT}`);
      await sink.close();
    }
    this.record(outcome, vanished ? null : exitCode, finishedAt);
    // An engine that is down keeps the container; it is only disk space.
    if (container && !vanished && !unreachable) {
      await docker.call('remove container', (abortSignal) => container.remove({ force: true, abortSignal })).catch(() => undefined);
    }
    this.options.onFinished(run);
    return run;
  }

  /** Hands the run to the next container's monitor; this one's `finished` is the run's end, whenever that is. */
  private async replaceContainer(exitCode: number, exitedAt: Date): Promise<RunRecord> {
    Object.assign(this.run.stats, this.stats.summary(), this.timing(exitedAt.getTime()));
    if (this.container) await this.ctx.docker.call('remove container', (abortSignal) => this.container!.remove({ force: true, abortSignal })).catch(() => undefined);
    let next: RunMonitor;
    try {
      next = await this.options.replaceContainer(this.run, exitCode);
    } catch {
      // startContainer recorded the run FAILED, saying why.
      this.settleReplaced?.(this.run);
      this.options.onFinished(this.run);
      return this.run;
    }
    this.settleReplaced?.(next.run);
    return next.finished;
  }

  /** Following failed in a way that says nothing about the container: the run ends FAILED saying why, not RUNNING for ever. */
  private async finalizeLost(error: unknown): Promise<RunRecord> {
    if (error instanceof CancelledError || this.streams.signal.aborted) throw error;
    clearTimeout(this.timeoutTimer);
    this.streams.abort();
    await this.log?.drain();
    this.record({ status: 'FAILED', statusMessage: `Greenroom lost track of the run's container: ${(error as Error).message}` }, null, new Date());
    this.options.onFinished(this.run);
    return this.run;
  }

  private record(outcome: { status: RunStatus; statusMessage: string | null }, exitCode: number | null, finishedAt: Date): void {
    const run = this.run;
    // Another monitor of this container's end recorded it first (an engine made anew while this run was starting
    // followed it too): its record stands, since the one that stopped the container knew why.
    const onDisk = this.ctx.store.getRun(run.id);
    if (onDisk && isTerminal(onDisk.status)) {
      Object.assign(run, onDisk);
      return;
    }
    Object.assign(run, { ...outcome, isStatusMessageTerminal: true, exitCode, finishedAt: finishedAt.toISOString() });
    Object.assign(run.stats, this.stats.summary(), this.timing(finishedAt.getTime()), {
      datasetItemCount: new StorageReader(run.greenroom.storageDir).datasetItemCount(run.defaultDatasetId),
    });
    run.greenroom.monitorPid = null;
    run.greenroom.containerId = null;
    clearTimeout(this.statusTimer);
    this.statusTimer = undefined;
    persistRun(this.ctx, run);
  }
}

/**
 * The platform's restartOnError (@apify/consts ACTOR_RESTART_ON_ERROR): a run whose container fails (exits non-zero
 * or runs out of memory; not an abort, a timeout, a vanished container or a stopped engine) gets a new container,
 * unless it was already restarted MAX_RESTARTS times within INTERVAL_MILLIS: a restart loop ends the run FAILED.
 */
export const RESTART_ON_ERROR = { MAX_RESTARTS: 3, INTERVAL_MILLIS: 60_000 };
const RESTART_ON_ERROR_LIMIT = `restarted ${RESTART_ON_ERROR.MAX_RESTARTS} times within ${RESTART_ON_ERROR.INTERVAL_MILLIS / 1000} s (restartOnError's limit)`;

function restartOnErrorDecision(
  run: RunRecord,
  outcome: { status: RunStatus },
  exit: { vanished: boolean; engineStopped: boolean },
  nowMillis: number,
): 'restart' | 'limit' | undefined {
  if (!run.options.restartOnError || run.status !== 'RUNNING' || outcome.status !== 'FAILED' || exit.vanished || exit.engineStopped) return undefined;
  const recent = (run.greenroom.restartedAt ?? []).filter((at) => nowMillis - Date.parse(at) < RESTART_ON_ERROR.INTERVAL_MILLIS);
  return recent.length < RESTART_ON_ERROR.MAX_RESTARTS ? 'restart' : 'limit';
}

function decideOutcome(
  run: RunRecord,
  exit: { exitCode: number; oomKilled: boolean; vanished: boolean; engineStopped: boolean },
): { status: RunStatus; statusMessage: string | null } {
  const memory = `${run.options.memoryMbytes} MB`;
  if (exit.vanished) return { status: 'FAILED', statusMessage: 'The run\'s container disappeared (removed outside Greenroom or the Docker engine was reset)' };
  if (run.status === 'ABORTING') return { status: 'ABORTED', statusMessage: run.statusMessage ?? 'Aborted' };
  if (run.status === 'TIMING-OUT') return { status: 'TIMED-OUT', statusMessage: `Timed out after ${run.options.timeoutSecs} s` };
  if (exit.oomKilled) return { status: 'FAILED', statusMessage: `The Actor ran out of memory (limit ${memory}) and was killed` };
  if (exit.exitCode === 0) return { status: 'SUCCEEDED', statusMessage: run.statusMessage ?? 'Finished' };
  if (exit.engineStopped) return { status: 'FAILED', statusMessage: `The Docker engine stopped during the run and the container ended with it (exit code ${exit.exitCode})` };
  return { status: 'FAILED', statusMessage: run.statusMessage ?? `Exited with code ${exit.exitCode}` };
}

export interface StopOptions {
  graceful: boolean;
  /** How long a graceful stop waits for the container to exit before the kill. */
  windowMs: number;
  /** At home the Actor is told through the events channel (`aborting`, `migrating`): no signal, only the window. */
  atHome: boolean;
}

/**
 * Graceful: the window to exit (in local mode after SIGINT, the only notice there is), then SIGKILL; else SIGKILL at
 * once. Resolves when the container has exited.
 */
export async function stopContainer(ctx: EngineContext, container: Docker.Container, { graceful, windowMs, atHome }: StopOptions, exited: Promise<unknown>): Promise<void> {
  const kill = (signal: string) =>
    ctx.docker.call(`send ${signal}`, (abortSignal) => container.kill({ signal, abortSignal })).catch((error) => {
      // 409: not running any more — exactly what we want.
      if ((error as { statusCode?: number }).statusCode !== 409 && !isNotFound(error)) throw error;
    });
  if (graceful) {
    // At home SIGINT would end the SDK at once (exit 130), before its `aborting` handlers run.
    if (!atHome) await kill('SIGINT');
    if (await withinMillis(exited.catch(() => undefined), windowMs)) return;
  }
  await kill('SIGKILL');
  await exited.catch(() => undefined);
}

/** Whether `promise` settled within `millis` (the timer never keeps the process alive afterwards). */
async function withinMillis(promise: Promise<unknown>, millis: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), millis)));
  try {
    return await Promise.race([promise.then(() => true), expired]);
  } finally {
    clearTimeout(timer);
  }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
