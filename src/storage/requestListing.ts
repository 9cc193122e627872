/**
 * A request queue as people read it (the trees): each request's URL, method, state, retries and last error, in
 * either SDK dialect, a page at a time by position, reading only the page's files. Positions follow the request
 * files' names (the request ids): the only order the folder gives without reading every file.
 *
 *   JS (Crawlee)   `{id, json, method, orderNo, retryCount, uniqueKey, url}`: `json` is the whole request (with
 *                  `errorMessages`), `orderNo` is null once handled
 *   Python         the request itself (`url`, `method`, `retryCount` or `retry_count`, `handledAt` or `handled_at`,
 *                  `errorMessages` or `error_messages` where written), or the JS wrapper with snake_case keys
 *                  (`order_no`, `retry_count`, `unique_key`)
 *
 * The pending/handled counts read every file, so they are kept until the folder changes.
 */
import type { StorageFolder } from './files';
import { FolderCache } from './folderCache';
import { isRequestFile, storageOf } from './storages';

/** A request file is small; one larger than this is not a request an SDK wrote. */
const MAX_REQUEST_FILE_BYTES = 16 * 1024 * 1024;

export interface ListedRequest {
  /** The file's name less `.json`. */
  id: string;
  url: string;
  method: string;
  state: 'pending' | 'handled';
  retryCount: number;
  /** The last of the request's error messages, when it failed before. */
  lastError?: string;
  /** Why the file cannot be listed as a request (not JSON, a link, no url): shown in its place. */
  problem?: string;
}

export interface RequestQueueCounts {
  total: number;
  pending: number;
  handled: number;
  /** Request files that could not be read (counted in total, neither pending nor handled). */
  unreadable: number;
}

const countCache = new FolderCache<RequestQueueCounts>();

/** The queue's request files, sorted by name (their positions). */
export function requestFileNames(queue: StorageFolder): string[] {
  return queue
    .list()
    .entries.filter((entry) => isRequestFile(entry.name))
    .map((entry) => entry.name)
    .sort();
}

/** The requests at positions offset … offset+limit-1, and how many there are. */
export function requestQueuePage(storageDir: string, queueId: string, offset: number, limit: number): { total: number; requests: ListedRequest[] } {
  const queue = storageOf(storageDir, 'request_queues', queueId);
  const names = requestFileNames(queue);
  return { total: names.length, requests: names.slice(offset, offset + limit).map((name) => readListedRequest(queue, name)) };
}

/** Pending and handled requests (every file read once, then kept until the folder changes). */
export function requestQueueCounts(storageDir: string, queueId: string): RequestQueueCounts {
  const queue = storageOf(storageDir, 'request_queues', queueId);
  return countCache.get(queue, () => {
    const counts: RequestQueueCounts = { total: 0, pending: 0, handled: 0, unreadable: 0 };
    for (const name of requestFileNames(queue)) {
      const request = readListedRequest(queue, name);
      counts.total++;
      if (request.problem) counts.unreadable++;
      else counts[request.state]++;
    }
    return counts;
  });
}

/** One request file in either dialect; a file that is no request comes back with its problem, never thrown. */
export function readListedRequest(queue: StorageFolder, name: string): ListedRequest {
  const id = name.slice(0, -'.json'.length);
  const unlisted = (problem: string): ListedRequest => ({ id, url: '', method: '', state: 'pending', retryCount: 0, problem });
  let file: Record<string, unknown>;
  try {
    file = asObject(JSON.parse(queue.readText(name, MAX_REQUEST_FILE_BYTES)));
  } catch (error) {
    return unlisted(`Request file ${name} cannot be read: ${(error as Error).message}`);
  }
  let request = file;
  if (typeof file.json === 'string') {
    try {
      request = { ...asObject(JSON.parse(file.json)), ...withoutJson(file) };
    } catch (error) {
      return unlisted(`Request file ${name} holds a request that is not JSON: ${(error as Error).message}`);
    }
  }
  if (typeof request.url !== 'string' || !request.url) return unlisted(`Request file ${name} is not a request (it has no url)`);
  const orderKey = 'orderNo' in file ? 'orderNo' : 'order_no' in file ? 'order_no' : undefined;
  const handled = orderKey ? file[orderKey] === null : !!(request.handledAt ?? request.handled_at);
  const retries = request.retryCount ?? request.retry_count;
  const errors = request.errorMessages ?? request.error_messages;
  const lastError = Array.isArray(errors) && errors.length ? String(errors[errors.length - 1]) : undefined;
  return {
    id,
    url: request.url,
    method: typeof request.method === 'string' ? request.method : 'GET',
    state: handled ? 'handled' : 'pending',
    retryCount: typeof retries === 'number' ? retries : 0,
    ...(lastError !== undefined && { lastError }),
  };
}

function asObject(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('it is not a JSON object');
  return value as Record<string, unknown>;
}

/** The JS file's own fields, which are newer than the copy inside `json` (retryCount, orderNo). */
function withoutJson(file: Record<string, unknown>): Record<string, unknown> {
  const { json: _json, ...fields } = file;
  return fields;
}
