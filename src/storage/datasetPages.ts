/**
 * Positional access to a dataset's item files, for the viewer's pages, exports (StorageReader.datasetItems) and
 * counts. Both SDKs name items by position (`000000001.json`, `000000002.json`, …), so a page is read by computing
 * its file names instead of listing and sorting the whole folder (which takes about a second at 1,000,000 items).
 * A folder with gaps falls back to the sorted listing. Item names count whatever they are (a planted link
 * included): reading one that is not a regular file fails with an error naming it, so no item silently goes missing.
 */
import { readdirSync } from 'node:fs';
import { StorageFolder, storageFolder } from './files';

const ITEM_FILE = /^\d+\.json$/;

export interface DatasetItemFile {
  /** 0-based position in the dataset. */
  index: number;
  /** The file's name in the dataset folder. */
  name: string;
}

/** A dataset's folder under a storage root. */
export function datasetFolder(storageDir: string, datasetId: string): StorageFolder {
  return storageFolder(storageDir, 'datasets', datasetId);
}

/** Counts the item files by streaming the folder's entries, so even 1,000,000 names are never held at once. */
export function datasetItemCount(dataset: StorageFolder): number {
  return dataset.countNames(ITEM_FILE);
}

/** Whether `name` is an item file's (what counts and pages are made of); other files in a dataset folder are not items. */
export function isItemFile(name: string): boolean {
  return ITEM_FILE.test(name);
}

/** The name the SDKs give the item at 0-based `index`. */
export function itemFile(index: number): string {
  return `${String(index + 1).padStart(9, '0')}.json`;
}

/** The item files' names in order, from a listing (for folders not named by position). */
export function listedItemFiles(dataset: StorageFolder): string[] {
  if (!dataset.exists()) return [];
  return readdirSync(dataset.path)
    .filter((name) => ITEM_FILE.test(name))
    .sort();
}

export function datasetPage(dataset: StorageFolder, offset: number, limit: number): DatasetItemFile[] {
  const page: DatasetItemFile[] = [];
  for (let index = offset; index < offset + limit; index++) page.push({ index, name: itemFile(index) });
  if (dataset.exists() && page.every(({ name }) => dataset.entry(name))) return page;
  // Either the end of the dataset or a folder not named by position: the listing tells which.
  return listedItemFiles(dataset)
    .slice(offset, offset + limit)
    .map((name, i) => ({ index: offset + i, name }));
}

/** Reads the item at 0-based `index`; the error of an unreadable or corrupt item names the item and its file. */
export function readDatasetItem(dataset: StorageFolder, name: string, index: number): unknown {
  let text: string;
  try {
    text = dataset.readText(name);
  } catch (error) {
    throw new Error(`Item ${index + 1} (${name}) cannot be read: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`Item ${index + 1} (${name}) is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Parsed items kept while their files stay the same (same file, size, modification and change times, by lstat): a
 * viewer that refreshes its page while a run appends items re-reads only the items that changed. Holds the items of
 * the last page read (retain).
 */
export class DatasetItemCache {
  private items = new Map<string, { version: string; item: unknown }>();
  private used = new Map<string, { version: string; item: unknown }>();

  /** readDatasetItem, or the item kept from the same version of the file (the folders on the way are checked first: datasetPage). */
  read(dataset: StorageFolder, name: string, index: number): unknown {
    const file = dataset.file(name);
    const stats = dataset.entry(name);
    const version = stats?.isFile() ? `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}` : undefined;
    const kept = this.items.get(file);
    if (kept && kept.version === version) {
      this.used.set(file, kept);
      return kept.item;
    }
    // Read after the lstat: a file changed in between is kept under the older version, so the next read reads it again.
    const item = readDatasetItem(dataset, name, index);
    if (version !== undefined) this.used.set(file, { version, item });
    return item;
  }

  /** Forgets the items not read since the last call. */
  retain(): void {
    this.items = this.used;
    this.used = new Map();
  }
}
