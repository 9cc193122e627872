/**
 * Local storages in the Crawlee / `apify run` layout (docs/run-environment.md#local-storage-layout), written by
 * the JS SDK (records carry an extension from their content type) or the Python SDK (bare key +
 * `<key>.__metadata__.json`):
 *
 *   <storage>/datasets/<id>/000000001.json …
 *   <storage>/key_value_stores/<id>/<key>[.<ext>]
 *   <storage>/request_queues/<id>/<requestId>.json
 *
 * Metadata files are optional (JS writes them only with DEBUG=*), so counts come from the files themselves.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { positionalItemCount } from './datasetViews/itemCount';
import { datasetItemCount as countItemFiles, itemFile, readDatasetItem } from './export/datasetPages';
import { writeJsonAtomic } from './recordStore';

export type StorageKind = 'datasets' | 'key_value_stores' | 'request_queues';
export const STORAGE_KINDS: StorageKind[] = ['datasets', 'key_value_stores', 'request_queues'];

/** Keys the platform accepts; anything else must never become a file name. */
const KEY_PATTERN = /^[a-zA-Z0-9!\-_.'()]{1,256}$/;

export function isValidRecordKey(key: string): boolean {
  return KEY_PATTERN.test(key) && key !== '.' && key !== '..';
}

/** Internal files the SDKs leave behind, never shown as data. */
function isInternal(name: string): boolean {
  return name.startsWith('__CRAWLEE_TEMPORARY') || name.endsWith('.lock') || name === '__metadata__.json' || name.endsWith('.__metadata__.json');
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => !isInternal(n));
  } catch {
    return [];
  }
}

export interface DefaultStorageIds {
  datasetId: string;
  keyValueStoreId: string;
  requestQueueId: string;
}

/** Creates the (empty) default storages of a run; existing content is left alone. */
export function createStorages(storageDir: string, ids: DefaultStorageIds): void {
  mkdirSync(join(storageDir, 'datasets', ids.datasetId), { recursive: true });
  mkdirSync(join(storageDir, 'key_value_stores', ids.keyValueStoreId), { recursive: true });
  mkdirSync(join(storageDir, 'request_queues', ids.requestQueueId), { recursive: true });
}

export function deleteStorages(storageDir: string, ids: DefaultStorageIds): void {
  rmSync(join(storageDir, 'datasets', ids.datasetId), { recursive: true, force: true });
  rmSync(join(storageDir, 'key_value_stores', ids.keyValueStoreId), { recursive: true, force: true });
  rmSync(join(storageDir, 'request_queues', ids.requestQueueId), { recursive: true, force: true });
}

/** Writes a JSON record the way the JS SDK does (`<key>.json`), so both SDKs read it back. */
export function writeJsonRecord(storageDir: string, storeId: string, key: string, value: unknown): void {
  if (!isValidRecordKey(key)) throw new Error(`Invalid key-value store key "${key}"`);
  const dir = join(storageDir, 'key_value_stores', storeId);
  mkdirSync(dir, { recursive: true });
  writeJsonAtomic(join(dir, `${key}.json`), value);
}

export interface StorageSummary {
  kind: StorageKind;
  id: string;
  /** Items (datasets), records (key-value stores) or requests (request queues). */
  count: number;
}

/** Reads the storages under one storage root. */
export class StorageReader {
  constructor(readonly storageDir: string) {}

  list(kind?: StorageKind): StorageSummary[] {
    const kinds = kind ? [kind] : STORAGE_KINDS;
    return kinds.flatMap((k) =>
      entries(join(this.storageDir, k))
        .filter((id) => isDirectory(join(this.storageDir, k, id)))
        .map((id) => ({ kind: k, id, count: this.count(k, id) })),
    );
  }

  count(kind: StorageKind, id: string): number {
    return kind === 'datasets' ? this.datasetItemCount(id) : entries(join(this.storageDir, kind, id)).length;
  }

  datasetItemCount(id: string): number {
    return countItemFiles(join(this.storageDir, 'datasets', id));
  }

  /**
   * Dataset items in order (`desc`: newest first, `offset` and `limit` then count from the end). Items named by
   * position are read by computing their names, so exporting 1,000,000 items never holds the listing (about 200 MB
   * of names); other folders are listed and sorted once. Every item is read: the probed count is checked against a
   * streamed count of the files, so a gap the probes missed means the listing.
   */
  *datasetItems(id: string, opts: { offset?: number; limit?: number; desc?: boolean } = {}): Generator<unknown> {
    const dir = join(this.storageDir, 'datasets', id);
    const offset = opts.offset ?? 0;
    const end = opts.limit === undefined ? Infinity : offset + opts.limit;
    const probed = positionalItemCount(dir);
    // No names when the items are named by position without gaps: each file name is computed from its index.
    const names = probed !== undefined && probed === countItemFiles(dir) ? undefined : this.itemFiles(id);
    const total = names?.length ?? probed ?? 0;
    const count = Math.max(0, Math.min(total, end) - offset);
    for (let i = 0; i < count; i++) {
      const index = opts.desc ? total - 1 - offset - i : offset + i;
      yield readDatasetItem(names ? join(dir, names[index]) : itemFile(dir, index), index);
    }
  }

  keyValueRecords(storeId: string): { key: string; file: string; contentType: string; size: number }[] {
    const dir = join(this.storageDir, 'key_value_stores', storeId);
    return entries(dir).map((file) => {
      const meta = this.recordMetadata(dir, file);
      return { key: meta?.key ?? stripExtension(file), file: join(dir, file), contentType: meta?.contentType ?? contentTypeOf(file), size: statSync(join(dir, file)).size };
    });
  }

  /** A record by key in either dialect, or undefined. */
  readRecord(storeId: string, key: string): { value: Buffer; contentType: string } | undefined {
    if (!isValidRecordKey(key)) throw new Error(`Invalid key-value store key "${key}"`);
    const record = this.keyValueRecords(storeId).find((r) => r.key === key);
    return record && { value: readFileSync(record.file), contentType: record.contentType };
  }

  requests(queueId: string): unknown[] {
    const dir = join(this.storageDir, 'request_queues', queueId);
    return entries(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
  }

  private itemFiles(datasetId: string): string[] {
    return entries(join(this.storageDir, 'datasets', datasetId))
      .filter((f) => /^\d+\.json$/.test(f))
      .sort();
  }

  /** Python writes `<key>.__metadata__.json` with snake_case `content_type`; JS (with DEBUG=*) camelCase. */
  private recordMetadata(dir: string, file: string): { key?: string; contentType?: string } | undefined {
    try {
      const meta = JSON.parse(readFileSync(join(dir, `${file}.__metadata__.json`), 'utf8')) as Record<string, string>;
      return { key: meta.key, contentType: meta.content_type ?? meta.contentType };
    } catch {
      return undefined;
    }
  }
}

const EXTENSION_TYPES: Record<string, string> = {
  json: 'application/json',
  txt: 'text/plain',
  html: 'text/html',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  xml: 'application/xml',
  csv: 'text/csv',
  bin: 'application/octet-stream',
};

function contentTypeOf(file: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(file)?.[1]?.toLowerCase();
  return (ext && EXTENSION_TYPES[ext]) || 'application/octet-stream';
}

function stripExtension(file: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(file)?.[1]?.toLowerCase();
  return ext && EXTENSION_TYPES[ext] ? file.slice(0, -ext.length - 1) : file;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
