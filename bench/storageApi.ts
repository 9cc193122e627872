/**
 * `npm run bench:storage-api`: the local API's storage routes against what the same SDK code does in local mode.
 *   1. dataset push: BENCH_ITEMS (100,000) items in 1,000-item batches, through apify-client (at home) and through
 *      Crawlee's local storage client (@crawlee/memory-storage writing files, as `apify run` does)
 *   2. request queue: BENCH_REQUESTS (20,000) requests added, fetched with locks and marked handled by Crawlee's own
 *      RequestQueue (v2), over apify-client (at home) and over the local storage client
 * In-process, one server, no Docker: the figures are the API's own cost. The local side needs the SDK's packages in
 * test-artifacts/engine-cache (the Docker tests make it); without them only the at-home figures are printed.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ApifyClient } from 'apify-client';
import { startStorageFixture } from '../test/unit/platform/storageFixture';

const ITEMS = Number(process.env.BENCH_ITEMS) || 100_000;
const BATCH = 1_000;
const REQUESTS = Number(process.env.BENCH_REQUESTS) || 20_000;
const ENGINE_CACHE = resolve(__dirname, '../../test-artifacts/engine-cache/apify-sdk/node_modules');

interface StorageClientLike {
  dataset(id: string): { pushItems(items: unknown[]): Promise<unknown> };
  datasets(): { getOrCreate(name?: string): Promise<{ id: string }> };
  requestQueues(): { getOrCreate(name?: string): Promise<{ id: string }> };
}

interface CrawleeQueue {
  addRequests(requests: unknown[]): Promise<unknown>;
  fetchNextRequest(): Promise<{ url: string } | null>;
  markRequestHandled(request: unknown): Promise<unknown>;
}

interface Crawlee {
  RequestQueueV2: { open(id: string, options: { storageClient: unknown; config: unknown }): Promise<CrawleeQueue> };
  Configuration: new (options: Record<string, unknown>) => unknown;
}

async function pushItems(client: StorageClientLike): Promise<number> {
  const { id } = await client.datasets().getOrCreate(`bench-${Date.now()}`);
  const dataset = client.dataset(id);
  const started = performance.now();
  for (let offset = 0; offset < ITEMS; offset += BATCH) {
    await dataset.pushItems(Array.from({ length: Math.min(BATCH, ITEMS - offset) }, (_, i) => ({ n: offset + i, title: `Item ${offset + i}`, url: `https://example.com/${offset + i}`, price: i * 1.5 })));
  }
  return performance.now() - started;
}

async function crawlQueue(crawlee: Crawlee, client: StorageClientLike): Promise<{ addMs: number; handleMs: number }> {
  const { id } = await client.requestQueues().getOrCreate(`bench-${Date.now()}`);
  const queue = await crawlee.RequestQueueV2.open(id, { storageClient: client, config: new crawlee.Configuration({ persistStorage: false }) });
  const requests = Array.from({ length: REQUESTS }, (_, n) => ({ url: `https://example.com/page/${n}` }));
  const added = performance.now();
  for (let offset = 0; offset < REQUESTS; offset += BATCH) await queue.addRequests(requests.slice(offset, offset + BATCH));
  const addMs = performance.now() - added;
  const handled = performance.now();
  let count = 0;
  for (let request = await queue.fetchNextRequest(); request; request = await queue.fetchNextRequest()) {
    await queue.markRequestHandled(request);
    count++;
  }
  if (count !== REQUESTS) throw new Error(`The queue gave out ${count} of ${REQUESTS} requests`);
  return { addMs, handleMs: performance.now() - handled };
}

function row(label: string, atHome: number, local: number | undefined, unit: (ms: number) => string): void {
  const ratio = local === undefined ? '' : `  at home / local ${(atHome / local).toFixed(2)}×`;
  console.log(`${label.padEnd(34)} at home ${unit(atHome).padStart(16)}${local === undefined ? '' : `   local ${unit(local).padStart(16)}`}${ratio}`);
}

async function main(): Promise<void> {
  const fixture = await startStorageFixture();
  const crawlee = existsSync(join(ENGINE_CACHE, '@crawlee', 'core')) ? (require(join(ENGINE_CACHE, '@crawlee', 'core')) as Crawlee) : undefined;
  const localDir = mkdtempSync(join(tmpdir(), 'greenroom-bench-local-storage-'));
  try {
    const atHome = fixture.runA.client as unknown as StorageClientLike & ApifyClient;
    const local = crawlee
      ? (new (require(join(ENGINE_CACHE, '@crawlee', 'memory-storage')).MemoryStorage)({ localDataDirectory: localDir, persistStorage: true, writeMetadata: false }) as StorageClientLike)
      : undefined;
    const pushHome = await pushItems(atHome);
    const pushLocal = local && (await pushItems(local));
    const perSecond = (ms: number) => `${Math.round(ITEMS / (ms / 1000)).toLocaleString('en-US')} items/s`;
    console.log(`Dataset push: ${ITEMS.toLocaleString('en-US')} items in ${BATCH}-item batches`);
    row('  throughput', pushHome, pushLocal, perSecond);
    if (crawlee) {
      const queueHome = await crawlQueue(crawlee, atHome);
      const queueLocal = await crawlQueue(crawlee, local!);
      const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
      console.log(`Request queue (Crawlee RequestQueue v2): ${REQUESTS.toLocaleString('en-US')} requests`);
      row('  add (1,000 per addRequests)', queueHome.addMs, queueLocal.addMs, seconds);
      row('  fetch with locks + mark handled', queueHome.handleMs, queueLocal.handleMs, seconds);
      row('  total', queueHome.addMs + queueHome.handleMs, queueLocal.addMs + queueLocal.handleMs, seconds);
    } else {
      console.log('Request queue: skipped (no test-artifacts/engine-cache with Crawlee; the Docker tests make it)');
    }
  } finally {
    await fixture.close();
    rmSync(localDir, { recursive: true, force: true });
  }
}

// Crawlee's and apify-client's timers and keep-alive sockets would keep the process alive after the figures.
main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
