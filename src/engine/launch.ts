/**
 * Everything a run's container is given, in one place: image, environment, mounts, published port, memory
 * limit, labels. A pure function of the run, its build and the values resolved just before the start (secrets,
 * the chosen host port), so it is tested without Docker.
 *
 * The environment is what the stock SDKs need to use local file storage (docs/run-environment.md); the storages reach
 * the container through one bind mount of the run's storage root.
 */
import type { ContainerCreateOptions } from 'dockerode';
import { LABELS } from './context';
import type { BuildRecord, RunRecord } from './types';
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
}

/** The complete `docker create` options of a run's container. */
export function containerCreateOptions(launch: Launch): ContainerCreateOptions {
  const { run, build, webServer } = launch;
  const memoryBytes = run.options.memoryMbytes * 1024 * 1024;
  const env = { ...launch.env, ...launch.inputSecretsEnv, ...sdkEnvironment(run, build, launch.buildTags) };
  return {
    Image: build.imageName,
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    Labels: { [LABELS.runId]: run.id, [LABELS.actorRoot]: launch.actorRoot, [LABELS.buildId]: build.id },
    ...(webServer && { ExposedPorts: { [WEB_SERVER_CONTAINER_PORT]: {} } }),
    HostConfig: {
      Binds: storageBinds(run),
      Memory: memoryBytes,
      // No swap beyond the limit, so exceeding it is an OOM kill as on the platform.
      MemorySwap: memoryBytes,
      // A tiny init as PID 1 gives the Actor default signal handling, so SIGINT (graceful abort) works.
      Init: true,
      ...(webServer && {
        PortBindings: { [WEB_SERVER_CONTAINER_PORT]: [{ HostIp: webServer.hostIp, HostPort: webServer.hostPort === undefined ? '' : String(webServer.hostPort) }] },
      }),
    },
  };
}

function storageBinds(run: RunRecord): string[] {
  return [`${run.greenroom.storageDir}:${CONTAINER_STORAGE_DIR}`];
}

export function sdkEnvironment(run: RunRecord, build: BuildRecord, buildTags: string[]): Record<string, string> {
  const env: Record<string, string> = {
    CRAWLEE_STORAGE_DIR: CONTAINER_STORAGE_DIR,
    APIFY_LOCAL_STORAGE_DIR: CONTAINER_STORAGE_DIR,
    // Greenroom owns the storages' lifecycle: the SDK must not purge them (they outlive the container).
    CRAWLEE_PURGE_ON_START: '0',
    ACTOR_INPUT_KEY: run.greenroom.inputKey,
    APIFY_INPUT_KEY: run.greenroom.inputKey,
    CRAWLEE_INPUT_KEY: run.greenroom.inputKey,
    ACTOR_DEFAULT_DATASET_ID: run.defaultDatasetId,
    ACTOR_DEFAULT_KEY_VALUE_STORE_ID: run.defaultKeyValueStoreId,
    ACTOR_DEFAULT_REQUEST_QUEUE_ID: run.defaultRequestQueueId,
    CRAWLEE_DEFAULT_DATASET_ID: run.defaultDatasetId,
    CRAWLEE_DEFAULT_KEY_VALUE_STORE_ID: run.defaultKeyValueStoreId,
    CRAWLEE_DEFAULT_REQUEST_QUEUE_ID: run.defaultRequestQueueId,
    ACTOR_BUILD_ID: build.id,
    ACTOR_BUILD_NUMBER: build.buildNumber,
    ACTOR_BUILD_TAGS: buildTags.join(','),
    ACTOR_MEMORY_MBYTES: String(run.options.memoryMbytes),
    ACTOR_STARTED_AT: run.startedAt,
    ACTOR_WEB_SERVER_PORT: String(WEB_SERVER_PORT),
    APIFY_META_ORIGIN: run.meta.origin,
    // Deliberately absent: APIFY_IS_AT_HOME (switches the JS SDK to the cloud API) and ACTOR_RUN_ID
    // (makes setStatusMessage call the API), see docs/run-environment.md#environment-variables.
  };
  // Set only when the URL is known before the container starts (a locally published port).
  if (run.containerUrl) env.ACTOR_WEB_SERVER_URL = run.containerUrl;
  if (run.greenroom.timeoutAt) env.ACTOR_TIMEOUT_AT = run.greenroom.timeoutAt;
  if (run.options.maxItems !== undefined) env.ACTOR_MAX_PAID_DATASET_ITEMS = String(run.options.maxItems);
  return env;
}
