/**
 * Runs: start (choosing or making a build, validating input, resolving secrets, creating storages),
 * abort, resurrect, re-attach after a restart, delete. The RunMonitor follows each container.
 */
import { statSync } from 'node:fs';
import type Docker from 'dockerode';
import type { ActorDefinition } from './actorDefinition';
import type { Builder, BuildOptions } from './builds';
import type { EngineContext } from './context';
import { CancelledError, DockerUnavailableError, isNotFound } from './dockerClient';
import { InputSource, prepareInput, readInput } from './input';
import { newId } from './recordStore';
import { encryptSecretInput, hasSecretFields, inputSecretsEnvironment, inputSecretsKeyFile } from './inputSecrets';
import { containerCreateOptions } from './launch';
import { LogSink } from './logs';
import { defaultMemoryMbytes, MemoryRange, memoryRange } from './memory';
import type { PlatformLink, StorageMode } from './platformLink';
import { RunHandle, RunMonitor, stopContainer } from './runMonitor';
import { persistRun } from './runRecords';
import { SecretsStore } from './secrets';
import { createStorages, writeJsonRecord } from '../storage';
import { BuildRecord, isTerminal, Origin, RunRecord } from './types';
import { findFreeLocalPort, publishedHostPort, WEB_SERVER_PORT, webServerBinding, webServerUrl } from './webServerPort';

export interface RunStartOptions {
  /** Build tag or number; default actor.json `buildTag` (or `latest`). Built first when no build exists. */
  build?: string;
  memoryMbytes?: number;
  timeoutSecs?: number;
  maxItems?: number;
  /** The input object; else `inputFile`; else the Actor's own INPUT. */
  input?: unknown;
  inputFile?: string;
  /** Use the Actor's `storage/` (the `apify run` layout) instead of the run's own storages. Nothing is purged. */
  sharedStorage?: boolean;
  /** `local` keeps the run in local mode even when a platform is linked (platformLink.ts); default `at-home`. */
  storageMode?: StorageMode;
  /** Extra environment variables, on top of actor.json `environmentVariables`. */
  env?: Record<string, string>;
  /** Options of the build made when none exists yet. */
  buildOptions?: BuildOptions;
  /** Who starts the run, when not the engine's own origin (a run started through the local API is `API`). */
  origin?: Origin;
}

export interface ResurrectOptions {
  build?: string;
  memoryMbytes?: number;
  timeoutSecs?: number;
}

export const DEFAULT_RUN_TIMEOUT_SECS = 3600;

export class RunOptionsError extends Error {
  name = 'RunOptionsError';
}

/** A run that does not exist, in the one wording every command uses. */
export function noSuchRun(runId: string, runsDir: string): RunOptionsError {
  return new RunOptionsError(`No run ${runId} in ${runsDir}`);
}

/** Refuses memory the platform would refuse for this Actor, naming the range (see memory.ts). */
export function checkMemory(memoryMbytes: number, range: MemoryRange): void {
  if (!range.choices.includes(memoryMbytes)) throw new RunOptionsError(`Memory must be ${range.description}, got ${memoryMbytes}`);
}

/** Where a run's input comes from: the object given, else the file given, else the Actor's own INPUT. */
export function runInputSource(definition: ActorDefinition, options: Pick<RunStartOptions, 'input' | 'inputFile'>): InputSource {
  return options.input !== undefined ? { input: options.input } : options.inputFile ? { inputFile: options.inputFile } : { actorInputOf: definition.root };
}

export interface RunnerOptions {
  gracefulAbortMs: number;
  secrets: SecretsStore;
  platform?: PlatformLink;
  onFinished(run: RunRecord): void;
}

export class Runner {
  private readonly monitors = new Map<string, RunMonitor>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly builder: Builder,
    private readonly options: RunnerOptions,
  ) {}

  async start(definition: ActorDefinition, options: RunStartOptions = {}): Promise<RunHandle> {
    if (options.memoryMbytes !== undefined) checkMemory(options.memoryMbytes, memoryRange(definition));
    const timeoutSecs = options.timeoutSecs ?? DEFAULT_RUN_TIMEOUT_SECS;
    if (!(timeoutSecs >= 0)) throw new RunOptionsError(`Timeout must be a number of seconds ≥ 0, got ${timeoutSecs}`);
    await this.ctx.docker.ping();
    // Everything that can refuse the run happens before anything is created.
    const env = { ...definition.environmentVariables, ...options.env };
    this.options.secrets.resolve(env);
    const source = runInputSource(definition, options);
    const input = prepareInput(definition.inputSchema, readInput(source));
    // A memory expression reads the input, so the default is known only now (it is within the range by construction).
    const memoryMbytes = options.memoryMbytes ?? (await defaultMemoryMbytes(definition, input, { build: options.build, timeoutSecs, maxItems: options.maxItems }));
    const build = await this.resolveBuild(definition, options.build, options.buildOptions);

    const id = newId();
    const shared = options.sharedStorage === true;
    const layout = this.ctx.layout;
    const run: RunRecord = {
      id,
      actId: definition.name,
      status: 'READY',
      statusMessage: null,
      isStatusMessageTerminal: false,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      exitCode: null,
      buildId: build.id,
      buildNumber: build.buildNumber,
      meta: { origin: options.origin ?? this.ctx.origin },
      options: { build: options.build ?? build.buildNumber, timeoutSecs, memoryMbytes, maxItems: options.maxItems },
      stats: { runTimeSecs: 0, durationMillis: 0, resurrectCount: 0, restartCount: 0 },
      defaultDatasetId: shared ? 'default' : newId(),
      defaultKeyValueStoreId: shared ? 'default' : newId(),
      defaultRequestQueueId: shared ? 'default' : newId(),
      containerUrl: null,
      greenroom: {
        containerId: null,
        storageDir: shared ? layout.sharedStorageDir : layout.runStorageDir,
        sharedStorage: shared,
        // In shared storage the Actor's own INPUT.json stays untouched: an explicit input gets its own key.
        inputKey: shared && !('actorInputOf' in source) ? `INPUT-${id}` : 'INPUT',
        segmentStartedAt: null,
        previousSegmentsMillis: 0,
        timeoutAt: null,
        logOffset: 0,
        monitorPid: null,
        env,
      },
    };
    createStorages(run.greenroom.storageDir, { datasetId: run.defaultDatasetId, keyValueStoreId: run.defaultKeyValueStoreId, requestQueueId: run.defaultRequestQueueId });
    if (!(shared && 'actorInputOf' in source)) {
      // Secret fields go to disk encrypted, as on the platform; the SDK decrypts them inside the container.
      const { input: storedInput } = encryptSecretInput(definition.inputSchema, input, inputSecretsKeyFile(this.options.secrets.file));
      writeJsonRecord(run.greenroom.storageDir, run.defaultKeyValueStoreId, run.greenroom.inputKey, storedInput);
    }
    persistRun(this.ctx, run);
    return this.startContainer(definition, run, build);
  }

  /** Finds the build for a tag or number; with no build at all, builds one first. */
  async resolveBuild(definition: ActorDefinition, wanted: string | undefined, buildOptions?: BuildOptions): Promise<BuildRecord> {
    const { store } = this.ctx;
    const builds = store.listBuilds().filter((b) => b.status === 'SUCCEEDED');
    const tag = wanted ?? definition.buildTag;
    const taggedId = store.readTags()[tag];
    const found = builds.find((b) => b.id === taggedId) ?? builds.find((b) => b.buildNumber === tag);
    if (found) return found;
    if (wanted !== undefined && builds.length > 0) {
      throw new RunOptionsError(`No build with tag or number "${wanted}" (builds: ${builds.map((b) => b.buildNumber).join(', ')})`);
    }
    const built = await this.builder.start(definition, { tag: wanted ?? definition.buildTag, ...buildOptions }).finished;
    if (built.status !== 'SUCCEEDED') throw new RunOptionsError(`The build the run needs ended ${built.status}: ${built.statusMessage ?? ''}`);
    return built;
  }

  /**
   * Aborts a run this process follows, one another live process follows (it records the end), or one nobody
   * follows any more (this process takes it over). A run whose container has already ended is not aborted: its
   * true outcome is recorded and the abort refused. Throws when nothing changed.
   */
  async abort(runId: string, graceful: boolean): Promise<RunRecord> {
    const own = this.monitors.get(runId);
    if (own) return own.abort({ graceful });
    const run = this.requireRun(runId);
    if (isTerminal(run.status)) throw alreadyFinished(run);
    const running = await this.isContainerRunning(run);
    if (!isMonitoredElsewhere(run)) {
      const monitor = await this.attach(run);
      if (!running) throw alreadyFinished(await monitor.finished);
      return monitor.abort({ graceful });
    }
    if (running) {
      const before = run.status;
      run.status = 'ABORTING';
      persistRun(this.ctx, run);
      const container = this.ctx.docker.docker.getContainer(run.greenroom.containerId!);
      const exited = this.ctx.docker.call('wait for container', (abortSignal) => container.wait({ abortSignal }), { timeoutMs: 0 });
      try {
        await stopContainer(this.ctx, container, graceful, this.options.gracefulAbortMs, exited);
      } catch (error) {
        const now = this.ctx.store.getRun(runId);
        if (now?.status === 'ABORTING') this.ctx.store.saveRun({ ...now, status: before });
        throw error;
      }
    }
    const final = await this.waitUntilTerminal(runId);
    if (!isTerminal(final.status)) {
      throw new RunOptionsError(`Run ${runId} is still ${final.status}: the process following it (pid ${run.greenroom.monitorPid}) has not recorded its end yet`);
    }
    if (!running) throw alreadyFinished(final);
    return final;
  }

  async resurrect(definition: ActorDefinition, runId: string, options: ResurrectOptions = {}): Promise<RunHandle> {
    const run = this.requireRun(runId);
    if (!isTerminal(run.status)) throw new RunOptionsError(`Run ${runId} is ${run.status}; only a finished run can be resurrected`);
    const build = options.build ? await this.resolveBuild(definition, options.build) : this.ctx.store.getBuild(run.buildId);
    if (!build) throw new RunOptionsError(`The run's build ${run.buildId} no longer exists; pass another build`);
    if (options.memoryMbytes !== undefined) checkMemory(options.memoryMbytes, memoryRange(definition));
    Object.assign(run.options, {
      memoryMbytes: options.memoryMbytes ?? run.options.memoryMbytes,
      timeoutSecs: options.timeoutSecs ?? run.options.timeoutSecs,
      build: options.build ?? run.options.build,
    });
    Object.assign(run, { buildId: build.id, buildNumber: build.buildNumber, status: 'READY', finishedAt: null, exitCode: null, isStatusMessageTerminal: false });
    run.stats.resurrectCount += 1;
    run.greenroom.previousSegmentsMillis = run.stats.durationMillis;
    return this.startContainer(definition, run, build);
  }

  /**
   * Picks up runs a previous engine process left unfinished: a running container is followed again (unless
   * `followRunning` is false: a short-lived command leaves it running and untouched), an exited one is finalised
   * from its exit code with the rest of its log, a vanished one is marked FAILED. With `followRunning` false it
   * resolves once those ended runs are recorded.
   */
  async reconcile({ followRunning = true }: { followRunning?: boolean } = {}): Promise<RunRecord[]> {
    const open = this.ctx.store.listRuns().filter((r) => !isTerminal(r.status) && !this.monitors.has(r.id) && !isMonitoredElsewhere(r));
    const resumed: RunRecord[] = [];
    for (const run of open) {
      if (!followRunning && (await this.isContainerRunning(run))) continue;
      const monitor = await this.attach(run);
      resumed.push(followRunning ? monitor.run : await monitor.finished);
    }
    return resumed;
  }

  getMonitor(runId: string): RunMonitor | undefined {
    return this.monitors.get(runId);
  }

  detachAll(): void {
    for (const monitor of this.monitors.values()) monitor.detach();
    this.monitors.clear();
  }

  private async startContainer(definition: ActorDefinition, run: RunRecord, build: BuildRecord): Promise<RunHandle> {
    const { docker } = this.ctx;
    // Secrets are resolved only here, so run records never hold their values.
    const secretEnv = this.options.secrets.resolve(run.greenroom.env);
    const now = new Date();
    run.greenroom.segmentStartedAt = now.toISOString();
    run.greenroom.timeoutAt = run.options.timeoutSecs > 0 ? new Date(now.getTime() + run.options.timeoutSecs * 1000).toISOString() : null;
    run.greenroom.logOffset = fileSize(this.ctx.layout.runLog(run.id));
    const buildTags = Object.entries(this.ctx.store.readTags()).filter(([, id]) => id === build.id).map(([tag]) => tag);
    // Only Actors whose input schema has secret fields get the key that decrypts them.
    const inputSecretsEnv = hasSecretFields(definition.inputSchema) ? inputSecretsEnvironment(inputSecretsKeyFile(this.options.secrets.file)) : {};
    const binding = webServerBinding(docker.endpoint.modemOptions);
    const localHostPort = binding.kind === 'local' ? await findFreeLocalPort().catch(() => undefined) : undefined;
    const createAndStart = async (publish: boolean): Promise<Docker.Container> => {
      // A resurrected run gets a fresh URL; a local one is known now, so the Actor finds it in ACTOR_WEB_SERVER_URL.
      run.containerUrl = publish && localHostPort !== undefined ? webServerUrl(binding.urlHost, localHostPort) : null;
      const options = containerCreateOptions({
        run,
        build,
        buildTags,
        actorRoot: definition.root,
        env: secretEnv,
        inputSecretsEnv,
        webServer: publish ? { hostIp: binding.hostIp, hostPort: localHostPort } : undefined,
      });
      const created = await docker.call('create container', (abortSignal) => docker.docker.createContainer({ ...options, abortSignal }));
      run.greenroom.containerId = created.id;
      persistRun(this.ctx, run);
      await docker.call('start container', (abortSignal) => created.start({ abortSignal }));
      return created;
    };
    let container: Docker.Container;
    try {
      try {
        container = await createAndStart(true);
        // Docker chose the host port (a remote engine, or no free local port was found): read it back.
        if (!run.containerUrl) await this.fillChosenContainerUrl(run, container, binding.urlHost);
      } catch (error) {
        if (error instanceof DockerUnavailableError || error instanceof CancelledError) throw error;
        // A taken port or an engine that cannot publish ports (rootless, no proxy) must not cost the run.
        await this.removeCreatedContainer(run);
        container = await createAndStart(false);
        // Said only now: when the retry fails too, the cause was not the port and the run fails with that error.
        const reason = (error as Error).message.replace(/\s+/g, ' ').trim();
        this.noteInRunLog(run, `Greenroom: the web server port ${WEB_SERVER_PORT} could not be published (${reason}); the run continues without a container URL`);
      }
    } catch (error) {
      Object.assign(run, { status: 'FAILED', statusMessage: `The container could not start: ${(error as Error).message}`, isStatusMessageTerminal: true, finishedAt: new Date().toISOString() });
      persistRun(this.ctx, run);
      throw error;
    }
    run.status = 'RUNNING';
    return this.attach(run, container);
  }

  /** The host port Docker chose, read back; never throws: no URL rather than a failed run. */
  private async fillChosenContainerUrl(run: RunRecord, container: Docker.Container, urlHost: string): Promise<void> {
    const info = await this.ctx.docker.call('inspect container', (abortSignal) => container.inspect({ abortSignal })).catch(() => undefined);
    const hostPort = info && publishedHostPort(info);
    run.containerUrl = hostPort ? webServerUrl(urlHost, hostPort) : null;
  }

  private async removeCreatedContainer(run: RunRecord): Promise<void> {
    const id = run.greenroom.containerId;
    if (!id) return;
    // A leftover only costs disk space: the retry creates a container of its own.
    await this.ctx.docker.call('remove container', (abortSignal) => this.ctx.docker.docker.getContainer(id).remove({ force: true, abortSignal })).catch(() => undefined);
    run.greenroom.containerId = null;
  }

  /** A line Greenroom adds to the run's log before the monitor follows the container: this segment's log starts after it. */
  private noteInRunLog(run: RunRecord, line: string): void {
    const file = this.ctx.layout.runLog(run.id);
    const sink = new LogSink(file, { onLines: (lines) => this.ctx.emit({ type: 'run-log', runId: run.id, lines }) });
    sink.note(line);
    sink.close();
    run.greenroom.logOffset = fileSize(file);
  }

  private async attach(run: RunRecord, container?: Docker.Container): Promise<RunMonitor> {
    const docker = this.ctx.docker;
    const target = container ?? (run.greenroom.containerId ? docker.docker.getContainer(run.greenroom.containerId) : undefined);
    if (target && !container) {
      // A container created but never started belongs to a start that was interrupted.
      const state = await docker.call('inspect container', (abortSignal) => target.inspect({ abortSignal })).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
      if (state?.State.Status === 'created') await docker.call('remove container', (abortSignal) => target.remove({ force: true, abortSignal }));
    }
    const monitor = new RunMonitor(this.ctx, run, target, {
      gracefulAbortMs: this.options.gracefulAbortMs,
      onFinished: (finished) => {
        this.monitors.delete(finished.id);
        this.options.onFinished(finished);
      },
    });
    this.monitors.set(run.id, monitor);
    return monitor;
  }

  /** Whether the run's container is still running; a container that is gone or never started counts as ended. */
  private async isContainerRunning(run: RunRecord): Promise<boolean> {
    const id = run.greenroom.containerId;
    if (!id) return false;
    const container = this.ctx.docker.docker.getContainer(id);
    const info = await this.ctx.docker.call('inspect container', (abortSignal) => container.inspect({ abortSignal })).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
    return !!info && (info.State.Running || info.State.Restarting);
  }

  private requireRun(runId: string): RunRecord {
    const run = this.ctx.store.getRun(runId);
    if (!run) throw noSuchRun(runId, this.ctx.layout.runsDir);
    return run;
  }

  private async waitUntilTerminal(runId: string): Promise<RunRecord> {
    const deadline = Date.now() + this.options.gracefulAbortMs + 30_000;
    for (;;) {
      const run = this.requireRun(runId);
      if (isTerminal(run.status) || Date.now() > deadline) return run;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function alreadyFinished(run: RunRecord): RunOptionsError {
  return new RunOptionsError(`Run ${run.id} already finished (${run.status}${run.statusMessage ? `: ${run.statusMessage}` : ''})`);
}

function isMonitoredElsewhere(run: RunRecord): boolean {
  return run.greenroom.monitorPid !== process.pid && isProcessAlive(run.greenroom.monitorPid);
}

/** Whether a process on this machine still exists (records name the process following a run or build). */
export function isProcessAlive(pid: number | null): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
