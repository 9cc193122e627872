/**
 * A dataset's item count without listing its folder: listing 1,000,000 names takes about a second, while the SDKs
 * name items by position (`000000001.json`, …), so the count is the last position, found by probing file names
 * (exponential, then binary search: ~60 lstat calls at 1,000,000 items).
 */
import { datasetItemCount, itemFile } from './datasetPages';
import type { StorageFolder } from './files';

export function fastItemCount(dataset: StorageFolder): number {
  return positionalItemCount(dataset) ?? datasetItemCount(dataset);
}

/** The item count when the items are named by position without gaps; undefined when only a listing can tell. */
export function positionalItemCount(dataset: StorageFolder): number | undefined {
  // The folders on the way are checked once (a link there throws); the probes then lstat names in it.
  if (!dataset.exists()) return undefined;
  const exists = (position: number) => dataset.entry(itemFile(position - 1)) !== undefined;
  // Empty or named some other way: the listing decides (and costs nothing when the folder is empty).
  if (!exists(1)) return undefined;
  let present = 1;
  let absent = 2;
  while (exists(absent)) {
    present = absent;
    absent *= 2;
  }
  while (absent - present > 1) {
    const middle = Math.floor((present + absent) / 2);
    if (exists(middle)) present = middle;
    else absent = middle;
  }
  return hasItemsAfterHole(exists, present) ? undefined : present;
}

/**
 * Items after the first missing position mean the folder has gaps (deleted items): then only the listing counts
 * right. Probes a widening set of positions past the hole; a gap no probe lands on goes unnoticed (the count is then
 * the last position, and a page spanning the gap falls back to the listing in datasetPage).
 */
function hasItemsAfterHole(exists: (position: number) => boolean, lastPresent: number): boolean {
  for (let step = 1; step <= Math.max(lastPresent, 16); step *= 2) if (exists(lastPresent + 1 + step)) return true;
  return false;
}
