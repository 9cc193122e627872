/**
 * Nodes for one storage root (a run's own storages or the Actor's shared `storage/`), shared by the Runs and
 * Storages views. Dataset items and a queue's requests are listed a page at a time by position, so a 1,000,000-item
 * dataset opens as fast as a small one; counts are cached until the folder changes. Items and records open as
 * read-only documents served by the storage library (storageFiles/storageFileSystem.ts). Rows say when a storage last
 * changed where that is cheap to know (a dataset's folder changes with every item, a store's records are listed
 * anyway); its size, which takes a walk over all its files, is in the tooltip, made when the row is hovered.
 */
import * as vscode from 'vscode';
import { shortTime } from '../../../engine';
import type { RunRecord, RunStorageIds } from '../../../engine';
import { datasetFolder, datasetPage, fastItemCount, KeyValueRecord, ListedRequest, readDatasetItem, RequestQueueCounts, requestQueueCounts, requestQueuePage, StorageFolder, StorageKind, storageOf, StorageReader } from '../../../storage';
import { storageFileUri } from '../../storageFiles/storageFileSystem';
import { formatBytes, recordsSummary } from '../format';
import { StaticNode, TreeNode } from '../treeNode';

export const TREE_PAGE_SIZE = 100;
export const SHOW_MORE_ITEMS_COMMAND = 'greenroom.dataset._showMoreItems';

/** How many entries each expanded dataset or request queue shows, by folder; grows with "Show more". */
const shownItems = new Map<string, number>();
const countCache = new Map<string, { mtimeMs: number; count: number }>();

export function showMoreItems(datasetDir: string): void {
  shownItems.set(datasetDir, (shownItems.get(datasetDir) ?? TREE_PAGE_SIZE) + TREE_PAGE_SIZE);
}

/** When the folder last changed; undefined when it is missing, or a link planted in the storage (the viewer and exports say why). */
function folderModifiedMs(folder: StorageFolder): number | undefined {
  try {
    return folder.modifiedMs();
  } catch {
    return undefined;
  }
}

export function cachedItemCount(dataset: StorageFolder): number {
  const datasetDir = dataset.path;
  const mtimeMs = folderModifiedMs(dataset);
  if (mtimeMs === undefined) return 0;
  const cached = countCache.get(datasetDir);
  if (cached?.mtimeMs === mtimeMs) return cached.count;
  let count = 0;
  try {
    count = fastItemCount(dataset);
  } catch {
    // Swapped for a link since: as above.
  }
  countCache.set(datasetDir, { mtimeMs, count });
  return count;
}

/** What commands (Export Dataset…, Open Record) read from a storage node. */
export interface StorageRef {
  actorRoot: string;
  storageDir: string;
  kind: StorageKind;
  id: string;
}

export class DatasetNode implements TreeNode, StorageRef {
  readonly kind = 'datasets';
  constructor(
    readonly actorRoot: string,
    readonly storageDir: string,
    readonly id: string,
    private readonly label = 'Dataset',
  ) {}

  get folder(): StorageFolder {
    return datasetFolder(this.storageDir, this.id);
  }

  get dir(): string {
    return this.folder.path;
  }

  treeItem(): vscode.TreeItem {
    const count = cachedItemCount(this.folder);
    const item = new vscode.TreeItem(this.label, count ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `dataset:${this.dir}`;
    // Items are only ever added (new files), so the folder's own time is the dataset's last change.
    const modifiedMs = folderModifiedMs(this.folder);
    item.description = [`${count.toLocaleString('en-US')} item${count === 1 ? '' : 's'}`, modifiedMs !== undefined && shortTime(modifiedMs)].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon('table');
    item.contextValue = 'greenroom.dataset';
    // A click opens the viewer; the twistie still lists the items.
    item.command = { command: 'greenroom.openDatasetViewer', title: 'Open Dataset Viewer', arguments: [this] };
    return item;
  }

  tooltip(): Promise<string> {
    return storageTooltip(this.folder);
  }

  children(): TreeNode[] {
    const dataset = this.folder;
    return pagedChildren(this.dir, cachedItemCount(dataset), 'items', (offset, limit) => datasetPage(dataset, offset, limit).map(({ index, name }) => itemNode(this.storageDir, this.id, dataset, index, name)));
  }
}

/**
 * The first entries of a paged listing (dataset items, requests) by position, TREE_PAGE_SIZE more with each
 * "Show more": only the entries shown are read.
 */
function pagedChildren(dir: string, total: number, noun: string, page: (offset: number, limit: number) => TreeNode[]): TreeNode[] {
  const shown = Math.min(total, shownItems.get(dir) ?? TREE_PAGE_SIZE);
  const nodes = page(0, shown);
  if (shown < total) {
    const more = new vscode.TreeItem(`Show ${Math.min(TREE_PAGE_SIZE, total - shown)} more (${shown.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} ${noun})`);
    more.iconPath = new vscode.ThemeIcon('ellipsis');
    more.command = { command: SHOW_MORE_ITEMS_COMMAND, title: `Show more ${noun}`, arguments: [dir] };
    nodes.push(new StaticNode(more));
  }
  return nodes;
}

function itemNode(storageDir: string, datasetId: string, dataset: StorageFolder, index: number, name: string): TreeNode {
  const item = new vscode.TreeItem(`#${index + 1}`);
  item.iconPath = new vscode.ThemeIcon('json');
  try {
    item.description = JSON.stringify(readDatasetItem(dataset, name, index)).slice(0, 120);
  } catch (error) {
    // Not opened either: the file may be a link to a host file an Actor planted.
    item.description = '(cannot be read)';
    item.tooltip = (error as Error).message;
    return new StaticNode(item);
  }
  // Read-only, through the storage library: what a run wrote is looked at, not edited.
  const file = storageFileUri({ storageDir, kind: 'datasets', id: datasetId, name });
  item.resourceUri = file;
  item.command = { command: 'vscode.open', title: 'Open item', arguments: [file, { preview: true }] };
  return new StaticNode(item);
}

export class KeyValueStoreNode implements TreeNode, StorageRef {
  readonly kind = 'key_value_stores';
  constructor(
    readonly actorRoot: string,
    readonly storageDir: string,
    readonly id: string,
    private readonly label = 'Key-value store',
  ) {}

  treeItem(): vscode.TreeItem {
    const reader = new StorageReader(this.storageDir);
    let records: KeyValueRecord[] = [];
    let problem: string | undefined;
    try {
      records = reader.keyValueRecords(this.id);
    } catch (error) {
      problem = (error as Error).message;
    }
    const count = records.length;
    const item = new vscode.TreeItem(this.label, count ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `kvs:${this.storageDir}:${this.id}`;
    // Records are rewritten in place, which the folder's own time misses: the newest record's time is the store's.
    const modifiedMs = records.reduce((newest, record) => Math.max(newest, record.modifiedMs), 0);
    const summary = count ? `${recordsSummary(records)} · ${shortTime(modifiedMs)}` : '0 records';
    item.description = problem ? '(cannot be read)' : `${summary}${skippedNote(reader)}`;
    // Left unset when there is nothing to warn of: made on hover (tooltip()).
    item.tooltip = problem ?? skippedTooltip(reader);
    item.iconPath = new vscode.ThemeIcon('database');
    item.contextValue = 'greenroom.keyValueStore';
    return item;
  }

  tooltip(): Promise<string> {
    return storageTooltip(storageOf(this.storageDir, 'key_value_stores', this.id));
  }

  children(): TreeNode[] {
    try {
      return new StorageReader(this.storageDir)
        .keyValueRecords(this.id)
        .sort((a, b) => a.key.localeCompare(b.key))
        .map((record) => new RecordNode(this.actorRoot, this.storageDir, this.id, record.name, record.key, record.file, record.contentType, record.size));
    } catch {
      return [];
    }
  }
}

export class RecordNode implements TreeNode {
  constructor(
    readonly actorRoot: string,
    readonly storageDir: string,
    readonly storeId: string,
    readonly name: string,
    readonly key: string,
    readonly file: string,
    readonly contentType: string,
    private readonly size: number,
  ) {}

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.key);
    item.description = `${this.contentType} · ${formatBytes(this.size)}`;
    item.tooltip = this.file;
    item.iconPath = new vscode.ThemeIcon(this.contentType.startsWith('image/') ? 'file-media' : 'file');
    item.contextValue = 'greenroom.record';
    item.command = { command: 'greenroom.openRecord', title: 'Open Record', arguments: [this] };
    return item;
  }
}

export class RequestQueueNode implements TreeNode, StorageRef {
  readonly kind = 'request_queues';
  constructor(
    readonly actorRoot: string,
    readonly storageDir: string,
    readonly id: string,
    private readonly label = 'Request queue',
  ) {}

  private get dir(): string {
    return storageOf(this.storageDir, 'request_queues', this.id).path;
  }

  treeItem(): vscode.TreeItem {
    let counts: RequestQueueCounts | undefined;
    let problem: string | undefined;
    try {
      counts = requestQueueCounts(this.storageDir, this.id);
    } catch (error) {
      problem = (error as Error).message;
    }
    const item = new vscode.TreeItem(this.label, counts?.total ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `rq:${this.storageDir}:${this.id}`;
    item.description = counts ? `${counts.pending} pending · ${counts.handled} handled${counts.unreadable ? ` · ${counts.unreadable} unreadable` : ''}` : '(cannot be read)';
    item.tooltip = problem ?? this.dir;
    item.iconPath = new vscode.ThemeIcon('list-ordered');
    item.contextValue = 'greenroom.requestQueue';
    // A click opens the listing a page at a time; the twistie still lists the requests.
    item.command = { command: 'greenroom.openRequestQueue', title: 'Open Request Queue', arguments: [this] };
    return item;
  }

  tooltip(): Promise<string> {
    return storageTooltip(storageOf(this.storageDir, 'request_queues', this.id));
  }

  children(): TreeNode[] {
    let total = 0;
    try {
      total = requestQueueCounts(this.storageDir, this.id).total;
    } catch {
      return [];
    }
    return pagedChildren(this.dir, total, 'requests', (offset, limit) => requestQueuePage(this.storageDir, this.id, offset, limit).requests.map(requestNode));
  }
}

/** URL, method, state, retries and the last error of one request (the error in full in the tooltip). */
function requestNode(request: ListedRequest): TreeNode {
  if (request.problem) {
    const item = new vscode.TreeItem(request.id);
    item.description = '(cannot be read)';
    item.tooltip = request.problem;
    item.iconPath = new vscode.ThemeIcon('warning');
    return new StaticNode(item);
  }
  const item = new vscode.TreeItem(request.url);
  const retries = request.retryCount ? ` · ${request.retryCount} ${request.retryCount === 1 ? 'retry' : 'retries'}` : '';
  item.description = `${request.method} · ${request.state}${retries}${request.lastError ? ` · ${request.lastError.split('\n')[0]}` : ''}`;
  item.tooltip = [`${request.method} ${request.url}`, `${request.state}, ${request.retryCount} retries`, request.lastError && `Last error: ${request.lastError}`, `id ${request.id}`].filter(Boolean).join('\n');
  item.iconPath = new vscode.ThemeIcon(request.state === 'handled' ? 'check' : request.lastError ? 'error' : 'circle-outline');
  item.contextValue = 'greenroom.request';
  return new StaticNode(item);
}

const KIND_LABELS: Record<StorageKind, string> = { datasets: 'Datasets', key_value_stores: 'Key-value stores', request_queues: 'Request queues' };
const STORAGE_LABELS: Record<StorageKind, string> = { datasets: 'Dataset', key_value_stores: 'Key-value store', request_queues: 'Request queue' };
const KIND_OF_STORAGE_IDS: Record<keyof RunStorageIds, StorageKind> = { datasets: 'datasets', keyValueStores: 'key_value_stores', requestQueues: 'request_queues' };

/** A run's default storages, then its alias storages (actor.json `storages`) labelled by alias. */
export function runStorageNodes(actorRoot: string, run: RunRecord): TreeNode[] {
  const dir = run.greenroom.storageDir;
  const aliases = run.storageIds
    ? (Object.keys(KIND_OF_STORAGE_IDS) as (keyof RunStorageIds)[]).flatMap((key) =>
        Object.entries(run.storageIds![key])
          .filter(([alias]) => alias !== 'default')
          .map(([alias, id]) => storageNode(actorRoot, dir, KIND_OF_STORAGE_IDS[key], id, `${STORAGE_LABELS[KIND_OF_STORAGE_IDS[key]]} "${alias}"`)),
      )
    : [];
  return [
    new DatasetNode(actorRoot, dir, run.defaultDatasetId),
    new KeyValueStoreNode(actorRoot, dir, run.defaultKeyValueStoreId),
    new RequestQueueNode(actorRoot, dir, run.defaultRequestQueueId),
    ...aliases,
  ];
}

/** Every storage id a run owns (defaults and aliases): what is left in a storage root is named or no run's. */
export function runOwnedStorageIds(runs: RunRecord[]): Set<string> {
  const owned = new Set<string>();
  for (const run of runs) {
    for (const id of [run.defaultDatasetId, run.defaultKeyValueStoreId, run.defaultRequestQueueId]) owned.add(id);
    for (const ids of Object.values(run.storageIds ?? {})) for (const id of Object.values(ids as Record<string, string>)) owned.add(id);
  }
  return owned;
}

/** Every storage of a storage root, grouped by kind (the shared `storage/`), less the ids `except` leaves out (runs' own). */
export function storageRootChildren(actorRoot: string, storageDir: string, except?: Set<string>): TreeNode[] {
  return (['datasets', 'key_value_stores', 'request_queues'] as StorageKind[]).flatMap((kind) => {
    const ids = storageIds(storageDir, kind).filter((id) => !except?.has(id));
    if (!ids.length) return [];
    const group = new vscode.TreeItem(KIND_LABELS[kind], vscode.TreeItemCollapsibleState.Expanded);
    group.id = `group:${storageDir}:${kind}`;
    return [new StaticNode(group, () => ids.map((id) => storageNode(actorRoot, storageDir, kind, id, id)))];
  });
}

export function storageNode(actorRoot: string, storageDir: string, kind: StorageKind, id: string, label?: string): TreeNode {
  if (kind === 'datasets') return new DatasetNode(actorRoot, storageDir, id, label);
  if (kind === 'key_value_stores') return new KeyValueStoreNode(actorRoot, storageDir, id, label);
  return new RequestQueueNode(actorRoot, storageDir, id, label);
}

/** Storage folders of one kind, without counting their content (StorageReader.list counts every item). */
function storageIds(storageDir: string, kind: StorageKind): string[] {
  try {
    return new StorageReader(storageDir).storageIds(kind);
  } catch {
    return [];
  }
}

/** The folder, its size and when it last changed (the newest of its files), for a storage row's tooltip. */
export async function storageTooltip(folder: StorageFolder): Promise<string> {
  let usage;
  try {
    usage = await folder.usage();
  } catch (error) {
    return `${folder.path}\n${(error as Error).message}`;
  }
  if (usage.modifiedMs === undefined) return `${folder.path}\nNot created yet`;
  const files = `${usage.files.toLocaleString('en-US')} file${usage.files === 1 ? '' : 's'}`;
  return `${folder.path}\nSize: ${formatBytes(usage.bytes)} in ${files}\nModified: ${shortTime(usage.modifiedMs)}`;
}

/** Links and special files the listing left out (an Actor may have planted them): said, not shown. */
function skippedNote(reader: StorageReader): string {
  const count = reader.skipped.size;
  return count ? ` · ${count} skipped` : '';
}

function skippedTooltip(reader: StorageReader): string | undefined {
  return reader.skipped.size ? `Not shown (links or special files, never opened): ${[...reader.skipped].join(', ')}` : undefined;
}
