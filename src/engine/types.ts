/**
 * Run and build records. Field names follow the Apify platform API (docs/actor-model.md) so that results look
 * familiar; Greenroom-only fields live under `greenroom` so they never collide with platform names.
 */

import type { StorageMode } from './platformLink';
import type { PricingInfo } from './pricing';

/**
 * Who started a run or build (the platform's names): the editor, the command line, a client of the local Apify API,
 * another Actor's run through that API (`Actor.call`), a schedule, or a request to the Actor's standby URL.
 */
export type Origin = 'DEVELOPMENT' | 'CLI' | 'API' | 'ACTOR' | 'SCHEDULER' | 'STANDBY';

export type BuildStatus = 'READY' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED-OUT';
export type RunStatus =
  | 'READY'
  | 'RUNNING'
  | 'TIMING-OUT'
  | 'ABORTING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMED-OUT'
  | 'ABORTED';

export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['SUCCEEDED', 'FAILED', 'TIMED-OUT', 'ABORTED']);

export function isTerminal(status: BuildStatus | RunStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

export interface BuildRecord {
  id: string;
  actId: string;
  status: BuildStatus;
  statusMessage?: string;
  startedAt: string;
  finishedAt: string | null;
  buildNumber: string;
  meta: { origin: Origin };
  stats: { durationMillis?: number; imageSizeBytes?: number };
  options: { useCache: boolean; timeoutSecs?: number };
  actVersion: { versionNumber: string; buildTag: string };
  /** Docker image built (`greenroom/<actor>:<buildNumber>`) and its id once known. */
  imageName: string;
  imageId?: string;
  greenroom: {
    builderPid: number | null;
    /** SHA-256 of package.json / requirements.txt as built (devMode.ts: a dev-mode run says when they changed). */
    dependencyDigests?: Record<string, string>;
    /** The schedule that started the build (origin SCHEDULER). */
    scheduleName?: string;
  };
}

export interface RunOptions {
  build: string;
  timeoutSecs: number;
  memoryMbytes: number;
  maxItems?: number;
  /** The platform's cap on what the run may charge (pay-per-event); kept for the run's charging. */
  maxTotalChargeUsd?: number;
  /** The platform's run option: a container that fails is restarted (runMonitor.ts restartOnErrorDecision). */
  restartOnError?: boolean;
}

export interface RunStats {
  runTimeSecs: number;
  durationMillis: number;
  memAvgBytes?: number;
  memMaxBytes?: number;
  cpuAvgUsage?: number;
  cpuMaxUsage?: number;
  resurrectCount: number;
  restartCount: number;
  /** Migrations (engine.migrate: the container replaced after `migrating`), as the platform counts them. */
  migrationCount?: number;
  /** Reboots (engine.reboot, the SDK's Actor.reboot()). */
  rebootCount?: number;
  /** Greenroom extra: items in the default dataset. */
  datasetItemCount?: number;
}

export interface RunRecord {
  id: string;
  actId: string;
  status: RunStatus;
  statusMessage: string | null;
  isStatusMessageTerminal: boolean;
  startedAt: string;
  finishedAt: string | null;
  exitCode: number | null;
  buildId: string;
  buildNumber: string;
  meta: { origin: Origin };
  /** The task the run was started from (its id, tasks.ts `taskIdOf`), as the platform's field; null otherwise. */
  actorTaskId?: string | null;
  options: RunOptions;
  stats: RunStats;
  defaultDatasetId: string;
  defaultKeyValueStoreId: string;
  defaultRequestQueueId: string;
  containerUrl: string | null;
  /**
   * The run's storages by alias, `default` included (the platform's field; the same object the container gets as
   * ACTOR_STORAGES_JSON): actor.json `storages` get fresh ids at run start, so access rules and views know them.
   */
  storageIds?: RunStorageIds;
  /** The Actor's pricing when the run started (the platform's field); absent for a free Actor. Charges: chargeLedger.ts. */
  pricingInfo?: PricingInfo;
  /** Each metamorph of the run, as the platform's field: the Actor (id) and build it became, the key of its input. */
  metamorphs?: RunMetamorph[];
  greenroom: RunInternals;
}

export interface RunMetamorph {
  createdAt: string;
  actorId: string;
  buildId: string;
  inputKey: string;
}

/** One end of a call between runs (`Actor.call`/`start` through the local API). */
export interface RunLink {
  runId: string;
  /** actor.json `name` of the run's Actor. */
  actorName: string;
  /** The Actor's folder (where its records are). */
  actorRoot: string;
}

/** The image a run's containers are made from when it is no longer its own Actor's (after a metamorph). */
export interface RunImage {
  actorRoot: string;
  actorName: string;
  build: BuildRecord;
}

export interface RunStorageIds {
  datasets: Record<string, string>;
  keyValueStores: Record<string, string>;
  requestQueues: Record<string, string>;
}

/** Bookkeeping the engine needs to resume, resurrect and clean up a run. */
export interface RunInternals {
  /** The run's number among its Actor's runs, for its name (runName.ts); absent in records older than numbers. */
  runNumber?: number;
  /** A standby run (src/platform/standby/): the Actor's standby URL it serves, its ACTOR_STANDBY_URL. */
  standbyUrl?: string;
  containerId: string | null;
  /** Absolute path of the storage root mounted into the container. */
  storageDir: string;
  /** True when the run uses the Actor's own `storage/` (the `apify run` layout). */
  sharedStorage: boolean;
  inputKey: string;
  /** When the current container started (differs from startedAt after a resurrection). */
  segmentStartedAt: string | null;
  /** Run time of the containers before the current one, so duration excludes time spent stopped. */
  previousSegmentsMillis: number;
  timeoutAt: string | null;
  /** Byte offset in the run's log where the current container's output begins (a re-attach resumes after what follows it). */
  logOffset: number;
  /** PID of the process streaming this run's container (to avoid two monitors after a restart). */
  monitorPid: number | null;
  /** actor.json environmentVariables plus extra ones, `@secret` references unresolved. */
  env: Record<string, string>;
  /** The run's own API token (given to its container only), when the run is at home on the local platform. */
  apiToken?: string;
  /** When the status message was last set (by the monitor or straight into the record), so the newest one wins. */
  statusMessageSetAt?: string;
  /** The current container runs at home on the local platform (the API, the events channel, no storage mount). */
  atHome?: boolean;
  /** The API base URL the current container was given (APIFY_API_BASE_URL): a process that re-attaches serves it there again. */
  apiBaseUrl?: string;
  /** `local`: the run was asked to stay in local mode (kept for resurrections and migrations). */
  storageMode?: StorageMode;
  /**
   * The latest migration or reboot asked for (from any process): the events channel sends `migrating`, and the
   * process following the run replaces its container once it has exited instead of finishing the run.
   */
  migration?: MigrationRequest;
  /** The run that started this one (`Actor.call`/`start`/`callTask` from inside a run). */
  caller?: RunLink;
  /** The runs this one started, oldest first. */
  calls?: RunLink[];
  /** The task's name when the run was started from one (`actorTaskId` is its id). */
  taskName?: string;
  /** The schedule that started the run (origin SCHEDULER). */
  scheduleName?: string;
  /** Ad-hoc webhooks given with the run (the `webhooks` run option, decoded), as sent: the webhooks' dispatch reads them. */
  webhooks?: unknown[];
  /** When restartOnError restarted the run's container, oldest first (the limit counts the recent ones). */
  restartedAt?: string[];
  /** Set by a metamorph: the Actor and build the run's containers are made from from then on. */
  image?: RunImage;
  /** Dev mode: the Actor's source mounted read-only over the image's working directory (devMode.ts). */
  devMode?: boolean;
  /** A dev-mode run that took over a container started ahead, with the SDK loaded (warmStart.ts). */
  warmStart?: boolean;
  /** A debug run: a debugger listens in the container and the Actor waits for it (debugging.ts). */
  debug?: RunDebug;
}

/** Where a debug run's debugger is reached, and how its files map to the Actor's folder. */
export interface RunDebug {
  runtime: 'node' | 'python';
  /** The host's loopback address and the port the debugger is published on (null until the container is created). */
  host: string;
  port: number | null;
  /** The container's working directory: the debugger's remote root, mapped to the Actor's source folder. */
  remoteRoot: string;
  /** The source folder the image was built from (the build context): the debugger's local root. */
  localRoot: string;
  /** The debugpy package a Python run brings (when one was given rather than found on the host). */
  debugpyDir?: string;
}

export interface MigrationRequest {
  /**
   * `metamorph`: the container is replaced by another Actor's (`metamorph` says which); like a reboot, at once.
   * `restart`: restartOnError after the container failed (it has already exited).
   */
  kind: 'migration' | 'reboot' | 'metamorph' | 'restart';
  requestedAt: string;
  /** When the container is killed unless it has exited (the `migrating` event's timeRemainingSecs). */
  deadlineAt: string;
  /** Set once carried out (the new container started) or dropped (the run ended meanwhile). */
  handledAt?: string;
  metamorph?: MetamorphTarget;
}

/** What a metamorph turns the run into: the target Actor's build, and the key its input was stored under. */
export interface MetamorphTarget extends RunImage {
  inputKey: string;
}

/** A migration asked for now: a reboot's container is killed at once, a migration's after the grace window. */
export function migrationRequest(kind: MigrationRequest['kind'], windowMs: number, metamorph?: MetamorphTarget): MigrationRequest {
  const now = Date.now();
  return { kind, requestedAt: new Date(now).toISOString(), deadlineAt: new Date(now + (kind === 'migration' ? windowMs : 0)).toISOString(), ...(metamorph && { metamorph }) };
}

/** A migration or reboot not yet carried out. */
export function pendingMigration(run: RunRecord): MigrationRequest | undefined {
  const migration = run.greenroom.migration;
  return migration && !migration.handledAt ? migration : undefined;
}

export interface StatsSample {
  memBytes: number;
  cpuUsage: number;
}

export type EngineEvent =
  | { type: 'build-status'; build: BuildRecord }
  | { type: 'build-log'; buildId: string; lines: string[] }
  | { type: 'build-deleted'; buildId: string }
  | { type: 'run-status'; run: RunRecord }
  | { type: 'run-log'; runId: string; lines: string[] }
  | { type: 'run-stats'; runId: string; stats: RunStats; sample: StatsSample }
  | { type: 'run-deleted'; runId: string }
  | { type: 'tags-changed'; tags: Record<string, string> }
  | { type: 'warning'; message: string };
