/**
 * A request queue for the local platform, with the platform's semantics: requests deduplicated by uniqueKey, a head in
 * order (forefront requests first, newest forefront first, then the others first in, first out), locks that keep a
 * request from other head/lock calls until they expire, handled requests out of the head, client keys.
 *
 * On disk in Crawlee's local layout, so `apify run` and Greenroom's trees read the same queue: `<requestId>.json` =
 * `{id, json, method, orderNo, retryCount, uniqueKey, url}` (tab-indented as Crawlee writes it), where `json` is the
 * whole request, `orderNo` orders the head (negative: forefront) and is null once handled, and the id is Crawlee's
 * (sha256 of the uniqueKey, 15 characters), so both sides agree on every request's id. Locks live in memory only:
 * they are the running crawl's business, and a restarted server gives locked requests out again at once.
 *
 * The queue is indexed in memory (20,000 requests added, locked and handled stay fast): the index is loaded once from
 * the files and reloaded when another writer changed the folder (FolderCache).
 */
import { createHash } from 'node:crypto';
import { FolderCache } from './folderCache';
import type { StorageFolder } from './files';
import { isRequestFile, storageOf } from './storages';

/** A request as the platform stores it: the caller's fields, plus id. */
export type QueueRequest = Record<string, unknown> & { id: string; uniqueKey: string; url: string };

export interface QueueHeadItem {
  id: string;
  uniqueKey: string;
  url: string;
  method?: string;
  retryCount?: number;
}

export interface AddResult {
  requestId: string;
  wasAlreadyPresent: boolean;
  wasAlreadyHandled: boolean;
}

export type QueueErrorKind = 'invalid' | 'not-found' | 'locked-by-other' | 'not-locked' | 'handled';

/** A refusal of a queue operation; `kind` says which (the API maps it to a status). */
export class RequestQueueError extends Error {
  name = 'RequestQueueError';
  constructor(
    readonly kind: QueueErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** Crawlee's request id: the first 15 characters of the uniqueKey's sha256 in base64 without `+/=`. */
export function requestIdOf(uniqueKey: string): string {
  return createHash('sha256').update(uniqueKey).digest('base64').replace(/[+/=]/g, '').slice(0, 15);
}

const REQUEST_ID_PATTERN = /^[a-zA-Z0-9]{1,64}$/;

interface Entry {
  id: string;
  uniqueKey: string;
  url: string;
  method?: string;
  retryCount?: number;
  /** Position in the head (negative: forefront); null when handled. */
  orderNo: number | null;
  lockExpiresAt?: number;
  lockClientKey?: string;
}

/** A place in the head; stale once the entry moved (another orderNo), was handled or deleted. */
interface Slot {
  entry: Entry;
  orderNo: number;
}

const queues = new FolderCache<QueueIndex>();

class QueueIndex {
  readonly entries = new Map<string, Entry>();
  /** Forefront places, the first in order last (pushed as they come). */
  readonly front: Slot[] = [];
  /** Other places in order, from `backStart` on. */
  back: Slot[] = [];
  backStart = 0;
  readonly locked = new Set<Entry>();
  readonly clients = new Set<string>();
  handledCount = 0;
  lastOrder = 0;
  modifiedAt = new Date();
  /** Request files that could not be read, with why: left out of the queue, reported by the API's metadata. */
  readonly unreadable: string[] = [];

  isCurrent(slot: Slot): boolean {
    return slot.entry.orderNo === slot.orderNo && this.entries.get(slot.entry.id) === slot.entry;
  }

  /** The next order number: later than every other (a timestamp when the clock allows, as Crawlee's). */
  nextOrder(): number {
    this.lastOrder = Math.max(Date.now(), this.lastOrder + 1);
    return this.lastOrder;
  }

  place(entry: Entry, forefront: boolean): void {
    entry.orderNo = forefront ? -this.nextOrder() : this.nextOrder();
    (forefront ? this.front : this.back).push({ entry, orderNo: entry.orderNo });
  }

  /** The head's current places in order, dropping stale ones at either end as it goes. */
  *head(): Generator<Entry> {
    while (this.front.length && !this.isCurrent(this.front[this.front.length - 1])) this.front.pop();
    for (let i = this.front.length - 1; i >= 0; i--) if (this.isCurrent(this.front[i])) yield this.front[i].entry;
    while (this.backStart < this.back.length && !this.isCurrent(this.back[this.backStart])) this.backStart++;
    if (this.backStart > 1024 && this.backStart * 2 > this.back.length) {
      this.back = this.back.slice(this.backStart);
      this.backStart = 0;
    }
    for (let i = this.backStart; i < this.back.length; i++) if (this.isCurrent(this.back[i])) yield this.back[i].entry;
  }
}

export class RequestQueueFiles {
  private readonly queue: StorageFolder;

  constructor(storageDir: string, queueId: string) {
    this.queue = storageOf(storageDir, 'request_queues', queueId);
  }

  counts(): { totalRequestCount: number; handledRequestCount: number; pendingRequestCount: number } {
    const index = this.index();
    const total = index.entries.size;
    return { totalRequestCount: total, handledRequestCount: index.handledCount, pendingRequestCount: total - index.handledCount };
  }

  modifiedAt(): Date {
    return this.index().modifiedAt;
  }

  hadMultipleClients(): boolean {
    return this.index().clients.size > 1;
  }

  unreadableFiles(): readonly string[] {
    return this.index().unreadable;
  }

  add(request: Record<string, unknown>, options: { forefront?: boolean; clientKey?: string } = {}): AddResult & { uniqueKey: string } {
    const index = this.touch(options.clientKey);
    const { uniqueKey, url } = checkRequest(request);
    if (request.id !== undefined && request.id !== requestIdOf(uniqueKey)) {
      throw new RequestQueueError('invalid', `A new request must not name its id (the queue gives "${requestIdOf(uniqueKey)}" to uniqueKey "${uniqueKey}")`);
    }
    const id = requestIdOf(uniqueKey);
    const existing = index.entries.get(id);
    if (existing) return { requestId: id, uniqueKey, wasAlreadyPresent: true, wasAlreadyHandled: existing.orderNo === null };
    const stored: QueueRequest = { ...request, id, uniqueKey, url, method: request.method ?? 'GET' };
    const entry = entryOf(stored);
    index.entries.set(id, entry);
    if (isHandled(stored)) this.markHandled(index, entry);
    else index.place(entry, options.forefront === true);
    this.persist(index, entry, stored);
    return { requestId: id, uniqueKey, wasAlreadyPresent: false, wasAlreadyHandled: false };
  }

  /** The whole request as stored, or undefined. */
  get(id: string): QueueRequest | undefined {
    const entry = this.index().entries.get(checkId(id));
    return entry && this.readRequest(entry.id);
  }

  /** Replaces a request (adds it when missing, as the platform does); handledAt marks it handled. */
  update(request: Record<string, unknown>, options: { forefront?: boolean; clientKey?: string } = {}): AddResult {
    const index = this.touch(options.clientKey);
    const id = checkId(request.id);
    const { uniqueKey, url } = checkRequest(request);
    const entry = index.entries.get(id);
    const stored: QueueRequest = { ...request, id, uniqueKey, url, method: request.method ?? 'GET' };
    if (!entry) {
      const added = entryOf(stored);
      index.entries.set(id, added);
      if (isHandled(stored)) this.markHandled(index, added);
      else index.place(added, options.forefront === true);
      this.persist(index, added, stored);
      return { requestId: id, wasAlreadyPresent: false, wasAlreadyHandled: false };
    }
    const wasHandled = entry.orderNo === null;
    Object.assign(entry, { uniqueKey, url, method: stored.method, retryCount: stored.retryCount });
    if (isHandled(stored)) {
      if (!wasHandled) this.markHandled(index, entry);
    } else if (wasHandled || options.forefront) {
      if (wasHandled) index.handledCount--;
      index.place(entry, options.forefront === true);
    }
    this.persist(index, entry, stored);
    return { requestId: id, wasAlreadyPresent: true, wasAlreadyHandled: wasHandled };
  }

  delete(id: string, clientKey?: string): boolean {
    const index = this.touch(clientKey);
    const entry = index.entries.get(checkId(id));
    if (!entry) return false;
    this.checkNotLockedByOther(entry, clientKey);
    index.entries.delete(entry.id);
    index.locked.delete(entry);
    if (entry.orderNo === null) index.handledCount--;
    this.queue.remove(`${entry.id}.json`);
    index.modifiedAt = new Date();
    queues.changed(this.queue);
    return true;
  }

  /** The first `limit` requests of the head, locked ones included (a peek: nothing changes). */
  head(limit: number, clientKey?: string): QueueHeadItem[] {
    const index = this.touch(clientKey);
    const items: QueueHeadItem[] = [];
    for (const entry of index.head()) {
      if (items.length >= limit) break;
      items.push(headItem(entry));
    }
    return items;
  }

  /** Locks and returns the first `limit` requests of the head that no one holds a lock on. */
  lockHead(limit: number, lockSecs: number, clientKey?: string): (QueueHeadItem & { lockExpiresAt: Date })[] {
    const index = this.touch(clientKey);
    const now = Date.now();
    const lockExpiresAt = now + lockSecs * 1000;
    const items: (QueueHeadItem & { lockExpiresAt: Date })[] = [];
    for (const entry of index.head()) {
      if (items.length >= limit) break;
      if (isLocked(entry, now)) continue;
      entry.lockExpiresAt = lockExpiresAt;
      entry.lockClientKey = clientKey;
      index.locked.add(entry);
      items.push({ ...headItem(entry), lockExpiresAt: new Date(lockExpiresAt) });
    }
    if (items.length) index.modifiedAt = new Date();
    return items;
  }

  /** Whether any request is locked (by any client) now. */
  hasLockedRequests(): boolean {
    const index = this.index();
    const now = Date.now();
    for (const entry of index.locked) if (!isLocked(entry, now) || index.entries.get(entry.id) !== entry) index.locked.delete(entry);
    return index.locked.size > 0;
  }

  /** Locks a request for `lockSecs` from now (it need not be locked yet); refused when another client holds it. */
  prolongLock(id: string, lockSecs: number, options: { forefront?: boolean; clientKey?: string } = {}): Date {
    const index = this.touch(options.clientKey);
    const entry = this.pending(index, id);
    this.checkNotLockedByOther(entry, options.clientKey);
    entry.lockExpiresAt = Date.now() + lockSecs * 1000;
    entry.lockClientKey = options.clientKey;
    index.locked.add(entry);
    if (options.forefront) this.moveToFront(index, entry);
    return new Date(entry.lockExpiresAt);
  }

  /** Gives a lock up, so the request is in the head for everyone again (at the front with `forefront`). */
  deleteLock(id: string, options: { forefront?: boolean; clientKey?: string } = {}): void {
    const index = this.touch(options.clientKey);
    const entry = this.pending(index, id);
    if (!isLocked(entry, Date.now())) throw new RequestQueueError('not-locked', `Request ${id} is not locked`);
    this.checkNotLockedByOther(entry, options.clientKey);
    unlock(index, entry);
    if (options.forefront) this.moveToFront(index, entry);
  }

  /** Gives up every lock the client holds (those taken without a client key, without one); how many. */
  unlockAll(clientKey?: string): number {
    const index = this.touch(clientKey);
    const now = Date.now();
    let count = 0;
    for (const entry of [...index.locked]) {
      if (isLocked(entry, now) && entry.lockClientKey === clientKey) {
        unlock(index, entry);
        count++;
      }
    }
    return count;
  }

  /** Requests in the order they were added, from after `exclusiveStartId`; `filter` keeps locked and/or pending ones. */
  list(options: { limit: number; exclusiveStartId?: string; filter?: ('locked' | 'pending')[] }): { items: QueueRequest[]; nextStartId: string | null } {
    const index = this.index();
    const now = Date.now();
    const items: QueueRequest[] = [];
    let started = options.exclusiveStartId === undefined;
    let more = false;
    for (const entry of index.entries.values()) {
      if (!started) {
        started = entry.id === options.exclusiveStartId;
        continue;
      }
      if (options.filter?.includes('locked') && !isLocked(entry, now)) continue;
      if (options.filter?.includes('pending') && entry.orderNo === null) continue;
      if (items.length >= options.limit) {
        more = true;
        break;
      }
      const request = this.readRequest(entry.id);
      if (request) items.push(request);
    }
    return { items, nextStartId: more && items.length ? items[items.length - 1].id : null };
  }

  /** Forgets the in-memory index (the queue's folder was deleted). */
  forget(): void {
    queues.forget(this.queue);
  }

  private index(): QueueIndex {
    return queues.get(this.queue, () => loadIndex(this.queue));
  }

  private touch(clientKey: string | undefined): QueueIndex {
    const index = this.index();
    index.clients.add(clientKey ?? '');
    return index;
  }

  private pending(index: QueueIndex, id: string): Entry {
    const entry = index.entries.get(checkId(id));
    if (!entry) throw new RequestQueueError('not-found', `Request ${id} is not in the queue`);
    if (entry.orderNo === null) throw new RequestQueueError('handled', `Request ${id} was already handled`);
    return entry;
  }

  private checkNotLockedByOther(entry: Entry, clientKey: string | undefined): void {
    if (isLocked(entry, Date.now()) && entry.lockClientKey !== clientKey) {
      throw new RequestQueueError('locked-by-other', `Request ${entry.id} is locked by another client (clientKey ${JSON.stringify(entry.lockClientKey ?? null)})`);
    }
  }

  private markHandled(index: QueueIndex, entry: Entry): void {
    entry.orderNo = null;
    index.handledCount++;
    unlock(index, entry);
  }

  private moveToFront(index: QueueIndex, entry: Entry): void {
    index.place(entry, true);
    const request = this.readRequest(entry.id);
    if (request) this.persist(index, entry, request);
  }

  private persist(index: QueueIndex, entry: Entry, request: QueueRequest): void {
    const record = { id: entry.id, json: JSON.stringify(request), method: entry.method, orderNo: entry.orderNo, retryCount: entry.retryCount ?? 0, uniqueKey: entry.uniqueKey, url: entry.url };
    this.queue.writeAtomic(`${entry.id}.json`, JSON.stringify(record, null, '\t'));
    index.modifiedAt = new Date();
    queues.changed(this.queue);
  }

  private readRequest(id: string): QueueRequest | undefined {
    const name = `${id}.json`;
    if (!this.queue.entry(name)) return undefined;
    const record = parseRequestFile(this.queue, name);
    return { ...(JSON.parse(record.json) as QueueRequest), id };
  }
}

function loadIndex(queue: StorageFolder): QueueIndex {
  const index = new QueueIndex();
  const { entries } = queue.list();
  const pending: Entry[] = [];
  for (const dirent of entries) {
    const name = dirent.name;
    if (!dirent.isFile() || !isRequestFile(name)) continue;
    let entry: Entry;
    try {
      const record = parseRequestFile(queue, name);
      entry = { id: name.slice(0, -'.json'.length), uniqueKey: record.uniqueKey, url: record.url, method: record.method, retryCount: record.retryCount, orderNo: record.orderNo };
    } catch (error) {
      index.unreadable.push((error as Error).message);
      continue;
    }
    index.entries.set(entry.id, entry);
    if (entry.orderNo === null) index.handledCount++;
    else pending.push(entry);
    index.lastOrder = Math.max(index.lastOrder, Math.abs(entry.orderNo ?? 0));
  }
  pending.sort((a, b) => a.orderNo! - b.orderNo!);
  for (const entry of pending) (entry.orderNo! < 0 ? index.front : index.back).push({ entry, orderNo: entry.orderNo! });
  index.front.reverse(); // the first in order last
  return index;
}

interface RequestFile {
  json: string;
  uniqueKey: string;
  url: string;
  method?: string;
  retryCount?: number;
  orderNo: number | null;
}

/** Reads a request file; the error names the file and what is wrong with it. */
function parseRequestFile(queue: StorageFolder, name: string): RequestFile {
  let parsed: Partial<RequestFile> | null;
  try {
    parsed = JSON.parse(queue.readText(name)) as Partial<RequestFile> | null;
  } catch (error) {
    throw new Error(`Request file ${name} cannot be read: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed.json !== 'string' || typeof parsed.uniqueKey !== 'string' || typeof parsed.url !== 'string') {
    throw new Error(`Request file ${name} is not a request (it needs the string fields json, uniqueKey and url)`);
  }
  const orderNo = typeof parsed.orderNo === 'number' ? parsed.orderNo : null;
  return { json: parsed.json, uniqueKey: parsed.uniqueKey, url: parsed.url, method: parsed.method, retryCount: parsed.retryCount, orderNo };
}

/** The request's uniqueKey and url, after checking the fields the queue relies on (a RequestQueueError names the first wrong one). */
export function checkRequest(request: Record<string, unknown>): { uniqueKey: string; url: string } {
  const { uniqueKey, url } = request;
  if (typeof url !== 'string' || !url) throw new RequestQueueError('invalid', 'A request needs a url (a non-empty string)');
  if (typeof uniqueKey !== 'string' || !uniqueKey) throw new RequestQueueError('invalid', 'A request needs a uniqueKey (a non-empty string)');
  if (request.method !== undefined && typeof request.method !== 'string') throw new RequestQueueError('invalid', 'A request method must be a string');
  if (request.retryCount !== undefined && !Number.isInteger(request.retryCount)) throw new RequestQueueError('invalid', 'A request retryCount must be a whole number');
  return { uniqueKey, url };
}

function checkId(id: unknown): string {
  if (typeof id !== 'string' || !REQUEST_ID_PATTERN.test(id)) throw new RequestQueueError('invalid', `Invalid request id ${JSON.stringify(id)}: ids match ${REQUEST_ID_PATTERN.source}`);
  return id;
}

function entryOf(request: QueueRequest): Entry {
  return { id: request.id, uniqueKey: request.uniqueKey, url: request.url, method: request.method as string | undefined, retryCount: request.retryCount as number | undefined, orderNo: null };
}

function isHandled(request: QueueRequest): boolean {
  return request.handledAt !== undefined && request.handledAt !== null;
}

function isLocked(entry: Entry, now: number): boolean {
  return entry.orderNo !== null && entry.lockExpiresAt !== undefined && entry.lockExpiresAt > now;
}

function unlock(index: QueueIndex, entry: Entry): void {
  entry.lockExpiresAt = undefined;
  entry.lockClientKey = undefined;
  index.locked.delete(entry);
}

function headItem(entry: Entry): QueueHeadItem {
  return { id: entry.id, uniqueKey: entry.uniqueKey, url: entry.url, method: entry.method, retryCount: entry.retryCount ?? 0 };
}
