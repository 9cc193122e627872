/**
 * A run's storages by alias (the platform's `storageIds`, the container's ACTOR_STORAGES_JSON): the three default
 * storages plus one fresh storage per actor.json `storages` alias, created at run start in the run's storage root.
 */
import type { StorageAliases } from './actorDefinition';
import { newId } from './recordStore';
import { StorageKind, storageOf } from '../storage';
import type { RunRecord, RunStorageIds } from './types';

/** The storage library's folder kind of each `storageIds` key. */
const KIND_OF: Record<keyof RunStorageIds, StorageKind> = { datasets: 'datasets', keyValueStores: 'key_value_stores', requestQueues: 'request_queues' };

type DefaultIds = Pick<RunRecord, 'defaultDatasetId' | 'defaultKeyValueStoreId' | 'defaultRequestQueueId'>;

/** The defaults plus a new id for every alias. */
export function newRunStorageIds(defaults: DefaultIds, aliases: StorageAliases): RunStorageIds {
  const withAliases = (defaultId: string, names: string[]) => Object.fromEntries([['default', defaultId], ...names.map((alias) => [alias, newId()])]);
  return {
    datasets: withAliases(defaults.defaultDatasetId, aliases.datasets),
    keyValueStores: withAliases(defaults.defaultKeyValueStoreId, aliases.keyValueStores),
    requestQueues: withAliases(defaults.defaultRequestQueueId, aliases.requestQueues),
  };
}

/** Every storage of the run as (kind, id), the defaults first. */
export function runStorageList(storageIds: RunStorageIds): [StorageKind, string][] {
  return (Object.keys(KIND_OF) as (keyof RunStorageIds)[]).flatMap((key) => Object.values(storageIds[key]).map((id): [StorageKind, string] => [KIND_OF[key], id]));
}

/** The alias storages only (the defaults are created and deleted with the run's default storages). */
export function aliasStorageList(storageIds: RunStorageIds): [StorageKind, string][] {
  return (Object.keys(KIND_OF) as (keyof RunStorageIds)[]).flatMap((key) =>
    Object.entries(storageIds[key])
      .filter(([alias]) => alias !== 'default')
      .map(([, id]): [StorageKind, string] => [KIND_OF[key], id]),
  );
}

/** Creates the (empty) alias storages; existing content is left alone. */
export function createAliasStorages(storageDir: string, storageIds: RunStorageIds): void {
  for (const [kind, id] of aliasStorageList(storageIds)) storageOf(storageDir, kind, id).ensure();
}
