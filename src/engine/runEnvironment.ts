/**
 * The container a run executes in: the environment the stock SDKs need to use local file storage
 * (docs/run-environment.md), the storage mount, the memory limit.
 */
import type { ContainerCreateOptions } from 'dockerode';
import { LABELS } from './context';
import type { BuildRecord, RunRecord } from './types';

/** Where the run's storage root is mounted inside the container. */
export const CONTAINER_STORAGE_DIR = '/greenroom/storage';
export const WEB_SERVER_PORT = 4321;

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

export function containerOptions(run: RunRecord, build: BuildRecord, env: Record<string, string>, actorRoot: string): ContainerCreateOptions {
  const memoryBytes = run.options.memoryMbytes * 1024 * 1024;
  return {
    Image: build.imageName,
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    Labels: { [LABELS.runId]: run.id, [LABELS.actorRoot]: actorRoot, [LABELS.buildId]: build.id },
    HostConfig: {
      Binds: [`${run.greenroom.storageDir}:${CONTAINER_STORAGE_DIR}`],
      Memory: memoryBytes,
      // No swap beyond the limit, so exceeding it is an OOM kill as on the platform.
      MemorySwap: memoryBytes,
      // A tiny init as PID 1 gives the Actor default signal handling, so SIGINT (graceful abort) works.
      Init: true,
    },
  };
}
