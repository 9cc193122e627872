/**
 * Runs: start (choosing or making a build, validating input, resolving secrets, creating storages),
 * abort, resurrect, re-attach after a restart, delete. The RunMonitor follows each container.
 */
import { statSync } from 'node:fs';
import type Docker from 'dockerode';
import { ActorDefinition, readActorDefinition } from './actorDefinition';
import type { BuildHandle, BuildOptions } from './builds';
import type { EngineContext } from './context';
import { debugLaunch, DebugLaunch, findHostDebugpy, ImageConfig, portableDebugpy, readStartScript, resolveActorCommand } from './debugging';
import { changedDependencyFiles, devModeBinds } from './devMode';
import { CancelledError, DockerUnavailableError, isNotFound, withSignal } from './dockerClient';
import { InputSource, prepareInput, readInput } from './input';
import { ActorLayout, newId } from './recordStore';
import { appendCharge, runCharges } from './chargeLedger';
import { ACTOR_START_EVENT, actorPricing, actorStartCount, isPayPerEvent, PricingError, PricingInfo } from './pricing';
import { decryptSecretInput, encryptSecretInput, hasSecretFields, inputSecretsEnvironment, inputSecretsKeyFile } from './inputSecrets';
import { AtHomeLaunch, containerCreateOptions } from './launch';
import { defaultMemoryMbytes, MemoryRange, memoryRange } from './memory';
import { actorIdOf, PlatformChoice, PlatformLink, StorageMode } from './platformLink';
import { RunHandle, RunMonitor, runLogSink, stopContainer } from './runMonitor';
import { persistRun } from './runRecords';
import { nextRunNumber } from './runName';
import { createAliasStorages, newRunStorageIds } from './runStorages';
import { SecretsStore } from './secrets';
import { createStorages, readJsonRecordText, writeJsonRecord } from '../storage';
import { BuildRecord, isTerminal, MetamorphTarget, MigrationRequest, migrationRequest, Origin, pendingMigration, RunDebug, RunLink, RunRecord } from './types';
import { newRunToken } from '../platform/tokens';
import { findFreeLocalPort, publishedHostPort, WEB_SERVER_PORT, webServerBinding, webServerUrl } from './webServerPort';
import { bindSources, handOver, newWarmFolder, removeWarmFolder, Spare, Spares, spareFits, WarmLaunch, warmLaunch } from './warmStart';
import { LABELS } from './context';

/** The only address a debugger is published on: this machine's loopback. */
const LOOPBACK = '127.0.0.1';
/** How long waitUntil polls a record another process updates. */
const RECORD_POLL_MS = 100;

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
  /** Dev mode: the Actor's source mounted read-only over the image's working directory, no build (devMode.ts). */
  devMode?: boolean;
  /** Start with a debugger listening on a loopback port, the Actor waiting for it (debugging.ts); no timeout unless set. */
  debug?: boolean;
  /** A debugpy package folder for a Python debug run; default: the host python3's. */
  debugpyDir?: string;
  /** The platform's cap on the run's charges (pay-per-event), kept in the record's options. */
  maxTotalChargeUsd?: number;
  /** The platform's `restartOnError`: a failed container is restarted, as runMonitor.ts restartOnErrorDecision says. */
  restartOnError?: boolean;
  /** Ad-hoc webhooks for the run (the `webhooks` run option), kept in the record for their dispatch. */
  webhooks?: unknown[];
  /** The run that starts this one through the local API (`Actor.call`): both records link to each other. */
  caller?: RunLink;
  /** The task the run is started from (tasks.ts). */
  task?: { id: string; name: string };
  /** The schedule that starts the run. */
  scheduleName?: string;
  /** A standby run: the Actor's standby URL whose requests it serves (ACTOR_STANDBY_URL, ACTOR_STANDBY_PORT). */
  standbyUrl?: string;
}

/** What a metamorph needs: the target Actor's definition and build, and the new input (validated with its schema). */
export interface MetamorphRequest {
  definition: ActorDefinition;
  build: BuildRecord;
  input: unknown;
}

export interface ResurrectOptions {
  build?: string;
  memoryMbytes?: number;
  timeoutSecs?: number;
  /** Resurrect in dev mode, or not; default as the run was. */
  devMode?: boolean;
  /** Resurrect as a debug run (no timeout unless set), or not; default: not. */
  debug?: boolean;
  debugpyDir?: string;
}

/** The host ports a container's web server and debugger are published on. */
interface HostPorts {
  web: number | undefined;
  debug: number | undefined;
}

/** What dev mode and debugging change in a run's container (absent: the image as built). */
interface ContainerPlan {
  sourceBinds?: string[];
  debug?: DebugLaunch;
  /** A dev-mode run with warm starts (warmStart.ts); with `debug`, its command replaces the debug one. */
  warm?: WarmLaunch;
}

export const DEFAULT_RUN_TIMEOUT_SECS = 3600;

/** The platform's "Maximum number of metamorphs" (Actor runtime limits): 10 per run, whatever the plan. */
export const MAX_METAMORPHS_PER_RUN = 10;

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
  /** The window a graceful abort, a timeout and a migration give the Actor before the kill. */
  gracefulAbortMs: number;
  secrets: SecretsStore;
  platform?: PlatformLink;
  /** Dev-mode runs of Node Actors start warm: the next one's container is started ahead (warmStart.ts). */
  warmStarts?: boolean;
  onFinished(run: RunRecord): void;
}

export class Runner {
  private readonly monitors = new Map<string, RunMonitor>();
  private readonly spares: Spares;
  /** Warm-start runs going on: their container's folder, and how to start the next run's container ahead once each ends. */
  private readonly warmRuns = new Map<string, { folder: string; startSpare: () => Promise<Spare | undefined> }>();

  constructor(
    private readonly ctx: EngineContext,
    /** Starts a build as the engine's build() does (with its webhooks). */
    private readonly startBuild: (definition: ActorDefinition, options: BuildOptions) => BuildHandle,
    private readonly options: RunnerOptions,
  ) {
    this.spares = new Spares(ctx.docker);
  }

  async start(definition: ActorDefinition, options: RunStartOptions = {}): Promise<RunHandle> {
    if (options.memoryMbytes !== undefined) checkMemory(options.memoryMbytes, memoryRange(definition));
    // A debug run stops at breakpoints for as long as the developer looks: no timeout unless one is asked for.
    const timeoutSecs = options.timeoutSecs ?? (options.debug ? 0 : DEFAULT_RUN_TIMEOUT_SECS);
    if (!(timeoutSecs >= 0)) throw new RunOptionsError(`Timeout must be a number of seconds ≥ 0, got ${timeoutSecs}`);
    if (options.maxTotalChargeUsd !== undefined && !(options.maxTotalChargeUsd >= 0)) throw new RunOptionsError(`maxTotalChargeUsd must be a number of USD ≥ 0, got ${options.maxTotalChargeUsd}`);
    const pricingInfo = readPricing(definition);
    await this.ctx.docker.ping();
    // Everything that can refuse the run happens before anything is created.
    const env = { ...definition.environmentVariables, ...options.env };
    this.options.secrets.resolve(env);
    const source = runInputSource(definition, options);
    const input = prepareInput(definition.inputSchema, readInput(source));
    // A memory expression reads the input, so the default is known only now (it is within the range by construction).
    const memoryMbytes = options.memoryMbytes ?? (await defaultMemoryMbytes(definition, input, { build: options.build, timeoutSecs, maxItems: options.maxItems }));
    const build = await this.resolveBuild(definition, options.build, options.buildOptions);
    const plan = await this.containerPlan(definition, build, { ...options, warm: this.options.warmStarts });

    const id = newId();
    const shared = options.sharedStorage === true;
    const layout = this.ctx.layout;
    const defaults = { defaultDatasetId: shared ? 'default' : newId(), defaultKeyValueStoreId: shared ? 'default' : newId(), defaultRequestQueueId: shared ? 'default' : newId() };
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
      actorTaskId: options.task?.id ?? null,
      options: { build: options.build ?? build.buildNumber, timeoutSecs, memoryMbytes, maxItems: options.maxItems, ...(options.maxTotalChargeUsd !== undefined && { maxTotalChargeUsd: options.maxTotalChargeUsd }), ...(options.restartOnError && { restartOnError: true }) },
      stats: { runTimeSecs: 0, durationMillis: 0, resurrectCount: 0, restartCount: 0 },
      ...defaults,
      containerUrl: null,
      // On shared storage an alias is a named storage of the Actor's storage/, as with `apify run`.
      storageIds: newRunStorageIds(defaults, shared ? { datasets: [], keyValueStores: [], requestQueues: [] } : definition.storageAliases),
      ...(pricingInfo && { pricingInfo }),
      greenroom: {
        runNumber: nextRunNumber(this.ctx.store.listRuns()),
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
        ...(options.storageMode === 'local' && { storageMode: 'local' as const }),
        ...(options.devMode && { devMode: true }),
        ...(plan.debug && { debug: debugRecord(definition, plan.debug, options.debugpyDir) }),
        ...(options.caller && { caller: options.caller }),
        ...(options.task && { taskName: options.task.name }),
        ...(options.scheduleName && { scheduleName: options.scheduleName }),
        ...(options.standbyUrl && { standbyUrl: options.standbyUrl }),
        ...(options.webhooks && { webhooks: options.webhooks }),
      },
    };
    createStorages(run.greenroom.storageDir, { datasetId: run.defaultDatasetId, keyValueStoreId: run.defaultKeyValueStoreId, requestQueueId: run.defaultRequestQueueId });
    createAliasStorages(run.greenroom.storageDir, run.storageIds!);
    if (!(shared && 'actorInputOf' in source)) {
      // Secret fields go to disk encrypted, as on the platform; the SDK decrypts them inside the container.
      const { input: storedInput } = encryptSecretInput(definition.inputSchema, input, inputSecretsKeyFile(this.options.secrets.file));
      writeJsonRecord(run.greenroom.storageDir, run.defaultKeyValueStoreId, run.greenroom.inputKey, storedInput);
    }
    persistRun(this.ctx, run);
    chargeActorStart(this.ctx.layout, run);
    return this.startContainer(definition, run, build, { plan });
  }

  /**
   * Dev mode's source binds and a debug run's command, from the image's working directory and command; refuses
   * (before anything is created) what cannot be mounted or debugged.
   */
  private async containerPlan(definition: ActorDefinition, build: BuildRecord, wants: { devMode?: boolean; debug?: boolean; debugpyDir?: string; warm?: boolean }): Promise<ContainerPlan> {
    if (!wants.devMode && !wants.debug) return {};
    const { docker } = this.ctx;
    if (wants.debug && webServerBinding(docker.endpoint.modemOptions).kind === 'remote') {
      throw new RunOptionsError(`Debugging needs a Docker engine on this machine (the debugger is published on its loopback only); ${docker.endpoint.description} is remote: use a local engine (greenroom.docker.host)`);
    }
    const image = await docker.call('inspect image', (s) => docker.docker.getImage(build.imageName).inspect(withSignal({}, s))).catch((error: unknown) => {
      throw isNotFound(error) ? new RunOptionsError(`The image of build ${build.buildNumber} (${build.imageName}) no longer exists; build the Actor again`) : error;
    });
    const sourceBinds = wants.devMode ? devModeBinds(definition.contextDir, image.Config.WorkingDir) : undefined;
    const warm = wants.devMode && wants.warm;
    if (!wants.debug) return { sourceBinds, warm: warm ? warmPlan(image.Config, definition) : undefined };
    const command = resolveActorCommand(image.Config, () => readStartScript(definition.contextDir));
    const debugpy = command.runtime === 'python' ? (wants.debugpyDir ?? (await findHostDebugpy())) : undefined;
    return { sourceBinds, debug: debugLaunch(command, image.Config.WorkingDir || '/', debugpy && portableDebugpy(debugpy)), warm: warm ? warmLaunch(command) : undefined };
  }

  /** What starts a run like `runId` again: its input (secret fields decrypted), build, memory, timeout and storages. */
  rerunOptions(run: RunRecord): RunStartOptions {
    const text = readJsonRecordText(run.greenroom.storageDir, run.defaultKeyValueStoreId, run.greenroom.inputKey);
    const stored = text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
    return {
      input: stored && decryptSecretInput(stored, inputSecretsKeyFile(this.options.secrets.file)),
      build: run.options.build,
      memoryMbytes: run.options.memoryMbytes,
      timeoutSecs: run.options.timeoutSecs,
      maxItems: run.options.maxItems,
      restartOnError: run.options.restartOnError,
      sharedStorage: run.greenroom.sharedStorage,
      ...(run.greenroom.storageMode === 'local' && { storageMode: 'local' as const }),
    };
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
    const built = await this.startBuild(definition, { tag: wanted ?? definition.buildTag, ...buildOptions }).finished;
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
    if (!isFollowed(run)) {
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
        await stopContainer(this.ctx, container, { graceful, windowMs: this.options.gracefulAbortMs, atHome: run.greenroom.atHome === true }, exited);
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
    const image = run.greenroom.image;
    // A metamorphed run is its target's: it comes back on the target's build (whose builds another engine keeps).
    if (image && options.build) throw new RunOptionsError(`Run ${runId} was metamorphed into ${image.actorName}: it is resurrected on that Actor's build ${image.build.buildNumber}, not another`);
    if (image) definition = readActorDefinition(image.actorRoot);
    const build = options.build ? await this.resolveBuild(definition, options.build) : image?.build ?? this.ctx.store.getBuild(run.buildId);
    if (!build) throw new RunOptionsError(`The run's build ${run.buildId} no longer exists; pass another build`);
    if (options.memoryMbytes !== undefined) checkMemory(options.memoryMbytes, memoryRange(definition));
    const devMode = options.devMode ?? run.greenroom.devMode === true;
    const plan = await this.containerPlan(definition, build, { devMode, debug: options.debug, debugpyDir: options.debugpyDir });
    Object.assign(run.options, {
      memoryMbytes: options.memoryMbytes ?? run.options.memoryMbytes,
      timeoutSecs: options.timeoutSecs ?? (options.debug ? 0 : run.options.timeoutSecs),
      build: options.build ?? run.options.build,
    });
    run.greenroom.devMode = devMode || undefined;
    run.greenroom.debug = plan.debug && debugRecord(definition, plan.debug, options.debugpyDir);
    Object.assign(run, { buildId: build.id, buildNumber: build.buildNumber, status: 'READY', finishedAt: null, exitCode: null, isStatusMessageTerminal: false });
    run.stats.resurrectCount += 1;
    run.greenroom.previousSegmentsMillis = run.stats.durationMillis;
    chargeActorStart(this.ctx.layout, run);
    return this.startContainer(definition, run, build, { plan });
  }

  /**
   * Migrates a RUNNING run at home, as when the platform moves it to another server: `migrating` on the events
   * channel, the grace window to persist state and exit, then a new container on the same storages and run id
   * (the run stays RUNNING; stats.migrationCount counts it). `reboot` (the SDK's Actor.reboot()) replaces the
   * container at once, with no event. Works whichever process follows the run. Resolves once the new container runs.
   */
  async migrate(runId: string, kind: MigrationRequest['kind'] = 'migration', metamorph?: MetamorphTarget): Promise<RunRecord> {
    const own = this.monitors.get(runId);
    const run = own?.run ?? this.requireRun(runId);
    checkMigratable(run, kind);
    if (own) return own.migrate(kind, metamorph);
    if (!isFollowed(run)) return (await this.attach(run)).migrate(kind, metamorph);
    // The process following the run replaces the container once it has exited (it reads the request on exit).
    const request = pendingMigration(run) ?? migrationRequest(kind, this.options.gracefulAbortMs, metamorph);
    if (request !== run.greenroom.migration) {
      run.greenroom.migration = request;
      persistRun(this.ctx, run);
    }
    const container = this.ctx.docker.docker.getContainer(run.greenroom.containerId!);
    const exited = this.ctx.docker.call('wait for container', (abortSignal) => container.wait({ abortSignal }), { timeoutMs: 0 });
    await stopContainer(this.ctx, container, { graceful: kind === 'migration', windowMs: this.options.gracefulAbortMs, atHome: true }, exited);
    const final = await this.waitUntil(runId, (r) => isTerminal(r.status) || r.greenroom.migration?.requestedAt !== request.requestedAt || !!r.greenroom.migration.handledAt);
    if (pendingMigration(final)) throw new RunOptionsError(`Run ${runId}: the process following it (pid ${run.greenroom.monitorPid}) has not started the new container yet`);
    return final;
  }

  /**
   * The platform's metamorph: the new input, completed and validated with the target's input schema, is stored in
   * the run's default key-value store as `INPUT-METAMORPH-<n>`, then the container is replaced at once (as a reboot)
   * by one of the target's build, on the same storages and run id. Refuses synchronously (nothing changed) and
   * returns the replacement's promise, so a caller can answer before the container goes, as the platform does.
   */
  metamorph(runId: string, target: MetamorphRequest): Promise<RunRecord> {
    const run = this.metamorphable(runId);
    const done = run.metamorphs?.length ?? 0;
    const input = prepareInput(target.definition.inputSchema, target.input);
    const inputKey = `INPUT-METAMORPH-${done + 1}`;
    const { input: storedInput } = encryptSecretInput(target.definition.inputSchema, input, inputSecretsKeyFile(this.options.secrets.file));
    writeJsonRecord(run.greenroom.storageDir, run.defaultKeyValueStoreId, inputKey, storedInput);
    return this.migrate(runId, 'metamorph', { actorRoot: target.definition.root, actorName: target.definition.name, build: target.build, inputKey });
  }

  /** The run, when it may be metamorphed now; else a RunOptionsError saying why (checked before a target is built). */
  metamorphable(runId: string): RunRecord {
    const run = this.monitors.get(runId)?.run ?? this.requireRun(runId);
    checkMigratable(run, 'metamorph');
    const done = run.metamorphs?.length ?? 0;
    if (done >= MAX_METAMORPHS_PER_RUN) throw new RunOptionsError(`Run ${runId} has been metamorphed ${done} times, the most a run may be (the platform's limit)`);
    return run;
  }

  /** Notes on a run that it started another (the caller's side of the link); through the monitor when this process follows it. */
  noteCall(runId: string, call: RunLink): void {
    const run = this.monitors.get(runId)?.run ?? this.ctx.store.getRun(runId);
    if (!run || run.greenroom.calls?.some((known) => known.runId === call.runId)) return;
    run.greenroom.calls = [...(run.greenroom.calls ?? []), call];
    persistRun(this.ctx, run);
  }

  /**
   * Picks up runs a previous engine process left unfinished: a running container is followed again (unless
   * `followRunning` is false: a short-lived command leaves it running and untouched), an exited one is finalised
   * from its exit code with the rest of its log, a vanished one is marked FAILED. With `followRunning` false it
   * resolves once those ended runs are recorded.
   */
  async reconcile({ followRunning = true }: { followRunning?: boolean } = {}): Promise<RunRecord[]> {
    const open = this.ctx.store.listRuns().filter((r) => !isTerminal(r.status) && !isFollowed(r));
    const resumed: RunRecord[] = [];
    for (const run of open) {
      if (!followRunning && (await this.isContainerRunning(run))) continue;
      if (run.greenroom.atHome) await this.serveApiAgain(run);
      const monitor = await this.attach(run);
      // Followed on: the monitor records the end; nobody awaits it here (it rejects when the engine is disposed).
      if (followRunning) monitor.finished.catch(() => undefined);
      resumed.push(followRunning ? monitor.run : await monitor.finished);
    }
    return resumed;
  }

  /**
   * A run at home outlived the process that served its API (a CLI killed mid-run): this process serves it again at
   * the address the container was given, or the log says why the Actor's platform calls fail from now on.
   */
  private async serveApiAgain(run: RunRecord): Promise<void> {
    const link = this.options.platform;
    const servedAt = run.greenroom.apiBaseUrl;
    if (!link || !servedAt || !run.greenroom.apiToken) return;
    const choice = await link
      .forRun({ actorRoot: this.ctx.layout.actorRoot, runId: run.id, runToken: run.greenroom.apiToken, servedAt })
      .catch((error: Error): PlatformChoice => ({ atHome: false, reason: error.message }));
    if (choice.atHome && choice.platform.apiBaseUrl === servedAt) return;
    const why = choice.atHome ? `it is served at ${choice.platform.apiBaseUrl} now` : choice.reason;
    await this.noteInRunLog(run, `Greenroom: the local Apify API this run was given (${servedAt}) could not be served again (${why}); the Actor's API calls fail`);
  }

  getMonitor(runId: string): RunMonitor | undefined {
    return this.monitors.get(runId);
  }

  detachAll(): void {
    for (const [runId, monitor] of this.monitors) {
      monitor.detach();
      FOLLOWED_HERE.delete(runId);
    }
    this.monitors.clear();
    this.warmRuns.clear();
    this.spares.dispose();
  }

  /**
   * After a warm-start run, the next run's container, started ahead from the same options (the ended run's environment
   * stands in until a run takes it over) on a folder and port of its own. Never fails the run: no spare, a cold start.
   */
  private async startSpare(ended: RunRecord, optionsFor: (forRun: RunRecord, publish: boolean, ports: HostPorts, warm: { bind: string }) => Docker.ContainerCreateOptions): Promise<Spare | undefined> {
    const { docker } = this.ctx;
    const folder = newWarmFolder();
    const spare: Partial<Spare> & { dir: string; bind: string } = folder;
    try {
      await this.spares.removeLeftovers(this.ctx.layout.actorRoot, new Set(this.ctx.store.listRuns().map((run) => run.greenroom.containerId ?? '')));
      const ports = { web: await findFreeLocalPort().catch(() => undefined), debug: ended.greenroom.debug ? await findFreeLocalPort() : undefined };
      const options = optionsFor({ ...ended, containerUrl: null }, true, ports, folder);
      options.Labels = { ...options.Labels, [LABELS.runId]: '', [LABELS.spare]: 'true' };
      // Before the start makes the binds: a file replaced after this reads as changed, never the other way round.
      const sources = bindSources(options);
      const container = await docker.call('create container', (abortSignal) => docker.docker.createContainer({ ...options, abortSignal }));
      spare.container = container;
      await docker.call('start container', (abortSignal) => container.start({ abortSignal }));
      return { ...folder, container, options, ports, sources };
    } catch {
      if (spare.container) await this.spares.discard(spare as Spare);
      else removeWarmFolder(folder.dir);
      return undefined;
    }
  }

  private async isRunning(container: Docker.Container): Promise<boolean> {
    const info = await this.ctx.docker.call('inspect container', (abortSignal) => container.inspect({ abortSignal })).catch(() => undefined);
    return !!info?.State.Running;
  }

  /** A new container for the run; a migration keeps the run's timeout (it counts from the start, not the move). */
  private async startContainer(definition: ActorDefinition, run: RunRecord, build: BuildRecord, { keepTimeout = false, plan }: { keepTimeout?: boolean; plan?: ContainerPlan } = {}): Promise<RunMonitor> {
    const { docker } = this.ctx;
    // A migration's new container keeps what the run was started with.
    plan ??= await this.containerPlan(definition, build, { devMode: run.greenroom.devMode, debug: !!run.greenroom.debug, debugpyDir: run.greenroom.debug?.debugpyDir });
    // Secrets are resolved only here, so run records never hold their values.
    const secretEnv = this.options.secrets.resolve(run.greenroom.env);
    const now = new Date();
    run.greenroom.segmentStartedAt = now.toISOString();
    if (!keepTimeout) run.greenroom.timeoutAt = run.options.timeoutSecs > 0 ? new Date(now.getTime() + run.options.timeoutSecs * 1000).toISOString() : null;
    run.greenroom.logOffset = fileSize(this.ctx.layout.runLog(run.id));
    const atHome = await this.atHomeLaunch(definition, run);
    const buildTags = Object.entries(this.ctx.store.readTags()).filter(([, id]) => id === build.id).map(([tag]) => tag);
    // Only Actors whose input schema has secret fields get the key that decrypts them.
    const inputSecretsEnv = hasSecretFields(definition.inputSchema) ? inputSecretsEnvironment(inputSecretsKeyFile(this.options.secrets.file)) : {};
    const binding = webServerBinding(docker.endpoint.modemOptions);
    // A new run of a warm-start plan takes over the Actor's spare when it fits (its folder and port with it).
    const spare = plan.warm && !keepTimeout && binding.kind === 'local' ? await this.spares.take() : undefined;
    const localHostPort = spare ? spare.ports.web : binding.kind === 'local' ? await findFreeLocalPort().catch(() => undefined) : undefined;
    const debugHostPort = plan.debug && (spare?.ports.debug ?? (await findFreeLocalPort()));
    if (run.greenroom.debug) run.greenroom.debug.port = debugHostPort ?? null;
    const ports: HostPorts = { web: localHostPort, debug: debugHostPort };
    // A debug run's preload opens the inspector once it has the run's environment, and waits for the debugger.
    const inspect = plan.debug && { host: '0.0.0.0', port: plan.debug.containerPort };
    if (plan.sourceBinds) await this.noteDevMode(definition, run, build);
    const optionsFor = (forRun: RunRecord, publish: boolean, ports: HostPorts, warm: { bind: string } | undefined) =>
      containerCreateOptions({
        run: forRun,
        build,
        buildTags,
        actorRoot: definition.root,
        env: secretEnv,
        inputSecretsEnv,
        webServer: publish ? { hostIp: binding.hostIp, hostPort: ports.web } : undefined,
        atHome,
        sourceBinds: plan.sourceBinds,
        debug: plan.debug && { ...plan.debug, hostIp: LOOPBACK, hostPort: ports.debug! },
        warm: plan.warm && warm && { ...plan.warm, bind: warm.bind },
        chargedEventCounts: runCharges(this.ctx.layout, forRun)?.chargedEventCounts,
      });
    let warmFolder: { dir: string; bind: string } | undefined;
    const createAndStart = async (publish: boolean): Promise<Docker.Container> => {
      // A resurrected run gets a fresh URL; a local one is known now, so the Actor finds it in ACTOR_WEB_SERVER_URL.
      run.containerUrl = publish && localHostPort !== undefined ? webServerUrl(binding.urlHost, localHostPort) : null;
      const options = optionsFor(run, publish, ports, warmFolder);
      // A cold warm-start run finds its environment waiting: the preload goes straight on.
      if (warmFolder) handOver(warmFolder.dir, { env: options.Env ?? [], inspect });
      const created = await docker.call('create container', (abortSignal) => docker.docker.createContainer({ ...options, abortSignal }));
      run.greenroom.containerId = created.id;
      persistRun(this.ctx, run);
      await docker.call('start container', (abortSignal) => created.start({ abortSignal }));
      return created;
    };
    let container: Docker.Container | undefined;
    if (spare) {
      run.containerUrl = localHostPort !== undefined ? webServerUrl(binding.urlHost, localHostPort) : null;
      const options = optionsFor(run, true, ports, spare);
      if (spareFits(spare, options) && (await this.isRunning(spare.container))) {
        handOver(spare.dir, { env: options.Env ?? [], templateEnv: spare.options.Env, inspect });
        container = spare.container;
        Object.assign(run.greenroom, { containerId: container.id, warmStart: true });
        persistRun(this.ctx, run);
      } else {
        await this.spares.discard(spare);
      }
    }
    if (plan.warm) {
      if (!container) warmFolder = newWarmFolder();
      const folder = spare && container ? spare.dir : warmFolder!.dir;
      this.warmRuns.set(run.id, { folder, startSpare: () => (binding.kind === 'local' ? this.startSpare(run, optionsFor) : Promise.resolve(undefined)) });
    }
    try {
      try {
        container ??= await createAndStart(true);
        // Docker chose the host port (a remote engine, or no free local port was found): read it back.
        if (!run.containerUrl) await this.fillChosenContainerUrl(run, container, binding.urlHost);
      } catch (error) {
        if (error instanceof DockerUnavailableError || error instanceof CancelledError) throw error;
        // A taken port or an engine that cannot publish ports (rootless, no proxy) must not cost the run.
        await this.removeCreatedContainer(run);
        container = await createAndStart(false);
        // Said only now: when the retry fails too, the cause was not the port and the run fails with that error.
        const reason = (error as Error).message.replace(/\s+/g, ' ').trim();
        await this.noteInRunLog(run, `Greenroom: the web server port ${WEB_SERVER_PORT} could not be published (${reason}); the run continues without a container URL`);
      }
    } catch (error) {
      const warm = this.warmRuns.get(run.id);
      this.warmRuns.delete(run.id);
      if (warm) removeWarmFolder(warm.folder);
      Object.assign(run, { status: 'FAILED', statusMessage: `The container could not start: ${(error as Error).message}`, isStatusMessageTerminal: true, finishedAt: new Date().toISOString() });
      persistRun(this.ctx, run);
      throw error;
    }
    run.status = 'RUNNING';
    return this.attach(run, container);
  }

  /**
   * At home on the linked platform, or local mode, saying why in the run log when a platform is linked but cannot
   * serve this run: a remote Docker engine (its containers cannot reach this machine), storage mode `local`, the
   * Actor's shared storage (the `apify run` layout is local mode's), or a platform that is not available.
   */
  private async atHomeLaunch(definition: ActorDefinition, run: RunRecord): Promise<AtHomeLaunch | undefined> {
    const local = (reason?: string): undefined => {
      run.greenroom.atHome = false;
      if (reason) this.noteInRunLog(run, `Greenroom: this run uses local mode (storages mounted, no platform API or events): ${reason}`);
      return undefined;
    };
    const link = this.options.platform;
    if (!link) return local();
    if (run.greenroom.storageMode === 'local') return local('storage mode "local" was chosen (--storage-mode local or the setting greenroom.run.storageMode)');
    if (run.greenroom.sharedStorage) return local("it runs on the Actor's shared storage/ folder, which is the layout of `apify run`'s local mode");
    const { endpoint } = this.ctx.docker;
    if (webServerBinding(endpoint.modemOptions).kind === 'remote') {
      return local(`the Docker engine ${endpoint.description} is remote, and its containers cannot reach the local Apify API on this machine`);
    }
    const token = (run.greenroom.apiToken ??= newRunToken(run.id));
    let choice;
    try {
      choice = await link.forRun({ actorRoot: definition.root, runId: run.id, runToken: token });
    } catch (error) {
      return local(`the local Apify API is not available (${(error as Error).message})`);
    }
    if (!choice.atHome) return local(choice.reason);
    run.greenroom.atHome = true;
    run.greenroom.apiBaseUrl = choice.platform.apiBaseUrl;
    return { platform: choice.platform, actorId: actorIdOf(definition.name), token };
  }

  /**
   * The migrated run's container has exited: a new one continues the run on the same storages (the definition
   * and build as they are now, the timeout as it was). A failure to start it ends the run FAILED saying why.
   */
  private async replaceContainer(run: RunRecord, exitCode: number | null): Promise<RunMonitor> {
    const migration = run.greenroom.migration!;
    migration.handledAt = new Date().toISOString();
    run.greenroom.previousSegmentsMillis = run.stats.durationMillis;
    run.greenroom.containerId = null;
    const exit = exitCode === null ? 'was killed' : `exited with code ${exitCode}`;
    let what: string;
    if (migration.kind === 'metamorph' && migration.metamorph) {
      const { inputKey, ...image } = migration.metamorph;
      run.metamorphs = [...(run.metamorphs ?? []), { createdAt: migration.requestedAt, actorId: actorIdOf(image.actorName), buildId: image.build.id, inputKey }];
      Object.assign(run, { buildId: image.build.id, buildNumber: image.build.buildNumber });
      run.greenroom.image = image;
      run.greenroom.inputKey = inputKey;
      what = `metamorph ${run.metamorphs.length} into ${image.actorName} (build ${image.build.buildNumber}, input ${inputKey})`;
    } else if (migration.kind === 'restart') {
      run.stats.restartCount += 1;
      run.greenroom.restartedAt = [...(run.greenroom.restartedAt ?? []), migration.requestedAt];
      what = `restart ${run.stats.restartCount} (restartOnError)`;
    } else {
      const counter = migration.kind === 'reboot' ? 'rebootCount' : 'migrationCount';
      run.stats[counter] = (run.stats[counter] ?? 0) + 1;
      what = `${migration.kind} ${run.stats[counter]}`;
    }
    this.noteInRunLog(run, `Greenroom: ${what}: the container ${exit}; a new container continues the run on the same storages`);
    try {
      const image = run.greenroom.image;
      const definition = readActorDefinition(image?.actorRoot ?? this.ctx.layout.actorRoot);
      // The target's actor.json environment variables replace the first Actor's.
      if (migration.kind === 'metamorph') run.greenroom.env = { ...definition.environmentVariables };
      const build = image?.build ?? this.ctx.store.getBuild(run.buildId);
      if (!build) throw new RunOptionsError(`the run's build ${run.buildId} no longer exists`);
      return await this.startContainer(definition, run, build, { keepTimeout: true });
    } catch (error) {
      // startContainer records a container that cannot start; anything before it (definition, build, secrets) too.
      if (!isTerminal(run.status)) {
        Object.assign(run, { status: 'FAILED', statusMessage: `The ${migration.kind}'s new container could not start: ${(error as Error).message}`, isStatusMessageTerminal: true, finishedAt: new Date().toISOString() });
        run.greenroom.monitorPid = null;
        persistRun(this.ctx, run);
      }
      throw error;
    }
  }

  /** Says in the run log that the source is mounted, and when the build's dependencies no longer match it. */
  private async noteDevMode(definition: ActorDefinition, run: RunRecord, build: BuildRecord): Promise<void> {
    await this.noteInRunLog(run, `Greenroom: dev mode: the source in ${definition.contextDir} is mounted read-only over the image's working directory, on build ${build.buildNumber}'s installed dependencies`);
    const changed = changedDependencyFiles(build, definition.contextDir);
    if (changed.length) {
      await this.noteInRunLog(run, `Greenroom: dev mode: ${changed.join(' and ')} changed since build ${build.buildNumber}; a build is needed for new dependencies (dev mode mounts the source, it installs nothing)`);
    }
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
  private async noteInRunLog(run: RunRecord, line: string): Promise<void> {
    const file = this.ctx.layout.runLog(run.id);
    const sink = runLogSink(this.ctx, run.id);
    sink.note(line);
    await sink.close();
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
      replaceContainer: (migrated, exitCode) => this.replaceContainer(migrated, exitCode),
      onFinished: (finished) => {
        this.monitors.delete(finished.id);
        FOLLOWED_HERE.delete(finished.id);
        const warm = this.warmRuns.get(finished.id);
        this.warmRuns.delete(finished.id);
        if (warm) {
          removeWarmFolder(warm.folder);
          this.spares.offer(warm.startSpare());
        }
        this.options.onFinished(finished);
      },
    });
    this.monitors.set(run.id, monitor);
    FOLLOWED_HERE.add(run.id);
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

  private waitUntilTerminal(runId: string): Promise<RunRecord> {
    return this.waitUntil(runId, (run) => isTerminal(run.status));
  }

  /** The record once `done` holds for it, or as it is a while after the grace window (another process writes it). */
  private async waitUntil(runId: string, done: (run: RunRecord) => boolean): Promise<RunRecord> {
    const deadline = Date.now() + this.options.gracefulAbortMs + 30_000;
    for (;;) {
      const run = this.requireRun(runId);
      if (done(run) || Date.now() > deadline) return run;
      await new Promise((r) => setTimeout(r, RECORD_POLL_MS));
    }
  }
}

/** Refuses a migration the run cannot have: only a RUNNING run at home has the events channel it needs. */
function checkMigratable(run: RunRecord, kind: MigrationRequest['kind']): void {
  const what = kind === 'reboot' ? 'rebooted' : kind === 'metamorph' ? 'metamorphed' : 'migrated';
  if (run.status !== 'RUNNING') throw new RunOptionsError(`Run ${run.id} is ${run.status}; only a RUNNING run can be ${what}`);
  if (!run.greenroom.atHome) throw new RunOptionsError(`Run ${run.id} runs in local mode (its log says why); only a run at home on the local platform can be ${what}`);
  const pending = pendingMigration(run);
  // A reboot during a migration is the Actor saying it is ready (the SDK's `migrating` handler): it ends the window.
  if (pending && !(kind === 'reboot' && pending.kind === 'migration')) throw new RunOptionsError(`Run ${run.id} is already being ${pending.kind === 'reboot' ? 'rebooted' : pending.kind === 'metamorph' ? 'metamorphed' : 'migrated'}`);
}


/** A dev-mode run's warm start, when the image's command resolves to a Node program; else it starts as built. */
function warmPlan(image: ImageConfig, definition: ActorDefinition): WarmLaunch | undefined {
  try {
    return warmLaunch(resolveActorCommand(image, () => readStartScript(definition.contextDir)));
  } catch (error) {
    if (error instanceof RunOptionsError) return undefined;
    throw error;
  }
}

/** Where the debugger will be reached, as the run record keeps it (the port is set once chosen). */
function debugRecord(definition: ActorDefinition, debug: DebugLaunch, debugpyDir: string | undefined): RunDebug {
  return { runtime: debug.runtime, host: LOOPBACK, port: null, remoteRoot: debug.workingDir, localRoot: definition.contextDir, ...(debugpyDir && { debugpyDir }) };
}

/** The Actor's pricing for a new run; a malformed pricing file refuses the run, naming the file. */
function readPricing(definition: ActorDefinition): PricingInfo | undefined {
  try {
    return actorPricing(definition.root);
  } catch (error) {
    if (error instanceof PricingError) throw new RunOptionsError(error.message);
    throw error;
  }
}

/** The platform charges `apify-actor-start` itself when a pay-per-event run starts or is resurrected, when priced. */
function chargeActorStart(layout: ActorLayout, run: RunRecord): void {
  if (isPayPerEvent(run.pricingInfo) && run.pricingInfo.pricingPerEvent.actorChargeEvents[ACTOR_START_EVENT]) {
    appendCharge(layout, run.id, { eventName: ACTOR_START_EVENT, count: actorStartCount(run.options.memoryMbytes) });
  }
}

function alreadyFinished(run: RunRecord): RunOptionsError {
  return new RunOptionsError(`Run ${run.id} already finished (${run.status}${run.statusMessage ? `: ${run.statusMessage}` : ''})`);
}

/**
 * Runs a monitor of this process follows, whichever engine made it: an engine made anew (settings changed) while
 * another's run was starting must not follow that run a second time (two followers write its log twice, and the one
 * that knew less could record the end).
 */
const FOLLOWED_HERE = new Set<string>();

/** Whether a monitor follows the run: one of this process (whichever engine's), or another live process's. */
function isFollowed(run: RunRecord): boolean {
  if (FOLLOWED_HERE.has(run.id)) return true;
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
