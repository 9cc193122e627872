/**
 * What the local platform keeps in memory about a storage folder (a queue's index, a dataset's next item number, a
 * store's keys), valid while the folder's modification time is the one seen after the cache's own last change. Any
 * other writer (a local-mode run, the user deleting a record, a purge) changes the time, and the next use reloads.
 */
import type { StorageFolder } from './files';

export class FolderCache<T> {
  private readonly entries = new Map<string, { value: T; modifiedMs: number | undefined }>();

  /** The cached value, or a fresh `load()` when the folder changed (or is gone) since. */
  get(folder: StorageFolder, load: () => T): T {
    const modifiedMs = folder.modifiedMs();
    const cached = this.entries.get(folder.path);
    if (cached && cached.modifiedMs === modifiedMs && modifiedMs !== undefined) return cached.value;
    const value = load();
    this.entries.set(folder.path, { value, modifiedMs });
    return value;
  }

  /** After the cache's owner changed the folder: its new time is its own doing. */
  changed(folder: StorageFolder): void {
    const cached = this.entries.get(folder.path);
    if (cached) cached.modifiedMs = folder.modifiedMs();
  }

  forget(folder: StorageFolder): void {
    this.entries.delete(folder.path);
  }
}
