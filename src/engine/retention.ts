/**
 * Keeps the newest N runs (platform behaviour): older finished runs are deleted with their log and their
 * own default and alias storages. Runs still in progress are never touched; a run on the Actor's shared `storage/`
 * loses only its record, never the shared data.
 */
import type { EngineContext } from './context';
import { aliasStorageList } from './runStorages';
import { deleteStorage, deleteStorages } from '../storage';
import { isTerminal, RunRecord } from './types';

export const DEFAULT_KEEP_RUNS = 10;

export function deleteRunFiles(ctx: EngineContext, run: RunRecord): void {
  if (!run.greenroom.sharedStorage) {
    deleteStorages(run.greenroom.storageDir, {
      datasetId: run.defaultDatasetId,
      keyValueStoreId: run.defaultKeyValueStoreId,
      requestQueueId: run.defaultRequestQueueId,
    });
    for (const [kind, id] of run.storageIds ? aliasStorageList(run.storageIds) : []) deleteStorage(run.greenroom.storageDir, kind, id);
  }
  ctx.store.deleteRun(run.id);
  ctx.emit({ type: 'run-deleted', runId: run.id });
}

/** Deletes finished runs beyond the newest `keep`; returns the ids deleted. */
export function applyRetention(ctx: EngineContext, keep: number): string[] {
  const surplus = ctx.store.listRuns().slice(keep).filter((run) => isTerminal(run.status));
  for (const run of surplus) deleteRunFiles(ctx, run);
  return surplus.map((r) => r.id);
}
