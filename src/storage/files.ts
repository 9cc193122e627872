/**
 * The one way into files under a storage root. An Actor writes its storage folder from inside its container and can
 * plant anything there: a symbolic link to a host file or folder, a FIFO, a device node (root in a container may
 * mknod). So every path below the root is treated as untrusted (the root itself is the user's choice and may be a
 * link), and every open here keeps to the root:
 *
 * - no component below the root may be a symbolic link: reads open with O_NOFOLLOW and, on Linux, check the path the
 *   kernel actually opened (/proc/self/fd) against the one asked for, which also catches a folder swapped for a link
 *   while a run writes; elsewhere each component is lstat'ed before the open;
 * - only regular files are read: the target is lstat'ed before the open (a device is never opened, a FIFO never
 *   waited on: O_NONBLOCK) and fstat'ed after it. A regular file with several hard links is read: the container sees
 *   only the storage mount, and links cannot cross mounts, so its other names are inside the storage folder too;
 * - files read into memory have a size limit (larger ones are refused, naming both sizes, or streamed);
 * - listings skip links and report them; writes refuse a link on the way, naming it.
 */
import {
  closeSync,
  constants,
  copyFileSync,
  createReadStream,
  createWriteStream,
  existsSync,
  fstatSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  opendirSync,
  readdirSync,
  readlinkSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  Stats,
  unlinkSync,
  writeSync,
  type Dirent,
  type ReadStream,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { lstat, opendir } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { basename, join, relative, sep } from 'node:path';

/** Most bytes a file under a storage root is read into memory with (an item, a request, a record's value). */
export const MAX_IN_MEMORY_BYTES = 256 * 1024 * 1024;

/** A file or folder under a storage root that Greenroom will not open: a link, a special file, one too large. */
export class StorageFileError extends Error {
  name = 'StorageFileError';
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

// O_NOFOLLOW and O_NONBLOCK are missing on Windows: there the lstat checks alone keep to the root.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
/** Where Linux shows the path behind each open file descriptor; undefined without /proc (then lstat checks). */
const PROC_FD = process.platform === 'linux' && existsSync('/proc/self/fd') ? '/proc/self/fd' : undefined;

/** A folder under a storage root, by its path components below the root (each one a plain name). */
export class StorageFolder {
  readonly names: readonly string[];
  private ensured = false;

  constructor(
    readonly root: string,
    names: readonly string[],
  ) {
    for (const name of names) checkName(name);
    this.names = names;
  }

  get path(): string {
    return join(this.root, ...this.names);
  }

  /** The host path of an entry: to show, or to hand to an editor once checkFile said it is a regular file. */
  file(name: string): string {
    return join(this.path, checkName(name));
  }

  folder(name: string): StorageFolder {
    return new StorageFolder(this.root, [...this.names, name]);
  }

  /** Whether the folder exists as a real folder (false when missing); throws when it, or a folder above it, is a link. */
  exists(): boolean {
    return checkFolders(this.root, this.names, true);
  }

  /** When the folder last changed, undefined when it is missing. */
  modifiedMs(): number | undefined {
    return this.exists() ? this.stats().mtimeMs : undefined;
  }

  /** The folder's own lstat; call after exists() said it is there. */
  stats(): Stats {
    return lstatSync(this.path);
  }

  /** The entry's lstat, undefined when missing; never follows the entry itself. The caller checks the folders on the way first (exists). */
  entry(name: string): Stats | undefined {
    return lstatOrUndefined(this.file(name));
  }

  /**
   * The folder's entries except links (and names that cannot be storage names), which go to `skipped` as paths
   * relative to the root; a missing folder has none.
   */
  list(): { entries: Dirent[]; skipped: string[] } {
    if (!this.exists()) return { entries: [], skipped: [] };
    const entries: Dirent[] = [];
    const skipped: string[] = [];
    for (const entry of readdirSync(this.path, { withFileTypes: true })) {
      if (entry.isSymbolicLink() || !isPlainName(entry.name)) skipped.push(join(...this.names, entry.name));
      else entries.push(entry);
    }
    return { entries, skipped };
  }

  /**
   * The bytes the folder's regular files hold, how many there are, and when the folder or any of them last changed
   * (undefined when it is missing). Asynchronous, one entry at a time: a 1,000,000-item dataset keeps the event loop
   * free and its names are never held at once. Links and special files count for nothing (never followed).
   */
  async usage(): Promise<{ bytes: number; files: number; modifiedMs: number | undefined }> {
    if (!this.exists()) return { bytes: 0, files: 0, modifiedMs: undefined };
    let modifiedMs = this.stats().mtimeMs;
    let bytes = 0;
    let files = 0;
    for await (const entry of await opendir(this.path, { bufferSize: 1024 })) {
      if (!entry.isFile()) continue;
      const stats = await lstat(join(this.path, entry.name)).catch(() => undefined);
      // Deleted meanwhile, or swapped for a link: not counted.
      if (!stats?.isFile()) continue;
      bytes += stats.size;
      files++;
      modifiedMs = Math.max(modifiedMs, stats.mtimeMs);
    }
    return { bytes, files, modifiedMs };
  }

  /** Counts the names matching `pattern` by streaming the listing, so even 1,000,000 names are never held at once. */
  countNames(pattern: RegExp): number {
    if (!this.exists()) return 0;
    const dir = opendirSync(this.path, { bufferSize: 1024 });
    let count = 0;
    try {
      for (let entry = dir.readSync(); entry; entry = dir.readSync()) if (pattern.test(entry.name)) count++;
    } finally {
      dir.closeSync();
    }
    return count;
  }

  /** Throws a StorageFileError unless `name` is a regular file reached without a link; the file's stats. */
  checkFile(name: string): Stats {
    checkFolders(this.root, this.names, false);
    const file = this.file(name);
    const stats = lstatSync(file);
    if (!stats.isFile()) throw notRegular(this.root, file, stats);
    return stats;
  }

  /** The whole file, if it is at most `maxBytes` long (else a StorageFileError naming its size and the limit). */
  read(name: string, maxBytes = MAX_IN_MEMORY_BYTES): Buffer {
    const { fd, size, file } = this.open(name);
    try {
      if (size > maxBytes) {
        throw new StorageFileError(`${describe(this.root, file)} is ${formatSize(size)}, more than the ${formatSize(maxBytes)} Greenroom reads into memory`, file);
      }
      const buffer = Buffer.allocUnsafe(size);
      let read = 0;
      while (read < size) {
        const n = readSync(fd, buffer, read, size - read, read);
        if (n === 0) break; // truncated while read
        read += n;
      }
      return read === size ? buffer : buffer.subarray(0, read);
    } finally {
      closeSync(fd);
    }
  }

  readText(name: string, maxBytes?: number): string {
    return this.read(name, maxBytes).toString('utf8');
  }

  /** The file as a stream, any size; the checks happen before it is returned. */
  stream(name: string): { stream: ReadStream; size: number } {
    const { fd, size } = this.open(name);
    return { stream: createReadStream('', { fd, autoClose: true }), size };
  }

  /**
   * Copies the file to `destination` (a host path the user chose, outside the storage) as a stream, any size; the
   * checks happen before the first byte. Resolves with the bytes copied.
   */
  async copyOut(name: string, destination: string): Promise<number> {
    const { stream } = this.stream(name);
    let copied = 0;
    stream.on('data', (chunk: Buffer | string) => {
      copied += chunk.length;
    });
    await pipeline(stream, createWriteStream(destination));
    return copied;
  }

  /** Creates the folder and those above it up to the root, refusing (and naming) a link or file on the way. */
  ensure(): void {
    this.ensured = false;
    mkdirSync(this.root, { recursive: true });
    let dir = this.root;
    for (const name of this.names) {
      dir = join(dir, name);
      try {
        mkdirSync(dir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const stats = lstatSync(dir);
      if (!stats.isDirectory()) throw linkOnTheWay(this.root, dir, stats);
    }
    this.ensured = true;
  }

  /** Writes a new file in a temporary name and renames it over `name`: a link planted at `name` is replaced, never followed. */
  writeAtomic(name: string, data: string | Buffer): void {
    const tmp = this.writeTemporary(name, data);
    renameSync(tmp, this.file(name));
  }

  /**
   * Writes `name` only if no entry of that name exists (a hard link of a complete temporary file, so readers never
   * see half a file and two writers never share a name); false when the name is taken.
   */
  writeExclusive(name: string, data: string | Buffer): boolean {
    const tmp = this.writeTemporary(name, data);
    try {
      linkSync(tmp, this.file(name));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      unlinkSync(tmp);
    }
  }

  /** Copies a host file (outside the storage) in as `name`, the same way writeAtomic writes. */
  copyIn(name: string, source: string): void {
    this.ensure();
    const { fd, tmp } = this.createTemporary(name);
    closeSync(fd);
    try {
      copyFileSync(source, tmp);
    } catch (error) {
      rmSync(tmp, { force: true });
      throw error;
    }
    renameSync(tmp, this.file(name));
  }

  /** Removes an entry (a folder with its content; a link itself, not what it points at); refuses a link above it. */
  remove(name: string): void {
    if (!this.exists()) return;
    rmSync(this.file(name), { recursive: true, force: true });
  }

  /**
   * Writes `data` to a new temporary file beside `name`. The folders are created on the first write through this
   * instance (and again when they were removed since): with /proc, each temporary file's opened path is checked
   * anyway, so a link planted on the way later is still refused; without, they are checked before every write.
   */
  private writeTemporary(name: string, data: string | Buffer): string {
    if (!this.ensured || !PROC_FD) this.ensure();
    let created: { fd: number; tmp: string };
    try {
      created = this.createTemporary(name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.ensure();
      created = this.createTemporary(name);
    }
    const { fd, tmp } = created;
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
    } catch (error) {
      closeSync(fd);
      rmSync(tmp, { force: true });
      throw error;
    }
    closeSync(fd);
    return tmp;
  }

  private createTemporary(name: string): { fd: number; tmp: string } {
    const tmp = this.file(`${checkName(name)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    const fd = openSync(tmp, CREATE_FLAGS, 0o644);
    try {
      verifyOpened(fd, this, basename(tmp));
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return { fd, tmp };
  }

  private open(name: string): { fd: number; size: number; file: string } {
    const file = this.file(name);
    // With /proc, verifyOpened checks the folders after the open (race-free); without, they are lstat'ed first.
    if (!PROC_FD) checkFolders(this.root, this.names, false);
    const before = lstatSync(file);
    if (!before.isFile()) throw notRegular(this.root, file, before);
    let fd: number;
    try {
      fd = openSync(file, READ_FLAGS);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new StorageFileError(`${describe(this.root, file)} is a symbolic link: Greenroom does not follow links in storage`, file);
      throw error;
    }
    try {
      const stats = fstatSync(fd);
      if (!stats.isFile() || stats.ino !== before.ino || stats.dev !== before.dev) {
        throw new StorageFileError(`${describe(this.root, file)} was replaced while it was opened: Greenroom does not open it`, file);
      }
      verifyOpened(fd, this, name);
      return { fd, size: stats.size, file };
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }
}

/** A storage root's folder: `storageFolder(root, 'datasets', id)`. */
export function storageFolder(root: string, ...names: string[]): StorageFolder {
  return new StorageFolder(root, names);
}

/** A single path component: no separators, not `.` or `..`, not empty. */
function isPlainName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);
}

function checkName(name: string): string {
  if (!isPlainName(name)) throw new StorageFileError(`"${name}" is not a file name inside the storage folder`, name);
  return name;
}

/** lstat's every folder below the root: true when all exist as folders, false when one is missing (if allowed). */
function checkFolders(root: string, names: readonly string[], missingIsFalse: boolean): boolean {
  let dir = root;
  for (const name of names) {
    dir = join(dir, name);
    const stats = lstatOrUndefined(dir);
    if (!stats) {
      if (missingIsFalse) return false;
      throw Object.assign(new Error(`ENOENT: no such file or directory, ${dir}`), { code: 'ENOENT', path: dir });
    }
    if (!stats.isDirectory()) throw linkOnTheWay(root, dir, stats);
  }
  return true;
}

/** On Linux, the path the kernel opened must be the one asked for: no link anywhere below the root, even one planted since. */
function verifyOpened(fd: number, folder: StorageFolder, name: string): void {
  if (!PROC_FD) return;
  const opened = readlinkSync(`${PROC_FD}/${fd}`);
  if (opened !== join(realRoot(folder.root), ...folder.names, name)) {
    checkFolders(folder.root, folder.names, false); // names the link on the way, when it is still there
    const file = folder.file(name);
    throw new StorageFileError(`${describe(folder.root, file)} leads outside the storage folder (to ${opened}) through a symbolic link: Greenroom does not follow links in storage`, file);
  }
}

const realRoots = new Map<string, string>();

function realRoot(root: string): string {
  let real = realRoots.get(root);
  if (real === undefined) realRoots.set(root, (real = realpathSync(root)));
  return real;
}

function linkOnTheWay(root: string, dir: string, stats: Stats): StorageFileError {
  return new StorageFileError(
    stats.isSymbolicLink()
      ? `${describe(root, dir)} is a symbolic link: Greenroom does not follow links in storage (an Actor may have planted it); remove it`
      : `${describe(root, dir)} is ${kindOf(stats)}, not a folder`,
    dir,
  );
}

function notRegular(root: string, file: string, stats: Stats): StorageFileError {
  return new StorageFileError(`${describe(root, file)} is ${kindOf(stats)}, not a regular file: Greenroom does not open it`, file);
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

function describe(root: string, path: string): string {
  return `${relative(root, path).split(sep).join('/')} (in the storage folder ${root})`;
}

function kindOf(stats: Stats): string {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

export function formatSize(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1).replace(/\.0$/, '')} ${units[unit]} (${bytes.toLocaleString('en-US')} bytes)`;
}
