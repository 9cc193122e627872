/**
 * Records of one key-value store by key, for the local platform: written with their content type (records.ts), found
 * without listing the folder on every request (an index of the folder, reloaded when another writer changed it).
 */
import type { StorageFolder } from './files';
import { FolderCache } from './folderCache';
import { needsMetadata, recordFileName, recordMetadataName } from './records';
import { checkKey, KeyValueRecord, storageOf, StorageReader } from './storages';

const indexes = new FolderCache<Map<string, KeyValueRecord>>();

export class KeyValueStoreFiles {
  private readonly store: StorageFolder;

  constructor(
    readonly storageDir: string,
    readonly storeId: string,
  ) {
    this.store = storageOf(storageDir, 'key_value_stores', storeId);
  }

  /** Every record, sorted by key (the platform lists keys in that order). */
  records(): KeyValueRecord[] {
    return [...this.index().values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** The record of `key` (checked with the platform's rule first), or undefined. */
  find(key: string): KeyValueRecord | undefined {
    return this.index().get(checkKey(key));
  }

  /** Writes the record as `<key>.<ext>` (+ metadata when the extension cannot carry the type), replacing any other file of the key. */
  write(key: string, value: Buffer, contentType: string): void {
    const index = this.index();
    const previous = index.get(checkKey(key));
    const name = recordFileName(key, contentType);
    this.store.writeAtomic(name, value);
    const metadata = recordMetadataName(key);
    if (needsMetadata(name, contentType)) this.store.writeAtomic(metadata, JSON.stringify({ key, contentType }, null, 2) + '\n');
    else this.store.remove(metadata);
    if (previous && previous.name !== name) this.store.remove(previous.name);
    index.set(key, { key, name, file: this.store.file(name), contentType, size: value.length, modifiedMs: Date.now() });
    indexes.changed(this.store);
  }

  /** Removes the record and its metadata; false when there was none. */
  delete(key: string): boolean {
    const index = this.index();
    const record = index.get(checkKey(key));
    if (!record) return false;
    this.store.remove(record.name);
    this.store.remove(recordMetadataName(key));
    if (record.name !== key) this.store.remove(recordMetadataName(record.name));
    index.delete(key);
    indexes.changed(this.store);
    return true;
  }

  private index(): Map<string, KeyValueRecord> {
    return indexes.get(this.store, () => new Map(new StorageReader(this.storageDir).keyValueRecords(this.storeId).map((record) => [record.key, record])));
  }
}
