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

/** Searches again from where the last search ended at most this often while a run keeps appending. */
const MAX_SEARCHES = 8;

/** The item count when the items are named by position without gaps; undefined when only a listing can tell. */
export function positionalItemCount(dataset: StorageFolder): number | undefined {
  // The folders on the way are checked once (a link there throws); the probes then lstat names in it.
  if (!dataset.exists()) return undefined;
  const exists = (position: number) => dataset.entry(itemFile(position - 1)) !== undefined;
  // Empty or named some other way: the listing decides (and costs nothing when the folder is empty).
  if (!exists(1)) return undefined;
  let present = 1;
  for (let search = 0; search < MAX_SEARCHES; search++) {
    present = lastPresent(exists, present);
    if (!hasItemsAfterHole(exists, present)) return present;
    // Not a gap but a run appending while this searched: search on from there.
    if (!exists(present + 1)) return undefined;
  }
  return undefined;
}

/** The last position present, searched from one that is (exponential, then binary search). */
function lastPresent(exists: (position: number) => boolean, present: number): number {
  let absent = present * 2;
  while (exists(absent)) {
    present = absent;
    absent *= 2;
  }
  while (absent - present > 1) {
    const middle = Math.floor((present + absent) / 2);
    if (exists(middle)) present = middle;
    else absent = middle;
  }
  return present;
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
