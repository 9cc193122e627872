/**
 * Everything a run's container is given, in one place: image, environment, mounts, published port, memory
 * limit, labels. A pure function of the run, its build and the values resolved just before the start (secrets,
 * the chosen host port), so it is tested without Docker.
 *
 * Two modes (docs/run-environment.md): at home, the SDK's platform code path, with the local Apify API and the events
 * channel and no storage mount (the storages are reached through the API only); local, the SDK's file storage
 * through one bind mount of the run's storage root.
 */
import type { ContainerCreateOptions } from 'dockerode';
import { LABELS } from './context';
import type { DebugLaunch } from './debugging';
import type { WarmLaunch } from './warmStart';
import type { AtHomePlatform } from './platformLink';
import type { BuildRecord, RunRecord, RunStorageIds } from './types';
import { WEB_SERVER_PORT } from './webServerPort';

/** Where the run's storage root is mounted inside the container. */
export const CONTAINER_STORAGE_DIR = '/greenroom/storage';
const WEB_SERVER_CONTAINER_PORT = `${WEB_SERVER_PORT}/tcp`;

export interface Launch {
  run: RunRecord;
  build: BuildRecord;
  /** The build's tags (ACTOR_BUILD_TAGS). */
  buildTags: string[];
  actorRoot: string;
  /** actor.json environmentVariables and the run's extra ones, `@secret` references resolved. */
  env: Record<string, string>;
  /** What the SDK needs to decrypt secret input fields; empty when the input schema has none. */
  inputSecretsEnv: Record<string, string>;
  /** Publish the web server port on this host address and port (undefined port: Docker chooses); absent: not published. */
  webServer?: { hostIp: string; hostPort: number | undefined };
  /** The run is at home on the local platform; absent: local mode. */
  atHome?: AtHomeLaunch;
  /** Dev mode: read-only binds of the Actor's source over the image's working directory (devMode.ts). */
  sourceBinds?: string[];
  /** A debug run: the command with the debugger in front, its port published on this host address and port. */
  debug?: DebugLaunch & { hostIp: string; hostPort: number };
  /** A dev-mode warm start: the preload in front of the Actor's program, its folder bound read-only (warmStart.ts). */
  warm?: WarmLaunch & { bind: string };
  /** A pay-per-event run's charges so far (APIFY_CHARGED_ACTOR_EVENT_COUNTS), when the container starts. */
  chargedEventCounts?: Record<string, number>;
}

export interface AtHomeLaunch {
  platform: AtHomePlatform;
  /** ACTOR_ID (actorIdOf the name). */
  actorId: string;
  /** The run's token (run.greenroom.apiToken), APIFY_TOKEN. */
  token: string;
}

/** The complete `docker create` options of a run's container. */
export function containerCreateOptions(launch: Launch): ContainerCreateOptions {
  const { run, build, webServer } = launch;
  const memoryBytes = run.options.memoryMbytes * 1024 * 1024;
  const sdkEnv = launch.atHome
    ? { ...atHomeEnvironment(run, build, launch.buildTags, launch.atHome), ...pricingEnvironment(run, launch.chargedEventCounts) }
    : { ...localEnvironment(run, build, launch.buildTags), ...localPricingEnvironment(run, launch.chargedEventCounts) };
  const { debug, warm } = launch;
  // The image's command, replaced to start the warm-start preload (which opens a debug run's inspector) or a debugger
  // in front of the Actor's program.
  const command = warm ?? debug;
  // A start script's own assignments (`NODE_ENV=… node main.js`) come first: the run's environment wins.
  const env = { ...command?.env, ...launch.env, ...launch.inputSecretsEnv, ...sdkEnv };
  // At home the storages are reached through the API only: a container cannot touch another run's files. The
  // only binds an at-home run may have are read-only code: the dev-mode source (without storage/), the debugger and
  // the warm-start preload.
  const binds = [...(launch.atHome ? [] : storageBinds(run)), ...(launch.sourceBinds ?? []), ...(debug?.binds ?? []), ...(warm ? [warm.bind] : [])];
  const debugPort = debug && `${debug.containerPort}/tcp`;
  const exposed = [...(webServer ? [WEB_SERVER_CONTAINER_PORT] : []), ...(debugPort ? [debugPort] : [])];
  const portBindings = {
    ...(webServer && { [WEB_SERVER_CONTAINER_PORT]: [{ HostIp: webServer.hostIp, HostPort: webServer.hostPort === undefined ? '' : String(webServer.hostPort) }] }),
    ...(debug && { [debugPort!]: [{ HostIp: debug.hostIp, HostPort: String(debug.hostPort) }] }),
  };
  return {
    Image: build.imageName,
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    Labels: { [LABELS.runId]: run.id, [LABELS.actorRoot]: launch.actorRoot, [LABELS.buildId]: build.id },
    ...(command && { Entrypoint: command.entrypoint, Cmd: command.cmd }),
    ...(exposed.length > 0 && { ExposedPorts: Object.fromEntries(exposed.map((port) => [port, {}])) }),
    HostConfig: {
      ...(binds.length > 0 && { Binds: binds }),
      Memory: memoryBytes,
      // No swap beyond the limit, so exceeding it is an OOM kill as on the platform.
      MemorySwap: memoryBytes,
      // A tiny init as PID 1 gives the Actor default signal handling, so SIGINT (graceful abort in local mode) works.
      Init: true,
      ...(exposed.length > 0 && { PortBindings: portBindings }),
    },
  };
}

function storageBinds(run: RunRecord): string[] {
  return [`${run.greenroom.storageDir}:${CONTAINER_STORAGE_DIR}`];
}

/** What both modes give: input, default storages, build, memory, times, web server (and standby), origin. */
function commonEnvironment(run: RunRecord, build: BuildRecord, buildTags: string[]): Record<string, string> {
  const env: Record<string, string> = {
    ACTOR_INPUT_KEY: run.greenroom.inputKey,
    APIFY_INPUT_KEY: run.greenroom.inputKey,
    CRAWLEE_INPUT_KEY: run.greenroom.inputKey,
    ACTOR_DEFAULT_DATASET_ID: run.defaultDatasetId,
    ACTOR_DEFAULT_KEY_VALUE_STORE_ID: run.defaultKeyValueStoreId,
    ACTOR_DEFAULT_REQUEST_QUEUE_ID: run.defaultRequestQueueId,
    ACTOR_BUILD_ID: build.id,
    ACTOR_BUILD_NUMBER: build.buildNumber,
    ACTOR_BUILD_TAGS: buildTags.join(','),
    ACTOR_MEMORY_MBYTES: String(run.options.memoryMbytes),
    ACTOR_STARTED_AT: run.startedAt,
    ACTOR_WEB_SERVER_PORT: String(WEB_SERVER_PORT),
    APIFY_META_ORIGIN: run.meta.origin,
  };
  // Set only when the URL is known before the container starts (a locally published port).
  if (run.containerUrl) env.ACTOR_WEB_SERVER_URL = run.containerUrl;
  // A standby run listens on the same port as the web server, as on the platform (docs/platform.md#standby-mode).
  if (run.greenroom.standbyUrl) Object.assign(env, { ACTOR_STANDBY_PORT: String(WEB_SERVER_PORT), ACTOR_STANDBY_URL: run.greenroom.standbyUrl });
  if (run.greenroom.timeoutAt) env.ACTOR_TIMEOUT_AT = run.greenroom.timeoutAt;
  if (run.options.maxItems !== undefined) env.ACTOR_MAX_PAID_DATASET_ITEMS = String(run.options.maxItems);
  if (run.options.maxTotalChargeUsd !== undefined) env.ACTOR_MAX_TOTAL_CHARGE_USD = String(run.options.maxTotalChargeUsd);
  env.ACTOR_RESTART_ON_ERROR = run.options.restartOnError ? '1' : '0';
  return env;
}

/**
 * At home, a priced run's pricing and its charges so far, as the platform gives them: the SDK's ChargingManager
 * reads these before it would ask the API for the run (docs/platform.md#pay-per-event).
 */
function pricingEnvironment(run: RunRecord, chargedEventCounts: Record<string, number> | undefined): Record<string, string> {
  if (!run.pricingInfo) return {};
  return { APIFY_ACTOR_PRICING_INFO: JSON.stringify(run.pricingInfo), APIFY_CHARGED_ACTOR_EVENT_COUNTS: JSON.stringify(chargedEventCounts ?? {}) };
}

/**
 * Local mode, a priced run: the same pricing (the SDK's ChargingManager takes it from these in local mode too), and
 * the SDK's local charging log (ACTOR_USE_CHARGING_LOG_DATASET: each charge an item of the `charging_log` dataset),
 * which is where Greenroom reads the run's charges from (chargeLedger.ts).
 */
function localPricingEnvironment(run: RunRecord, chargedEventCounts: Record<string, number> | undefined): Record<string, string> {
  const pricing = pricingEnvironment(run, chargedEventCounts);
  return Object.keys(pricing).length ? { ...pricing, ACTOR_USE_CHARGING_LOG_DATASET: '1' } : {};
}

/** Local mode: the SDK's file storage on the mounted storage root. */
export function localEnvironment(run: RunRecord, build: BuildRecord, buildTags: string[]): Record<string, string> {
  return {
    ...commonEnvironment(run, build, buildTags),
    CRAWLEE_STORAGE_DIR: CONTAINER_STORAGE_DIR,
    APIFY_LOCAL_STORAGE_DIR: CONTAINER_STORAGE_DIR,
    // Greenroom owns the storages' lifecycle: the SDK must not purge them (they outlive the container).
    CRAWLEE_PURGE_ON_START: '0',
    CRAWLEE_DEFAULT_DATASET_ID: run.defaultDatasetId,
    CRAWLEE_DEFAULT_KEY_VALUE_STORE_ID: run.defaultKeyValueStoreId,
    CRAWLEE_DEFAULT_REQUEST_QUEUE_ID: run.defaultRequestQueueId,
    // Deliberately absent: APIFY_IS_AT_HOME (switches the JS SDK to the platform API) and ACTOR_RUN_ID
    // (makes setStatusMessage call the API), see docs/run-environment.md#environment-variables.
  };
}

/**
 * At home: what the platform gives, in the ACTOR_* names and the legacy APIFY_* names the SDKs still read (the JS
 * SDK's Configuration.ENV_MAP, the Python SDK's Configuration aliases).
 */
export function atHomeEnvironment(run: RunRecord, build: BuildRecord, buildTags: string[], atHome: AtHomeLaunch): Record<string, string> {
  const common = commonEnvironment(run, build, buildTags);
  const { platform } = atHome;
  const env: Record<string, string> = {
    ...common,
    APIFY_IS_AT_HOME: '1',
    APIFY_API_BASE_URL: platform.apiBaseUrl,
    APIFY_API_PUBLIC_BASE_URL: platform.publicBaseUrl,
    APIFY_TOKEN: atHome.token,
    ACTOR_ID: atHome.actorId,
    APIFY_ACTOR_ID: atHome.actorId,
    ACTOR_FULL_NAME: run.actId,
    ACTOR_RUN_ID: run.id,
    APIFY_ACTOR_RUN_ID: run.id,
    APIFY_USER_ID: platform.userId,
    ACTOR_EVENTS_WEBSOCKET_URL: platform.eventsWebsocketUrl,
    APIFY_ACTOR_EVENTS_WS_URL: platform.eventsWebsocketUrl,
    ACTOR_STORAGES_JSON: JSON.stringify(run.storageIds ?? defaultStorageIds(run)),
    APIFY_DEFAULT_DATASET_ID: run.defaultDatasetId,
    APIFY_DEFAULT_KEY_VALUE_STORE_ID: run.defaultKeyValueStoreId,
    APIFY_DEFAULT_REQUEST_QUEUE_ID: run.defaultRequestQueueId,
    APIFY_ACTOR_BUILD_ID: build.id,
    APIFY_ACTOR_BUILD_NUMBER: build.buildNumber,
    APIFY_MEMORY_MBYTES: common.ACTOR_MEMORY_MBYTES,
    APIFY_STARTED_AT: common.ACTOR_STARTED_AT,
    APIFY_CONTAINER_PORT: common.ACTOR_WEB_SERVER_PORT,
  };
  if (common.ACTOR_WEB_SERVER_URL) env.APIFY_CONTAINER_URL = common.ACTOR_WEB_SERVER_URL;
  if (common.ACTOR_TIMEOUT_AT) env.APIFY_TIMEOUT_AT = common.ACTOR_TIMEOUT_AT;
  return env;
}

/** A run's storages by alias when it has none declared (a record from before aliases were recorded). */
export function defaultStorageIds(run: Pick<RunRecord, 'defaultDatasetId' | 'defaultKeyValueStoreId' | 'defaultRequestQueueId'>): RunStorageIds {
  return { datasets: { default: run.defaultDatasetId }, keyValueStores: { default: run.defaultKeyValueStoreId }, requestQueues: { default: run.defaultRequestQueueId } };
}
