/**
 * Local storages in the Crawlee / `apify run` layout (docs/run-environment.md#local-storage-layout), written by the JS SDK (records carry
 * an extension from their content type) or the Python SDK (bare key + `<key>.__metadata__.json`):
 *
 *   <storage>/datasets/<id>/000000001.json …
 *   <storage>/key_value_stores/<id>/<key>[.<ext>]
 *   <storage>/request_queues/<id>/<requestId>.json
 *
 * Metadata files are optional (JS writes them only with DEBUG=*), so counts come from the files themselves.
 * Every file is opened through files.ts, which keeps to the storage root (no links, no special files).
 */
import type { ReadStream, Stats } from 'node:fs';
import { basename } from 'node:path';
import { datasetItemCount as countItemFiles, itemFile, listedItemFiles, readDatasetItem } from './datasetPages';
import { StorageFolder, storageFolder } from './files';
import { positionalItemCount } from './itemCount';
import { contentTypeOfFile, keyOfFile, readRecordMetadata } from './records';

export type StorageKind = 'datasets' | 'key_value_stores' | 'request_queues';
export const STORAGE_KINDS: StorageKind[] = ['datasets', 'key_value_stores', 'request_queues'];

/** Keys the platform accepts; anything else must never become a file name. */
const KEY_PATTERN = /^[a-zA-Z0-9!\-_.'()]{1,256}$/;
/** Storage ids and names as folder names: the platform's ids and names (letters, digits, `-`), and `default`. */
const STORAGE_ID_PATTERN = /^[a-zA-Z0-9._-]{1,256}$/;

export function isValidRecordKey(key: string): boolean {
  return KEY_PATTERN.test(key) && key !== '.' && key !== '..';
}

export function isValidStorageId(id: string): boolean {
  return STORAGE_ID_PATTERN.test(id) && id !== '.' && id !== '..';
}

/** The key, after checking it with the platform's rule (before it becomes part of any file name). */
export function checkKey(key: string): string {
  if (!isValidRecordKey(key)) throw new Error(`Invalid key-value store key "${key}": keys match ${KEY_PATTERN.source}`);
  return key;
}

/** The folder of a storage, after checking its id is a plain storage name. */
export function storageOf(storageDir: string, kind: StorageKind, id: string): StorageFolder {
  if (!isValidStorageId(id)) throw new Error(`Invalid storage id "${id}": ids match ${STORAGE_ID_PATTERN.source}`);
  return storageFolder(storageDir, kind, id);
}

/** Internal files the SDKs leave behind, never shown as data. */
export function isInternal(name: string): boolean {
  return name.startsWith('__CRAWLEE_TEMPORARY') || name.endsWith('.lock') || name === '__metadata__.json' || name.endsWith('.__metadata__.json');
}

/** A request queue's request file (`<requestId>.json`), as opposed to the SDKs' metadata and lock files. */
export function isRequestFile(name: string): boolean {
  return name.endsWith('.json') && !isInternal(name);
}

export interface DefaultStorageIds {
  datasetId: string;
  keyValueStoreId: string;
  requestQueueId: string;
}

function defaultStorages(storageDir: string, ids: DefaultStorageIds): [StorageKind, string][] {
  const pairs: [StorageKind, string][] = [['datasets', ids.datasetId], ['key_value_stores', ids.keyValueStoreId], ['request_queues', ids.requestQueueId]];
  for (const [kind, id] of pairs) storageOf(storageDir, kind, id); // checks the ids before any folder is touched
  return pairs;
}

/** Creates the (empty) default storages of a run; existing content is left alone. A link on the way is refused. */
export function createStorages(storageDir: string, ids: DefaultStorageIds): void {
  for (const [kind, id] of defaultStorages(storageDir, ids)) storageOf(storageDir, kind, id).ensure();
}

/**
 * Deletes the default storages of a run; a link in their place is removed, never followed. One under a link
 * (`key_value_stores` itself a link) is left, and the first such refusal is thrown once the others are gone.
 */
export function deleteStorages(storageDir: string, ids: DefaultStorageIds): void {
  const refusals: unknown[] = [];
  for (const [kind, id] of defaultStorages(storageDir, ids)) {
    try {
      storageFolder(storageDir, kind).remove(id);
    } catch (error) {
      refusals.push(error);
    }
  }
  if (refusals.length) throw refusals[0];
}

/** Deletes one storage (a run's alias storage) as deleteStorages does: after checking its id, never through a link. */
export function deleteStorage(storageDir: string, kind: StorageKind, id: string): void {
  storageOf(storageDir, kind, id);
  storageFolder(storageDir, kind).remove(id);
}

/**
 * Empties the default dataset, request queue and key-value store the way `apify run --purge` does, keeping the
 * store's INPUT (and named storages).
 */
export function purgeDefaultStorages(storageDir: string): void {
  storageFolder(storageDir, 'datasets').remove('default');
  storageFolder(storageDir, 'request_queues').remove('default');
  const store = storageOf(storageDir, 'key_value_stores', 'default');
  const { entries, skipped } = store.list();
  // Links (skipped by the listing) are removed too: the link itself, never what it points at.
  for (const name of [...entries.map((entry) => entry.name), ...skipped.map((path) => basename(path))]) {
    if (name !== 'INPUT' && !name.startsWith('INPUT.')) store.remove(name);
  }
}

/** Writes a JSON record the way the JS SDK does (`<key>.json`), so both SDKs read it back. */
export function writeJsonRecord(storageDir: string, storeId: string, key: string, value: unknown): void {
  writeJsonRecordText(storageDir, storeId, key, JSON.stringify(value, null, 2) + '\n');
}

/** Writes a JSON record's text as it is (the input form keeps the file's own layout). */
export function writeJsonRecordText(storageDir: string, storeId: string, key: string, text: string): void {
  storageOf(storageDir, 'key_value_stores', storeId).writeAtomic(`${checkKey(key)}.json`, text);
}

/**
 * The text of the record `<key>.json`, undefined when there is none. Errors other than a missing file (a link, a
 * special file, a file over the in-memory limit) are thrown.
 */
export function readJsonRecordText(storageDir: string, storeId: string, key: string): string | undefined {
  const store = storageOf(storageDir, 'key_value_stores', storeId);
  const name = `${checkKey(key)}.json`;
  if (!store.exists() || !store.entry(name)) return undefined;
  return store.readText(name);
}

/** Stores a host file as record `<key><extension>` (the JS SDK's naming, so the SDK reads it back by key). */
export function storeRecordFile(storageDir: string, storeId: string, key: string, extension: string, sourceFile: string): void {
  if (extension && !/^\.[a-zA-Z0-9]+$/.test(extension)) throw new Error(`Invalid record file extension "${extension}"`);
  storageOf(storageDir, 'key_value_stores', storeId).copyIn(`${checkKey(key)}${extension}`, sourceFile);
}

export interface StorageSummary {
  kind: StorageKind;
  id: string;
  /** Items (datasets), records (key-value stores) or requests (request queues). */
  count: number;
}

export interface KeyValueRecord {
  key: string;
  /** The record's host path: hand it to an editor only after checkRecordFile. */
  file: string;
  /** The file's name in the store's folder. */
  name: string;
  contentType: string;
  size: number;
  /** When the record's file last changed. */
  modifiedMs: number;
}

/** Reads the storages under one storage root. */
export class StorageReader {
  /** Entries the listings left out (links, special files), relative to the storage root: for a warning. */
  readonly skipped = new Set<string>();

  constructor(readonly storageDir: string) {}

  list(kind?: StorageKind): StorageSummary[] {
    const kinds = kind ? [kind] : STORAGE_KINDS;
    return kinds.flatMap((k) => this.storageIds(k).map((id) => ({ kind: k, id, count: this.count(k, id) })));
  }

  /** The storages of one kind, by id, without counting their content. SDK-internal folders are left out. */
  storageIds(kind: StorageKind): string[] {
    const { entries, skipped } = storageFolder(this.storageDir, kind).list();
    this.skip(skipped);
    return entries
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('__') && isValidStorageId(entry.name))
      .map((entry) => entry.name)
      .sort();
  }

  count(kind: StorageKind, id: string): number {
    if (kind === 'datasets') return this.datasetItemCount(id);
    return kind === 'key_value_stores' ? this.keyValueRecords(id).length : this.requestFiles(id).length;
  }

  datasetItemCount(id: string): number {
    return countItemFiles(storageOf(this.storageDir, 'datasets', id));
  }

  /**
   * Dataset items in order (`desc`: newest first, `offset` and `limit` then count from the end). Items named by
   * position are read by computing their names, so exporting 1,000,000 items never holds the listing (about 200 MB
   * of names); other folders are listed and sorted once. Every item is read: the probed count is checked against a
   * streamed count of the files, so a gap the probes missed means the listing.
   */
  *datasetItems(id: string, opts: { offset?: number; limit?: number; desc?: boolean } = {}): Generator<unknown> {
    const dataset = storageOf(this.storageDir, 'datasets', id);
    const offset = opts.offset ?? 0;
    const end = opts.limit === undefined ? Infinity : offset + opts.limit;
    const probed = positionalItemCount(dataset);
    // No names when the items are named by position without gaps: each file name is computed from its index.
    const names = probed !== undefined && probed === countItemFiles(dataset) ? undefined : listedItemFiles(dataset);
    const total = names?.length ?? probed ?? 0;
    const count = Math.max(0, Math.min(total, end) - offset);
    for (let i = 0; i < count; i++) {
      const index = opts.desc ? total - 1 - offset - i : offset + i;
      yield readDatasetItem(dataset, names ? names[index] : itemFile(index), index);
    }
  }

  /** The store's records (regular files only: links and special files are skipped and reported). */
  keyValueRecords(storeId: string): KeyValueRecord[] {
    const store = storageOf(this.storageDir, 'key_value_stores', storeId);
    const { entries, skipped } = store.list();
    this.skip(skipped);
    return entries.flatMap((entry) => {
      if (isInternal(entry.name)) return [];
      if (!entry.isFile()) {
        this.skip([[...store.names, entry.name].join('/')]);
        return [];
      }
      const meta = readRecordMetadata(store, entry.name);
      const stats = store.entry(entry.name);
      const record = { key: meta?.key ?? keyOfFile(entry.name), file: store.file(entry.name), name: entry.name, contentType: meta?.contentType ?? contentTypeOfFile(entry.name) };
      return [{ ...record, size: stats?.size ?? 0, modifiedMs: stats?.mtimeMs ?? 0 }];
    });
  }

  /** A record by key in either dialect, or undefined; one over `maxBytes` is refused with its size and the limit. */
  readRecord(storeId: string, key: string, maxBytes?: number): { value: Buffer; contentType: string } | undefined {
    const record = this.findRecord(storeId, key);
    return record && { value: storageOf(this.storageDir, 'key_value_stores', storeId).read(record.name, maxBytes), contentType: record.contentType };
  }

  /** A record by key as a stream, any size (a 2 GiB record never becomes one string), or undefined. */
  recordStream(storeId: string, key: string): { stream: ReadStream; size: number; contentType: string } | undefined {
    const record = this.findRecord(storeId, key);
    return record && { ...storageOf(this.storageDir, 'key_value_stores', storeId).stream(record.name), contentType: record.contentType };
  }

  /** Throws unless the record's file is (still) a regular file inside the storage root: before an editor opens it. Its stats. */
  checkRecordFile(storeId: string, name: string): Stats {
    return storageOf(this.storageDir, 'key_value_stores', storeId).checkFile(name);
  }

  private requestFiles(queueId: string): string[] {
    const { entries, skipped } = storageOf(this.storageDir, 'request_queues', queueId).list();
    this.skip(skipped);
    return entries.filter((entry) => isRequestFile(entry.name)).map((entry) => entry.name);
  }

  private findRecord(storeId: string, key: string): KeyValueRecord | undefined {
    checkKey(key);
    return this.keyValueRecords(storeId).find((r) => r.key === key);
  }

  private skip(paths: string[]): void {
    for (const path of paths) this.skipped.add(path);
  }
}
