/**
 * ActorEngine: builds and runs one Actor in local Docker. No `vscode` import — the extension and the CLI
 * share it. Every change is announced on the `event` channel (see EngineEvent), the single source the UI
 * subscribes to; records on disk (see recordStore.ts for the layout) are what survives the process.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { ActorDefinition, readActorDefinition } from './actorDefinition';
import { Builder, BuildHandle, BuildOptions } from './builds';
import { EngineContext } from './context';
import { DEBUGGER_LISTENING } from './debugging';
import { DockerClient } from './dockerClient';
import type { DockerEndpointOptions } from './endpoint';
import { follow, FollowEvent, FollowOptions, FollowSubject } from './follow';
import { applyRetention, DEFAULT_KEEP_RUNS, deleteRunFiles } from './retention';
import { ActorLayout, RecordStore } from './recordStore';
import { prepareInput, readInput } from './input';
import { defaultMemoryMbytes, MemoryRange, memoryRange } from './memory';
import type { PlatformLink } from './platformLink';
import type { RunHandle } from './runMonitor';
import { DEFAULT_RUN_TIMEOUT_SECS, isProcessAlive, MetamorphRequest, noSuchRun, ResurrectOptions, Runner, runInputSource, RunOptionsError, RunStartOptions } from './runs';
import { SecretsStore } from './secrets';
import { readSamples, TimedSample } from './statsSamples';
import { LogIndex } from './logIndex';
import { prefixLineTimes } from './logTimes';
import { StorageReader } from '../storage';
import { BuildRecord, EngineEvent, isTerminal, Origin, RunDebug, RunLink, RunRecord } from './types';
import { DispatchSubject, finishedEventType, WebhookDispatcher } from '../platform/webhooks/dispatcher';
import type { WebhookEventType } from '../platform/webhooks/webhooks';

export interface ActorEngineOptions {
  actorRoot: string;
  origin: Origin;
  docker?: DockerEndpointOptions;
  /** Deadline of a single Docker API call (not of builds or runs). */
  dockerCallTimeoutMs?: number;
  /** Finished runs to keep (with their storages); default 10. */
  keepRuns?: number;
  /** The window a graceful abort, a timeout or a migration gives the Actor before SIGKILL; default 30 s. */
  gracefulAbortMs?: number;
  secrets?: SecretsStore;
  /** The local platform runs are "at home" on; absent: every run uses local mode (platformLink.ts). */
  platform?: PlatformLink;
  /** Dev-mode runs of Node Actors start warm, the next one's container started ahead (warmStart.ts); default off. */
  warmStarts?: boolean;
  /** Sends the webhooks of this engine's runs and builds (docs/platform.md#webhooks); default: one per process. */
  webhooks?: WebhookDispatcher;
}

/** One dispatcher per process unless an engine is given its own: `greenroom run` awaits it before it exits. */
export const processWebhooks = new WebhookDispatcher();

export class ActorEngine {
  readonly layout: ActorLayout;
  readonly docker: DockerClient;
  private readonly store: RecordStore;
  private readonly emitter = new EventEmitter();
  private readonly builder: Builder;
  private readonly runner: Runner;
  private readonly keepRuns: number;
  private readonly ctx: EngineContext;
  private readonly webhooks: WebhookDispatcher;

  constructor(options: ActorEngineOptions) {
    this.webhooks = options.webhooks ?? processWebhooks;
    this.layout = new ActorLayout(options.actorRoot);
    this.docker = new DockerClient(options.docker, options.dockerCallTimeoutMs);
    this.store = new RecordStore(this.layout, (message) => this.emit({ type: 'warning', message }));
    this.keepRuns = options.keepRuns ?? DEFAULT_KEEP_RUNS;
    const ctx: EngineContext = (this.ctx = {
      docker: this.docker,
      store: this.store,
      layout: this.layout,
      origin: options.origin,
      emit: (event) => this.emit(event),
    });
    this.builder = new Builder(ctx);
    this.runner = new Runner(ctx, (definition, buildOptions) => this.startBuild(definition, buildOptions), {
      gracefulAbortMs: options.gracefulAbortMs ?? 30_000,
      secrets: options.secrets ?? new SecretsStore(),
      platform: options.platform,
      warmStarts: options.warmStarts,
      onFinished: (run) => {
        this.dispatch({ kind: 'run', actorRoot: options.actorRoot, record: run }, finishedEventType('run', run.status));
        applyRetention(ctx, this.keepRuns);
      },
    });
  }

  /** Subscribe to every engine event; returns the unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  definition(): ActorDefinition {
    return readActorDefinition(this.layout.actorRoot);
  }

  build(options: BuildOptions = {}): BuildHandle {
    return this.startBuild(this.definition(), options);
  }

  /** Every build, explicit or the one a first run makes, goes through here: its webhooks are sent alike. */
  private startBuild(definition: ActorDefinition, options: BuildOptions): BuildHandle {
    const handle = this.builder.start(definition, options);
    const record = this.store.getBuild(handle.id);
    if (record) this.dispatch({ kind: 'build', actorRoot: this.layout.actorRoot, record }, 'ACTOR.BUILD.CREATED');
    handle.finished.then(
      (build) => this.dispatch({ kind: 'build', actorRoot: this.layout.actorRoot, record: build }, finishedEventType('build', build.status)),
      () => undefined,
    );
    return handle;
  }

  /** Starts a run; resolves once its container is running. Refuses (throws) on invalid input, missing secrets, bad options. */
  async run(options: RunStartOptions = {}): Promise<RunHandle> {
    const handle = await this.runner.start(this.definition(), options);
    this.dispatch({ kind: 'run', actorRoot: this.layout.actorRoot, record: this.requireRun(handle.id) }, 'ACTOR.RUN.CREATED');
    return handle;
  }

  /** Resolves once the webhooks this engine's process is sending have been delivered or given up. */
  webhooksIdle(): Promise<void> {
    return this.webhooks.idle();
  }

  /**
   * The memory sizes a run may have, and the one a run with these options gets when it asks for none (actor.json's
   * default evaluated with the run's input and options). Throws as run() would on unreadable or invalid input.
   */
  async runMemory(options: Omit<RunStartOptions, 'memoryMbytes'> = {}): Promise<MemoryRange & { defaultMbytes: number }> {
    const definition = this.definition();
    const input = prepareInput(definition.inputSchema, readInput(runInputSource(definition, options)));
    const defaultMbytes = await defaultMemoryMbytes(definition, input, { build: options.build, timeoutSecs: options.timeoutSecs ?? DEFAULT_RUN_TIMEOUT_SECS, maxItems: options.maxItems });
    return { ...memoryRange(definition), defaultMbytes };
  }

  abort(runId: string, options: { graceful?: boolean } = {}): Promise<RunRecord> {
    return this.runner.abort(runId, options.graceful ?? false);
  }

  abortBuild(buildId: string): boolean {
    return this.builder.abort(buildId);
  }

  /**
   * Moves a RUNNING run at home to a new container, as the platform's migration: `migrating` on the events channel,
   * the grace window to persist state and exit, then a new container on the same storages; the run stays RUNNING.
   * Resolves with the record once the new container runs. Refuses a run in local mode.
   */
  migrate(runId: string): Promise<RunRecord> {
    return this.runner.migrate(runId, 'migration');
  }

  /** The SDK's Actor.reboot() (`POST /v2/actor-runs/:runId/reboot`): the container replaced at once, no event. */
  reboot(runId: string): Promise<RunRecord> {
    return this.runner.migrate(runId, 'reboot');
  }

  /**
   * The platform's metamorph (`POST /v2/actor-runs/:runId/metamorph`): the run continues, same id and storages, in a
   * container of another Actor's build with a new input (`INPUT-METAMORPH-<n>`). Throws at once (nothing changed)
   * on invalid input or a run that cannot be metamorphed; the promise settles once the new container runs.
   */
  metamorph(runId: string, target: MetamorphRequest): Promise<RunRecord> {
    return this.runner.metamorph(runId, target);
  }

  /** Throws (a RunOptionsError) when the run cannot be metamorphed now, so a caller refuses before building a target. */
  checkMetamorphable(runId: string): void {
    this.runner.metamorphable(runId);
  }

  /** The build a run asking for `build` (tag or number; default actor.json's buildTag) gets, building first when there is none. */
  buildFor(build?: string, buildOptions?: BuildOptions): Promise<BuildRecord> {
    return this.runner.resolveBuild(this.definition(), build, buildOptions);
  }

  /** Records on a run that it started another (`Actor.call` through the local API); the callee's record names its caller. */
  noteCall(runId: string, call: RunLink): void {
    this.runner.noteCall(runId, call);
  }

  async resurrect(runId: string, options: ResurrectOptions = {}): Promise<RunHandle> {
    const handle = await this.runner.resurrect(this.definition(), runId, options);
    this.dispatch({ kind: 'run', actorRoot: this.layout.actorRoot, record: this.requireRun(handle.id) }, 'ACTOR.RUN.RESURRECTED');
    return handle;
  }

  /**
   * Sets a run's status message, as the SDK at home does through the API: through the monitor when this engine
   * follows the run (saved with its other changes), else straight into the record, which the process following the
   * run keeps (it merges what others write, see runRecords.ts).
   */
  setStatusMessage(runId: string, statusMessage: string, isStatusMessageTerminal: boolean): RunRecord {
    const monitor = this.runner.getMonitor(runId);
    if (monitor) {
      monitor.setStatusMessage(statusMessage, isStatusMessageTerminal);
      return structuredClone(monitor.run);
    }
    const onDisk = this.requireRun(runId);
    const run = { ...onDisk, statusMessage, isStatusMessageTerminal, greenroom: { ...onDisk.greenroom, statusMessageSetAt: new Date().toISOString() } };
    this.store.saveRun(run);
    this.emit({ type: 'run-status', run: structuredClone(run) });
    return run;
  }

  /**
   * A debug run's debugger once it listens (its log says so), for attaching; refuses a run that is not a debug run
   * or ends first. The Actor waits for the debugger, so nothing of it has run yet.
   */
  async waitForDebugger(runId: string, options: { signal?: AbortSignal } = {}): Promise<RunDebug> {
    const run = this.requireRun(runId);
    if (!run.greenroom.debug) throw new RunOptionsError(`Run ${runId} was not started for debugging`);
    let last: RunRecord = run;
    for await (const event of this.follow({ kind: 'run', runId }, { fromStart: false, signal: options.signal })) {
      if (event.type === 'record') last = event.record as RunRecord;
      if (event.type === 'lines' && event.lines.some((line) => DEBUGGER_LISTENING.test(line))) return (this.getRun(runId) ?? last).greenroom.debug!;
      if (event.type === 'record' && isTerminal(last.status)) break;
    }
    if (options.signal?.aborted) throw new RunOptionsError(`Stopped waiting for the debugger of run ${runId}`);
    throw new RunOptionsError(`Run ${runId} ${last.status} before its debugger listened${last.statusMessage ? `: ${last.statusMessage}` : ''}; see its log`);
  }

  /** The handle of a run this engine is following, e.g. after reconcile(). */
  runHandle(runId: string): RunHandle | undefined {
    return this.runner.getMonitor(runId);
  }

  /**
   * Brings records in line with Docker after an earlier process died: re-attaches to its unfinished runs (a
   * short-lived command passes `followRunning: false` and only records the runs whose container ended) and
   * marks builds whose process died as FAILED.
   */
  async reconcile(options: { followRunning?: boolean } = {}): Promise<RunRecord[]> {
    for (const build of this.store.listBuilds()) {
      if (!isTerminal(build.status) && !isProcessAlive(build.greenroom.builderPid)) this.builder.markInterrupted(build);
    }
    return this.runner.reconcile(options);
  }

  /**
   * A run's or build's log and record as it goes: the log so far, then what is appended, with the record on each
   * status change, ending once the record is final (or gone). Works for runs another process follows too.
   */
  follow(subject: FollowSubject, options?: FollowOptions): AsyncGenerator<FollowEvent> {
    return follow({ layout: this.layout, store: this.store, onEvent: (listener) => this.onEvent(listener) }, subject, options);
  }

  listRuns(): RunRecord[] {
    return this.store.listRuns();
  }
  listBuilds(): BuildRecord[] {
    return this.store.listBuilds();
  }
  getRun(id: string): RunRecord | undefined {
    return this.store.getRun(id);
  }
  /** getRun off the event loop, for what polls a record (the events channel). */
  getRunAsync(id: string): Promise<RunRecord | undefined> {
    return this.store.getRunAsync(id);
  }
  /** The run, or a RunOptionsError saying there is none (noSuchRun). */
  requireRun(id: string): RunRecord {
    const run = this.store.getRun(id);
    if (!run) throw noSuchRun(id, this.layout.runsDir);
    return run;
  }
  getBuild(id: string): BuildRecord | undefined {
    return this.store.getBuild(id);
  }
  /** Tag → build id. */
  tags(): Record<string, string> {
    return this.store.readTags();
  }
  setBuildTag(tag: string, buildId: string): void {
    if (!this.store.getBuild(buildId)) throw new RunOptionsError(`No build ${buildId}`);
    this.builder.setTag(tag, buildId);
  }

  /** The options that start a run like this one again (Rerun): same input, build, memory, timeout and storages. */
  rerunOptions(runId: string): RunStartOptions {
    return this.runner.rerunOptions(this.requireRun(runId));
  }

  /** The run's memory/CPU samples over time, thinned to at most `maxPoints`. */
  runSamples(runId: string, maxPoints?: number): Promise<TimedSample[]> {
    return readSamples(this.layout.runSamples(runId), maxPoints);
  }

  /** Random access to the run's log lines (the run view reads only what it shows). */
  runLogIndex(runId: string): LogIndex {
    return new LogIndex(this.layout.runLog(runId), this.layout.runLogTimes(runId));
  }

  readRunLog(runId: string): string {
    return readOrEmpty(this.layout.runLog(runId));
  }
  /** The run's log, each line prefixed by when it was written (`greenroom log --timestamps`). */
  readRunLogWithTimes(runId: string): Promise<string> {
    return prefixLineTimes(this.readRunLog(runId), this.layout.runLogTimes(runId));
  }
  readBuildLog(buildId: string): string {
    return readOrEmpty(this.layout.buildLog(buildId));
  }

  /** Reader over a run's storage root (its own storages, or the Actor's shared `storage/`). */
  storages(runId: string): StorageReader {
    return new StorageReader(this.requireRun(runId).greenroom.storageDir);
  }

  deleteRun(runId: string): void {
    const run = this.store.getRun(runId);
    if (!run) return;
    if (!isTerminal(run.status)) throw new RunOptionsError(`Run ${runId} is ${run.status}; abort it before deleting`);
    deleteRunFiles(this.ctx, run);
  }

  deleteBuild(buildId: string): Promise<void> {
    return this.builder.delete(buildId);
  }

  /** Stops following containers (they keep running; a later engine re-attaches with reconcile()). */
  dispose(): void {
    this.runner.detachAll();
    this.emitter.removeAllListeners();
  }

  /** Webhooks never cost a run: a problem sending them is a warning. */
  private dispatch(subject: DispatchSubject, eventType: WebhookEventType | undefined): void {
    if (!eventType) return;
    const { id } = subject.record;
    // The record as it is now, announced again: views showing the run's dispatches redraw.
    const onRecorded = () => {
      const run = subject.kind === 'run' ? this.store.getRun(id) : undefined;
      const build = subject.kind === 'build' ? this.store.getBuild(id) : undefined;
      if (run) this.emit({ type: 'run-status', run });
      if (build) this.emit({ type: 'build-status', build });
    };
    try {
      this.webhooks.trigger({ ...subject, onRecorded }, eventType);
    } catch (error) {
      this.emit({ type: 'warning', message: `Webhooks for ${eventType} not sent: ${(error as Error).message}` });
    }
  }

  private emit(event: EngineEvent): void {
    this.emitter.emit('event', event);
  }
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
