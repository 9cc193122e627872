/**
 * Follows one run's container from start (or re-attach) to its end: streams the log into the run's log
 * file and to subscribers, picks up status messages, samples stats, enforces the timeout, and finalises
 * the record when the container exits. The same code path serves a fresh start, a re-attach after the
 * engine restarted, and a container that already exited while nobody watched.
 */
import { Writable } from 'node:stream';
import type Docker from 'dockerode';
import type { EngineContext } from './context';
import { isNotFound, withSignal } from './dockerClient';
import { LineSplitter, LogSink } from './logs';
import { DockerStatsMessage, StatsAggregator, toSample } from './stats';
import { StorageReader } from './storages';
import type { RunHandle } from './runs';
import { isTerminal, RunRecord, RunStatus } from './types';

/**
 * An abort or timeout another process wrote (ABORTING, TIMING-OUT) must not be overwritten by this
 * process's RUNNING; terminal statuses on disk never override (a resurrection legitimately leaves one).
 */
function adoptEscalation(run: RunRecord, onDisk: RunRecord | undefined): void {
  const escalated = onDisk?.status === 'ABORTING' || onDisk?.status === 'TIMING-OUT';
  if (escalated && (run.status === 'READY' || run.status === 'RUNNING')) run.status = onDisk.status;
}

export function persistRun(ctx: EngineContext, run: RunRecord): RunRecord {
  adoptEscalation(run, ctx.store.getRun(run.id));
  ctx.store.saveRun(run);
  ctx.emit({ type: 'run-status', run: structuredClone(run) });
  return run;
}

/** How often a run's status message is saved at most (each save rewrites the record and announces it). */
const STATUS_SAVE_INTERVAL_MS = 250;

/** Stand-in exit code for a container that no longer exists. */
const VANISHED = -1;

export interface MonitorOptions {
  gracefulAbortMs: number;
  /** Called once the record is final (retention, bookkeeping). */
  onFinished(run: RunRecord): void;
}

export class RunMonitor implements RunHandle {
  readonly finished: Promise<RunRecord>;
  private readonly streams = new AbortController();
  private readonly stats: StatsAggregator;
  private readonly exited: Promise<number>;
  private timeoutTimer: NodeJS.Timeout | undefined;
  /** A status message waiting to be saved (an Actor may set one per item: they are saved a few times a second). */
  private statusTimer: NodeJS.Timeout | undefined;
  private statusSavedAt = 0;

  constructor(
    private readonly ctx: EngineContext,
    readonly run: RunRecord,
    /** Undefined when the record names no container (it vanished before being created). */
    private readonly container: Docker.Container | undefined,
    private readonly options: MonitorOptions,
  ) {
    this.stats = new StatsAggregator(run.stats);
    run.greenroom.monitorPid = process.pid;
    persistRun(ctx, run);
    const logsDone = this.followLogs();
    this.followStats();
    this.exited = this.waitForExit();
    this.armTimeout();
    this.finished = this.exited.then((code) => this.finalize(code, logsDone));
  }

  get id(): string {
    return this.run.id;
  }

  /** Immediate (SIGKILL) or graceful (SIGINT, then SIGKILL after the window). */
  async abort({ graceful = false }: { graceful?: boolean } = {}): Promise<RunRecord> {
    if (!isTerminal(this.run.status) && this.run.status !== 'ABORTING') {
      this.run.status = 'ABORTING';
      persistRun(this.ctx, this.run);
      if (this.container) await stopContainer(this.ctx, this.container, graceful, this.options.gracefulAbortMs, this.exited);
    }
    return this.finished;
  }

  /** Stops following without touching the container (the engine is being disposed). */
  detach(): void {
    clearTimeout(this.timeoutTimer);
    if (this.statusTimer) this.saveStatusMessage();
    this.streams.abort();
  }

  private async followLogs(): Promise<void> {
    const { docker } = this.ctx;
    const run = this.run;
    const container = this.container;
    if (!container) return;
    const sink = new LogSink(
      this.ctx.store.layout.runLog(run.id),
      {
        onLines: (lines) => this.ctx.emit({ type: 'run-log', runId: run.id, lines }),
        onStatus: (status) => {
          run.statusMessage = status.text;
          run.isStatusMessageTerminal = status.terminal;
          this.statusTimer ??= setTimeout(() => this.saveStatusMessage(), Math.max(0, this.statusSavedAt + STATUS_SAVE_INTERVAL_MS - Date.now()));
        },
      },
      run.greenroom.logOffset,
    );
    try {
      const stream = await docker.call(
        'follow logs',
        (abortSignal) => container.logs({ follow: true, stdout: true, stderr: true, abortSignal }),
        { timeoutMs: 0, signal: this.streams.signal },
      );
      await new Promise<void>((resolve) => {
        const into = new Writable({
          write(chunk: Buffer, _encoding, done) {
            sink.write(chunk);
            done();
          },
        });
        docker.docker.modem.demuxStream(stream, into, into);
        stream.on('end', resolve);
        stream.on('close', resolve);
        stream.on('error', () => resolve());
      });
    } catch {
      // No log stream (container gone or engine disposed): the exit path reports what happened.
    } finally {
      sink.close();
    }
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
            Object.assign(this.run.stats, this.stats.summary(), this.timing(Date.now()));
            this.ctx.emit({ type: 'run-stats', runId: this.run.id, stats: { ...this.run.stats }, sample });
          }
        });
        stream.on('error', () => undefined);
        this.streams.signal.addEventListener('abort', () => (stream as NodeJS.ReadableStream & { destroy(): void }).destroy(), { once: true });
      })
      .catch(() => undefined);
  }

  private async waitForExit(): Promise<number> {
    const { docker } = this.ctx;
    const container = this.container;
    if (!container) return VANISHED;
    try {
      const result = await docker.call('wait for container', (abortSignal) => container.wait({ abortSignal }), {
        timeoutMs: 0,
        signal: this.streams.signal,
      });
      return (result as { StatusCode: number }).StatusCode;
    } catch (error) {
      if (isNotFound(error)) return VANISHED;
      throw error;
    }
  }

  private armTimeout(): void {
    const timeoutAt = this.run.greenroom.timeoutAt;
    if (!timeoutAt) return;
    const onTimeout = () => {
      if (this.run.status !== 'RUNNING') return;
      this.run.status = 'TIMING-OUT';
      persistRun(this.ctx, this.run);
      if (this.container) stopContainer(this.ctx, this.container, true, this.options.gracefulAbortMs, this.exited).catch(() => undefined);
    };
    this.timeoutTimer = setTimeout(onTimeout, Math.max(0, Date.parse(timeoutAt) - Date.now()));
  }

  private timing(now: number): { runTimeSecs: number; durationMillis: number } {
    const segmentStart = Date.parse(this.run.greenroom.segmentStartedAt ?? this.run.startedAt);
    const durationMillis = this.run.greenroom.previousSegmentsMillis + Math.max(0, now - segmentStart);
    return { durationMillis, runTimeSecs: durationMillis / 1000 };
  }

  /** The final record carries the last status message; until then, it is saved on its own. */
  private saveStatusMessage(): void {
    clearTimeout(this.statusTimer);
    this.statusTimer = undefined;
    this.statusSavedAt = Date.now();
    if (!isTerminal(this.run.status)) persistRun(this.ctx, this.run);
  }

  private async finalize(exitCode: number, logsDone: Promise<void>): Promise<RunRecord> {
    clearTimeout(this.timeoutTimer);
    const { docker } = this.ctx;
    const run = this.run;
    // The log stream ends right after the container; don't hang on a stuck one.
    await withinMillis(logsDone, 5000);
    this.streams.abort();

    let finishedAt = new Date();
    let oomKilled = false;
    const container = this.container;
    let vanished = exitCode === VANISHED || !container;
    if (container && !vanished) {
      try {
        const info = await docker.call('inspect container', (abortSignal) => container.inspect({ abortSignal }));
        oomKilled = info.State.OOMKilled;
        exitCode = info.State.ExitCode;
        if (info.State.FinishedAt && !info.State.FinishedAt.startsWith('0001')) finishedAt = new Date(info.State.FinishedAt);
      } catch (error) {
        if (!isNotFound(error)) throw error;
        vanished = true;
      }
    }

    adoptEscalation(run, this.ctx.store.getRun(run.id));
    const outcome = decideOutcome(run, { exitCode, oomKilled, vanished });
    Object.assign(run, {
      status: outcome.status,
      statusMessage: outcome.statusMessage,
      isStatusMessageTerminal: true,
      exitCode: vanished ? null : exitCode,
      finishedAt: finishedAt.toISOString(),
    });
    Object.assign(run.stats, this.stats.summary(), this.timing(finishedAt.getTime()), {
      datasetItemCount: new StorageReader(run.greenroom.storageDir).datasetItemCount(run.defaultDatasetId),
    });
    run.greenroom.monitorPid = null;
    run.greenroom.containerId = null;
    clearTimeout(this.statusTimer);
    this.statusTimer = undefined;
    persistRun(this.ctx, run);
    if (container && !vanished) {
      await docker.call('remove container', (abortSignal) => container.remove({ force: true, abortSignal })).catch(() => undefined);
    }
    this.options.onFinished(run);
    return run;
  }
}

function decideOutcome(
  run: RunRecord,
  exit: { exitCode: number; oomKilled: boolean; vanished: boolean },
): { status: RunStatus; statusMessage: string | null } {
  const memory = `${run.options.memoryMbytes} MB`;
  if (exit.vanished) return { status: 'FAILED', statusMessage: 'The run\'s container disappeared (removed outside Greenroom or the Docker engine was reset)' };
  if (run.status === 'ABORTING') return { status: 'ABORTED', statusMessage: run.statusMessage ?? 'Aborted' };
  if (run.status === 'TIMING-OUT') return { status: 'TIMED-OUT', statusMessage: `Timed out after ${run.options.timeoutSecs} s` };
  if (exit.oomKilled) return { status: 'FAILED', statusMessage: `The Actor ran out of memory (limit ${memory}) and was killed` };
  if (exit.exitCode === 0) return { status: 'SUCCEEDED', statusMessage: run.statusMessage ?? 'Finished' };
  return { status: 'FAILED', statusMessage: run.statusMessage ?? `Exited with code ${exit.exitCode}` };
}

/** SIGINT then SIGKILL after the window (graceful), or SIGKILL at once. Resolves when the container has exited. */
export async function stopContainer(
  ctx: EngineContext,
  container: Docker.Container,
  graceful: boolean,
  gracefulMs: number,
  exited: Promise<unknown>,
): Promise<void> {
  const kill = (signal: string) =>
    ctx.docker.call(`send ${signal}`, (abortSignal) => container.kill({ signal, abortSignal })).catch((error) => {
      // 409: not running any more — exactly what we want.
      if ((error as { statusCode?: number }).statusCode !== 409 && !isNotFound(error)) throw error;
    });
  if (graceful) {
    await kill('SIGINT');
    if (await withinMillis(exited.catch(() => undefined), gracefulMs)) return;
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
