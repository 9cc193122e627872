/**
 * A storage's own metadata: `<storage folder>/__metadata__.json`, the file Crawlee writes there with DEBUG=* (id,
 * name, times). The local platform adds the fields it must remember (the name given at creation, the run that made
 * it, a key-value store's URL signing key); everything else is derived from the folder, so storages without the file
 * (most local-mode ones) read just as well. A file that is not a JSON object counts as absent: the storage's content
 * never depends on it.
 */
import { randomBytes } from 'node:crypto';
import type { StorageFolder } from './files';

export const STORAGE_METADATA_FILE = '__metadata__.json';
const MAX_METADATA_BYTES = 1024 * 1024;

export interface StorageMetadata {
  id?: string;
  name?: string | null;
  createdAt?: string;
  modifiedAt?: string;
  accessedAt?: string;
  actId?: string | null;
  actRunId?: string | null;
  urlSigningSecretKey?: string;
}

export function readStorageMetadata(folder: StorageFolder): StorageMetadata {
  try {
    if (!folder.exists() || !folder.entry(STORAGE_METADATA_FILE)) return {};
    const parsed: unknown = JSON.parse(folder.readText(STORAGE_METADATA_FILE, MAX_METADATA_BYTES));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as StorageMetadata) : {};
  } catch {
    return {};
  }
}

/** Merges `changes` into the metadata file (other writers' fields kept). */
export function writeStorageMetadata(folder: StorageFolder, changes: StorageMetadata): StorageMetadata {
  const merged = { ...readStorageMetadata(folder), ...changes };
  folder.writeAtomic(STORAGE_METADATA_FILE, JSON.stringify(merged, null, 2) + '\n');
  return merged;
}

/** The folder's times: creation (metadata, else the folder's birth), last change (its modification), as ISO strings. */
export function storageTimes(folder: StorageFolder, metadata: StorageMetadata): { createdAt: string; modifiedAt: string; accessedAt: string } {
  const stats = folder.exists() ? folder.stats() : undefined;
  const now = new Date().toISOString();
  const born = stats && (stats.birthtimeMs > 0 ? stats.birthtime : stats.ctime);
  const modifiedAt = stats ? stats.mtime.toISOString() : now;
  return { createdAt: metadata.createdAt ?? born?.toISOString() ?? now, modifiedAt, accessedAt: now };
}

/** A new URL signing key, like the platform's (a random string the signatures are HMACs with). */
export function newUrlSigningSecretKey(): string {
  return randomBytes(24).toString('base64url');
}
