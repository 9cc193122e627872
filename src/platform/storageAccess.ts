/**
 * Where a storage named in an API call lives, and whether the caller may reach it (docs/platform.md, "Tokens and
 * access" and "Storages at home"). A storage's id is its folder name under one of the storage roots:
 *
 * - a run token looks in its own run's storage root first, then in every Actor's (`.greenroom/storage/`, then the
 *   `apify run` folder `storage/`), then the user's (`<workspace>/.greenroom/storage/`);
 * - the user token looks in the user's root first, then in every Actor's.
 *
 * A run token is refused (403) another run's default and alias storages (the run records say which are whose);
 * named storages and storages no run owns are open to every run. Ids and names are checked with the platform's
 * rules before any file is touched. `~name` (and `user~name`) name a storage by name, as on the platform.
 */
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { ActorLayout, GREENROOM_DIR, newId } from '../engine/recordStore';
import type { RunRecord } from '../engine/types';
import { isValidStorageId, readStorageMetadata, STORAGE_KINDS, StorageFolder, StorageKind, storageOf, StorageReader, writeStorageMetadata } from '../storage';
import type { WorkspaceActor } from '../workspace/actor';
import { ApiError, forbidden, invalidInput, recordNotFound } from './errors';
import type { Principal } from './principal';
import type { PlatformContext } from './server';

/** The platform's storage names: letters, digits and inner hyphens (`my-data-1`), at most 63 characters. */
const STORAGE_NAME_PATTERN = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;

/** How the API names each kind in URLs and messages. */
export const KIND_NAMES: Record<StorageKind, { path: string; label: string; recordsKey: keyof StorageIdsOfRun }> = {
  datasets: { path: 'datasets', label: 'Dataset', recordsKey: 'datasets' },
  key_value_stores: { path: 'key-value-stores', label: 'Key-value store', recordsKey: 'keyValueStores' },
  request_queues: { path: 'request-queues', label: 'Request queue', recordsKey: 'requestQueues' },
};

interface StorageIdsOfRun {
  datasets: string[];
  keyValueStores: string[];
  requestQueues: string[];
}

/** A storage root: the folder holding `datasets/`, `key_value_stores/`, `request_queues/`. */
interface StorageRoot {
  storageDir: string;
  /** The Actor the root belongs to; undefined for the user's own root. */
  actor?: WorkspaceActor;
}

export interface LocatedStorage {
  kind: StorageKind;
  id: string;
  storageDir: string;
  folder: StorageFolder;
  actor?: WorkspaceActor;
  /** The run whose default or alias storage this is. */
  owner?: RunRecord;
}

export function isValidStorageName(name: string): boolean {
  return STORAGE_NAME_PATTERN.test(name);
}

export function checkStorageName(name: unknown): string {
  if (typeof name !== 'string' || !isValidStorageName(name)) {
    throw invalidInput(`Invalid storage name ${JSON.stringify(name)}: a name has only letters, digits and hyphens (not first or last), at most 63 characters`);
  }
  return name;
}

const locators = new WeakMap<PlatformContext, StorageLocator>();

/** The server's one locator (its caches are per server). */
export function storageLocator(ctx: PlatformContext): StorageLocator {
  let locator = locators.get(ctx);
  if (!locator) locators.set(ctx, (locator = new StorageLocator(ctx)));
  return locator;
}

export class StorageLocator {
  /** Run ids by storage, per Actor, valid while the Actor's runs folder keeps its modification time. */
  private readonly owners = new Map<string, { modifiedMs: number; byStorage: Map<string, RunRecord> }>();

  constructor(private readonly ctx: PlatformContext) {}

  /** The storage `idOrName` of `kind` the principal may reach: 404 when there is none, 403 when it is another run's. */
  find(principal: Principal | undefined, kind: StorageKind, idOrName: string): LocatedStorage {
    const found = this.lookup(principal, kind, idOrName);
    if (!found) throw recordNotFound(`${KIND_NAMES[kind].label} "${idOrName}"`);
    this.checkAccess(principal, found);
    return found;
  }

  /**
   * Get-or-create by name: an existing storage of that name where the principal reaches, else a new one in the
   * principal's own root (a run's storage root, the user's). Without a name: a new unnamed storage with a fresh id.
   */
  getOrCreate(principal: Principal | undefined, kind: StorageKind, name: string | undefined): { storage: LocatedStorage; created: boolean } {
    if (name !== undefined) {
      checkStorageName(name);
      const existing = this.lookup(principal, kind, name);
      if (existing) {
        this.checkAccess(principal, existing);
        return { storage: existing, created: false };
      }
    }
    const root = this.ownRoot(principal);
    const id = name ?? newId();
    const folder = storageOf(root.storageDir, kind, id);
    folder.ensure();
    const runRecord = principal?.kind === 'run' ? principal.found.run : undefined;
    writeStorageMetadata(folder, { id, name: name ?? null, createdAt: new Date().toISOString(), actId: runRecord?.actId ?? null, actRunId: runRecord?.id ?? null });
    return { storage: { kind, id, storageDir: root.storageDir, folder, actor: root.actor, owner: undefined }, created: true };
  }

  /** Every storage of `kind` the principal reaches (the first of each id, in root order). */
  list(principal: Principal | undefined, kind: StorageKind): LocatedStorage[] {
    const seen = new Set<string>();
    const listed: LocatedStorage[] = [];
    for (const root of this.roots(principal)) {
      for (const id of new StorageReader(root.storageDir).storageIds(kind)) {
        if (seen.has(id)) continue;
        seen.add(id);
        const storage = this.located(root, kind, id);
        if (this.allowed(principal, storage)) listed.push(storage);
      }
    }
    return listed;
  }

  /** The name of a storage: its metadata's, else its id when that is a name given by `Actor.openDataset('name')` in local mode. */
  nameOf(storage: LocatedStorage): string | null {
    const metadata = readStorageMetadata(storage.folder);
    if (metadata.name !== undefined) return metadata.name;
    return storage.owner || storage.id === 'default' || !isValidStorageName(storage.id) || /^[a-zA-Z0-9]{17}$/.test(storage.id) ? null : storage.id;
  }

  private lookup(principal: Principal | undefined, kind: StorageKind, idOrName: string): LocatedStorage | undefined {
    const tilde = idOrName.lastIndexOf('~');
    if (tilde >= 0) return this.lookupByName(principal, kind, checkStorageName(idOrName.slice(tilde + 1)));
    if (!isValidStorageId(idOrName)) throw invalidInput(`Invalid ${KIND_NAMES[kind].label.toLowerCase()} id "${idOrName}": ids have only letters, digits, "-", "_" and "."`);
    for (const root of this.roots(principal)) {
      const folder = storageOf(root.storageDir, kind, idOrName);
      if (folder.exists()) return this.located(root, kind, idOrName);
    }
    return isValidStorageName(idOrName) ? this.lookupByName(principal, kind, idOrName) : undefined;
  }

  /** A storage renamed through the API keeps its folder (its id): its name is in its metadata. */
  private lookupByName(principal: Principal | undefined, kind: StorageKind, name: string): LocatedStorage | undefined {
    for (const root of this.roots(principal)) {
      const folder = storageOf(root.storageDir, kind, name);
      if (folder.exists()) return this.located(root, kind, name);
    }
    for (const root of this.roots(principal)) {
      for (const id of new StorageReader(root.storageDir).storageIds(kind)) {
        if (readStorageMetadata(storageOf(root.storageDir, kind, id)).name === name) return this.located(root, kind, id);
      }
    }
    return undefined;
  }

  private located(root: StorageRoot, kind: StorageKind, id: string): LocatedStorage {
    const owner = root.actor ? this.ownersOf(root.actor).get(ownerKey(root.storageDir, kind, id)) : undefined;
    return { kind, id, storageDir: root.storageDir, folder: storageOf(root.storageDir, kind, id), actor: root.actor, owner };
  }

  private allowed(principal: Principal | undefined, storage: LocatedStorage): boolean {
    if (principal?.kind !== 'run' || !storage.owner) return true;
    const { run } = principal.found;
    // Shared-storage runs all own `default` in the Actor's storage/: each reaches its own.
    const own = storage.storageDir === run.greenroom.storageDir && storageIdsOf(run)[KIND_NAMES[storage.kind].recordsKey].includes(storage.id);
    // A run reaches the storages of the runs it started (`Actor.call()` then reads the callee's dataset).
    return own || storage.owner.id === run.id || storage.owner.greenroom.caller?.runId === run.id;
  }

  private checkAccess(principal: Principal | undefined, storage: LocatedStorage): void {
    if (!this.allowed(principal, storage)) throw forbidden(`${KIND_NAMES[storage.kind].label.toLowerCase()} ${storage.id}: it belongs to run ${storage.owner!.id}`);
  }

  /** Where the principal's new storages go: its run's storage root, or the user's. */
  private ownRoot(principal: Principal | undefined): StorageRoot {
    if (principal?.kind === 'run') return { storageDir: principal.found.run.greenroom.storageDir, actor: principal.found.actor };
    return this.userRoot();
  }

  private userRoot(): StorageRoot {
    const [root] = this.ctx.workspace.rootFolders();
    if (!root) throw new ApiError(500, 'internal-server-error', 'The workspace has no folder to keep the user\'s storages in');
    return { storageDir: join(root, GREENROOM_DIR, 'storage') };
  }

  private roots(principal: Principal | undefined): StorageRoot[] {
    const roots: StorageRoot[] = [];
    if (principal?.kind === 'run') roots.push({ storageDir: principal.found.run.greenroom.storageDir, actor: principal.found.actor });
    else roots.push(this.userRoot());
    for (const actor of this.ctx.workspace.actors) {
      const layout = new ActorLayout(actor.root);
      roots.push({ storageDir: layout.runStorageDir, actor }, { storageDir: layout.sharedStorageDir, actor });
    }
    if (principal?.kind === 'run') roots.push(this.userRoot());
    const seen = new Set<string>();
    return roots.filter((root) => !seen.has(root.storageDir) && seen.add(root.storageDir));
  }

  /** The Actor's runs by the storages they own (defaults and aliases), cached while its runs folder is unchanged. */
  private ownersOf(actor: WorkspaceActor): Map<string, RunRecord> {
    const runsDir = new ActorLayout(actor.root).runsDir;
    let modifiedMs: number;
    try {
      modifiedMs = lstatSync(runsDir).mtimeMs;
    } catch {
      return new Map();
    }
    const cached = this.owners.get(actor.root);
    if (cached && cached.modifiedMs === modifiedMs) return cached.byStorage;
    const byStorage = new Map<string, RunRecord>();
    for (const run of this.ctx.workspace.engineFor(actor.root).listRuns()) {
      const ids = storageIdsOf(run);
      for (const kind of STORAGE_KINDS) for (const id of ids[KIND_NAMES[kind].recordsKey]) byStorage.set(ownerKey(run.greenroom.storageDir, kind, id), run);
    }
    this.owners.set(actor.root, { modifiedMs, byStorage });
    return byStorage;
  }
}

/** A run's default and alias storage ids (`storageIds` holds both once the run is at home). */
export function storageIdsOf(run: RunRecord): StorageIdsOfRun {
  const aliases = run.storageIds;
  return {
    datasets: [run.defaultDatasetId, ...Object.values(aliases?.datasets ?? {})],
    keyValueStores: [run.defaultKeyValueStoreId, ...Object.values(aliases?.keyValueStores ?? {})],
    requestQueues: [run.defaultRequestQueueId, ...Object.values(aliases?.requestQueues ?? {})],
  };
}

function ownerKey(storageDir: string, kind: StorageKind, id: string): string {
  return `${storageDir}\0${kind}\0${id}`;
}
