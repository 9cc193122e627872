/**
 * Storage files (key-value records, dataset items) as read-only documents: `greenroom-storage:` URIs whose path is
 * the file's host path, served through the storage library (no link an Actor planted is followed, no special file
 * opened, nothing over MAX_PREVIEW_BYTES read into memory). The editor shows them with a lock: what an Actor wrote
 * is looked at, not edited (a finished run's storages are its record); Save As copies one out.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { MAX_PREVIEW_BYTES, STORAGE_KINDS, StorageFolder, StorageKind, storageOf } from '../../storage';

export const STORAGE_SCHEME = 'greenroom-storage';

/** A file of one storage: `<storageDir>/<kind>/<id>/<name>`. */
export interface StorageFileRef {
  storageDir: string;
  kind: StorageKind;
  id: string;
  name: string;
}

export function storageFileUri(ref: StorageFileRef): vscode.Uri {
  return vscode.Uri.file(path.join(ref.storageDir, ref.kind, ref.id, ref.name)).with({ scheme: STORAGE_SCHEME });
}

/** The storage file a `greenroom-storage:` (or plain file) URI names; throws when its path is not laid out as one. */
export function storageFileOf(uri: vscode.Uri): StorageFileRef {
  const file = uri.with({ scheme: 'file' }).fsPath;
  const name = path.basename(file);
  const id = path.basename(path.dirname(file));
  const kind = path.basename(path.dirname(path.dirname(file))) as StorageKind;
  if (!STORAGE_KINDS.includes(kind)) throw new Error(`${file} is not a file of a dataset, key-value store or request queue`);
  return { storageDir: path.dirname(path.dirname(path.dirname(file))), kind, id, name };
}

export function storageFolderOf(ref: StorageFileRef): StorageFolder {
  return storageOf(ref.storageDir, ref.kind, ref.id);
}

class StorageFileSystem implements vscode.FileSystemProvider {
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;

  stat(uri: vscode.Uri): vscode.FileStat {
    const ref = storageFileOf(uri);
    const stats = this.guard(uri, () => storageFolderOf(ref).checkFile(ref.name));
    return { type: vscode.FileType.File, ctime: stats.ctimeMs, mtime: stats.mtimeMs, size: stats.size, permissions: vscode.FilePermission.Readonly };
  }

  readFile(uri: vscode.Uri): Uint8Array {
    const ref = storageFileOf(uri);
    return this.guard(uri, () => storageFolderOf(ref).read(ref.name, MAX_PREVIEW_BYTES));
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  readDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.FileNotADirectory(uri);
  }

  createDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.changes.dispose();
  }

  /** A missing file as VS Code's FileNotFound (it says so in the editor); other refusals keep their message. */
  private guard<T>(uri: vscode.Uri, read: () => T): T {
    try {
      return read();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw vscode.FileSystemError.FileNotFound(uri);
      throw error;
    }
  }
}

export function registerStorageFileSystem(): vscode.Disposable {
  const provider = new StorageFileSystem();
  return vscode.Disposable.from(provider, vscode.workspace.registerFileSystemProvider(STORAGE_SCHEME, provider, { isCaseSensitive: true, isReadonly: true }));
}
