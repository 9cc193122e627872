/**
 * Positional access to a dataset's item files, for the viewer's pages, exports (StorageReader.datasetItems) and
 * counts. Both SDKs name items by position (`000000001.json`, `000000002.json`, …), so a page is read by computing
 * its file names instead of listing and sorting the whole folder (which takes about a second at 1,000,000 items).
 * A folder with gaps falls back to the sorted listing.
 */
import { existsSync, opendirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const ITEM_FILE = /^\d+\.json$/;

export interface DatasetItemFile {
  /** 0-based position in the dataset. */
  index: number;
  file: string;
}

/** Counts the item files by streaming the folder's entries, so even 1,000,000 names are never held at once. */
export function datasetItemCount(datasetDir: string): number {
  let dir;
  try {
    dir = opendirSync(datasetDir, { bufferSize: 1024 });
  } catch {
    return 0;
  }
  let count = 0;
  try {
    for (let entry = dir.readSync(); entry; entry = dir.readSync()) if (ITEM_FILE.test(entry.name)) count++;
  } finally {
    dir.closeSync();
  }
  return count;
}

/** Where the SDKs write the item at 0-based `index`. */
export function itemFile(datasetDir: string, index: number): string {
  return join(datasetDir, `${String(index + 1).padStart(9, '0')}.json`);
}

export function datasetPage(datasetDir: string, offset: number, limit: number): DatasetItemFile[] {
  const page: DatasetItemFile[] = [];
  for (let index = offset; index < offset + limit; index++) page.push({ index, file: itemFile(datasetDir, index) });
  if (page.every(({ file }) => existsSync(file))) return page;
  // Either the end of the dataset or a folder not named by position: the listing tells which.
  const names = readdirSync(datasetDir).filter((name) => ITEM_FILE.test(name)).sort();
  return names.slice(offset, offset + limit).map((name, i) => ({ index: offset + i, file: join(datasetDir, name) }));
}

/** Reads the item at 0-based `index`; the error of an unreadable or corrupt item names the item and its file. */
export function readDatasetItem(file: string, index: number): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`Item ${index + 1} (${basename(file)}) cannot be read: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`Item ${index + 1} (${basename(file)}) is not valid JSON: ${(error as Error).message}`);
  }
}
