/**
 * Datasets: `/v2/datasets` (list, get-or-create by name), `/v2/datasets/:id` (get, rename, delete) and its items:
 * `POST …/items` (an object or an array of objects, within the platform's 9 MB per request) and `GET …/items` with
 * the platform's paging, transformations (fields, omit, unwind, flatten, clean, skipEmpty, skipHidden, a view of the
 * Actor's dataset schema) and export formats. Items are paged as the platform pages them: over stored items, before
 * unwinding or skipping; the `x-apify-pagination-*` headers say the window (apify-client reads them).
 */
import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { appendDatasetItems, knownItemCount, StorageReader } from '../../storage';
import { datasetRows, effectiveOptions, itemsWindow, parseItemOptions, readDatasetView } from '../../storage/datasetViews';
import type { DatasetView, ItemOptions } from '../../storage/datasetViews';
import { EXPORT_FORMATS, exportDataset, ExportFormat, isExportFormat } from '../../storage/export/datasetExport';
import { invalidInput } from '../errors';
import { chargeDatasetItems } from './charges';
import { queryBoolean, queryString } from '../query';
import type { RouteModule } from '../server';
import { LocatedStorage, storageLocator } from '../storageAccess';
import { commonInfo, find, registerStorageCollection, storageErrorHandler, unreadableStorage } from './storageCollections';

/** What the platform's API answers as the limit of an unlimited items request. */
const NO_LIMIT = 999_999_999_999;

const CONTENT_TYPES: Record<ExportFormat, string> = {
  json: 'application/json; charset=utf-8',
  jsonl: 'application/jsonl; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  html: 'text/html; charset=utf-8',
  rss: 'application/rss+xml; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Export options of the platform the local exports do not have: refused by name rather than ignored. */
const UNSUPPORTED_EXPORT_OPTIONS = ['delimiter', 'skipHeaderRow', 'xmlRoot', 'xmlRow', 'simplified', 'skipFailedPages'];

export const datasetRoutes: RouteModule = (app, ctx) => {
  void app.register(async (scope) => {
    scope.setErrorHandler(storageErrorHandler);
    registerStorageCollection(scope, ctx, 'datasets', describeDataset);
    const locator = storageLocator(ctx);
    registerDatasetContent(scope, '/v2/datasets/:storageId', (request) => find(locator, request, 'datasets'));
  });
};

export function describeDataset(storage: LocatedStorage, locator: ReturnType<typeof storageLocator>): Record<string, unknown> {
  const itemCount = knownItemCount(storage.storageDir, storage.id);
  // The clean count would mean reading every item; the local platform gives the item count.
  return { ...commonInfo(locator, storage), itemCount, cleanItemCount: itemCount, fields: [], stats: { readCount: 0, writeCount: itemCount, storageBytes: 0 } };
}

/** The items routes under `base`, for a dataset `resolve` finds (also the run aliases, `actor-runs/:runId/dataset`). */
export function registerDatasetContent(app: FastifyInstance, base: string, resolve: (request: FastifyRequest) => LocatedStorage): void {
  app.post(`${base}/items`, async (request, reply) => {
    const dataset = resolve(request);
    const items = pushedItems(request.body);
    appendDatasetItems(dataset.storageDir, dataset.id, items);
    chargeDatasetItems(dataset.actor, dataset.owner, dataset.id, items.length);
    return reply.code(201).send();
  });

  app.get(`${base}/items`, async (request, reply) => {
    const dataset = resolve(request);
    await sendItems(request, reply, dataset);
    return reply;
  });
}

/** Each pushed item as the text of its file; a body that is not an object or an array of objects is refused whole. */
function pushedItems(body: unknown): string[] {
  const items = Array.isArray(body) ? body : [body];
  if (body === undefined || body === null) throw invalidInput('The request body must be a JSON object or an array of JSON objects (the items to push)');
  return items.map((item, index) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw invalidInput(`Item ${index + 1} of the pushed items is ${item === null ? 'null' : Array.isArray(item) ? 'an array' : `a ${typeof item}`}: every item must be a JSON object`);
    }
    return JSON.stringify(item, null, '\t');
  });
}

async function sendItems(request: FastifyRequest, reply: FastifyReply, dataset: LocatedStorage): Promise<void> {
  const format = queryString(request.query, 'format') ?? 'json';
  if (!isExportFormat(format)) throw invalidInput(`Unknown format "${format}": the formats are ${EXPORT_FORMATS.join(', ')}`);
  for (const option of UNSUPPORTED_EXPORT_OPTIONS) {
    if (queryString(request.query, option) !== undefined) throw invalidInput(`The local platform does not support the "${option}" option of dataset exports`);
  }
  const view = requestedView(request, dataset);
  let options: ItemOptions;
  try {
    options = effectiveOptions(view, parseItemOptions((name) => queryString(request.query, name), (name) => `Parameter "${name}"`));
  } catch (error) {
    throw invalidInput((error as Error).message);
  }
  const reader = new StorageReader(dataset.storageDir);
  const total = knownItemCount(dataset.storageDir, dataset.id);
  const { offset, limit, desc, count } = itemsWindow(options, total);
  const rows = datasetRows(reader, dataset.id, undefined, options);

  reply.header('x-apify-pagination-total', String(total));
  reply.header('x-apify-pagination-offset', String(offset));
  reply.header('x-apify-pagination-limit', String(limit ?? NO_LIMIT));
  reply.header('x-apify-pagination-count', String(count));
  reply.header('x-apify-pagination-desc', String(desc));
  reply.header('content-type', CONTENT_TYPES[format]);
  if (queryBoolean(request.query, 'attachment')) reply.header('content-disposition', `attachment; filename="dataset_${dataset.id}.${format}"`);
  const bom = queryBoolean(request.query, 'bom') ? '\ufeff' : '';

  if (format === 'json') {
    let items: unknown[];
    try {
      items = [...rows()];
    } catch (error) {
      throw unreadableStorage((error as Error).message);
    }
    reply.send(bom + JSON.stringify(items));
    return;
  }
  reply.send(await exportStream(rows, format, bom, String(dataset.id)));
}

/**
 * The export as a stream. Errors before its first bytes (an unreadable item in a small export, or in the column pass
 * of csv/html/xlsx) become a clean error response; a later one ends the stream early.
 */
async function exportStream(rows: () => Iterable<unknown>, format: ExportFormat, bom: string, title: string): Promise<PassThrough> {
  const out = new PassThrough();
  if (bom) out.write(bom);
  const started = new Promise<'started'>((resolve) => out.once('readable', () => resolve('started')));
  const exporting = exportDataset(rows, format, out, { title });
  let outcome: 'started' | 'done';
  try {
    outcome = bom ? 'started' : await Promise.race([exporting.then(() => 'done' as const), started]);
  } catch (error) {
    throw unreadableStorage((error as Error).message);
  }
  if (outcome === 'done') out.end();
  else exporting.then(() => out.end(), (error: Error) => out.destroy(error));
  return out;
}

/** The `view` of the Actor's dataset schema the request names, if any. */
function requestedView(request: FastifyRequest, dataset: LocatedStorage): DatasetView | undefined {
  const viewId = queryString(request.query, 'view');
  if (viewId === undefined) return undefined;
  if (!dataset.actor) throw invalidInput(`Dataset ${dataset.id} belongs to no Actor, so it has no dataset schema with a view "${viewId}"`);
  try {
    return readDatasetView(dataset.actor.root, viewId);
  } catch (error) {
    throw invalidInput((error as Error).message);
  }
}
