/**
 * Appending items to a dataset (the local platform's push), in the SDKs' layout: one `<position>.json` file per item,
 * numbered from 1. The next number is kept per dataset (counted once, by probing: fastItemCount), and each file is
 * created only if its name is free (StorageFolder.writeExclusive), so concurrent pushes, or another writer of the same
 * folder, never reuse an item number: a taken name moves the push on to the next one.
 */
import { itemFile } from './datasetPages';
import { FolderCache } from './folderCache';
import { fastItemCount } from './itemCount';
import { storageOf } from './storages';

const nextIndexes = new FolderCache<{ next: number }>();

/** Writes each item (already JSON text) as the dataset's next item; the dataset's item count afterwards. */
export function appendDatasetItems(storageDir: string, datasetId: string, items: readonly string[]): number {
  const dataset = storageOf(storageDir, 'datasets', datasetId);
  dataset.ensure();
  const counter = nextIndexes.get(dataset, () => ({ next: fastItemCount(dataset) }));
  for (const item of items) {
    while (!dataset.writeExclusive(itemFile(counter.next), item)) counter.next++;
    counter.next++;
  }
  nextIndexes.changed(dataset);
  return counter.next;
}

/** The dataset's item count as the writer knows it (no probing while the folder is only written here). */
export function knownItemCount(storageDir: string, datasetId: string): number {
  const dataset = storageOf(storageDir, 'datasets', datasetId);
  return nextIndexes.get(dataset, () => ({ next: fastItemCount(dataset) })).next;
}
