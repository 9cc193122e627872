/**
 * `npm run bench:views`: the dataset viewer's data path on a 1,000,000-item dataset (BENCH_ITEMS to change).
 *   1. time to the first page (100 rows), through a view like the example Actor's, raw, newest first (desc) and the
 *      last page: cold (the first read in a fresh process; the OS file cache is warm from generating) and warm
 *      (median of repeated reads in one process); median over several processes
 *   2. fastItemCount (probes file names) vs datasetItemCount (streams the folder's listing)
 *   3. export throughput and peak RSS for every format in EXPORT_FORMATS, each in its own process so that peak memory
 *      is per format (process.resourceUsage().maxRSS), the way the CLI and the extension export (to a file)
 * The dataset is generated in a temporary folder (generation not timed) and removed at the end. Only the first
 * BENCH_DISTINCT_ITEMS (10,000) item files are written; the others are hard links to them (item n has the content of
 * item (n - 1) % 10,000 + 1): on this ext4 disk (mounted with `discard`) writing and deleting 1,000,000 separate files
 * takes 5–10 minutes, while every measurement still opens, reads and parses one file name per item.
 */
import { spawnSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetFolder, datasetItemCount, fastItemCount, StorageReader } from '../src/storage';
import { itemFile } from '../src/storage/datasetPages';
import { DatasetView, readViewPage } from '../src/storage/datasetViews';
import { EXPORT_FORMATS, ExportFormat, exportDatasetToFile } from '../src/storage/export/datasetExport';

const ITEMS = Number(process.env.BENCH_ITEMS) || 1_000_000;
const DISTINCT_ITEMS = Math.min(ITEMS, Number(process.env.BENCH_DISTINCT_ITEMS) || 10_000);
const PAGE_SIZE = 100;
const COLD_PROCESSES = 5;
const WARM_READS = 20;
const COUNT_ROUNDS = 5;
const DATASET_ID = 'default';

/** Like the example Actor's `overview`: picks three fields and displays them with labels and formats. */
const OVERVIEW: DatasetView = {
  id: 'overview',
  title: 'Overview',
  transformation: { fields: ['title', 'price', 'inStock'] },
  component: 'table',
  properties: { title: { label: 'Title', format: 'text' }, price: { label: 'Price', format: 'number' }, inStock: { label: 'In stock', format: 'boolean' } },
};

const PAGE_CASES: Record<string, { view: DatasetView | undefined; offset: (total: number) => number }> = {
  'overview view': { view: OVERVIEW, offset: () => 0 },
  raw: { view: undefined, offset: () => 0 },
  'overview, newest first (desc)': { view: { ...OVERVIEW, transformation: { ...OVERVIEW.transformation, desc: true } }, offset: () => 0 },
  'raw, last page': { view: undefined, offset: (total) => Math.floor((total - 1) / PAGE_SIZE) * PAGE_SIZE },
};

/** A realistic small item: 8 fields, one a nested object and one an array (~300 bytes). */
function item(i: number): object {
  return {
    url: `https://shop.example/products/${i}`,
    title: `Product ${i}`,
    price: (i % 1000) + 0.99,
    currency: 'EUR',
    inStock: i % 3 > 0,
    scrapedAt: new Date(1_700_000_000_000 + i * 1000).toISOString(),
    seller: { name: `Seller ${i % 50}`, rating: (i % 5) + 0.5 },
    tags: [`tag${i % 7}`, `tag${i % 11}`],
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timedMs<T>(run: () => T): { ms: number; result: T } {
  const started = process.hrtime.bigint();
  const result = run();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, result };
}

const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`;
const thousands = (value: number) => Math.round(value).toLocaleString('en-US');

/** This script again, in a fresh process, for one measurement; it prints its result as JSON. */
function child<T>(args: string[]): T {
  const result = spawnSync(process.execPath, [__filename, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`bench child ${args.join(' ')} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

interface PageTiming {
  coldMs: number;
  warmMs: number;
  rows: number;
}

function pageChild(storageDir: string, name: string): PageTiming {
  const { view, offset } = PAGE_CASES[name];
  const dataset = datasetFolder(storageDir, DATASET_ID);
  const total = fastItemCount(dataset);
  const cold = timedMs(() => readViewPage(dataset, view, offset(total), PAGE_SIZE));
  const warm = Array.from({ length: WARM_READS }, () => timedMs(() => readViewPage(dataset, view, offset(total), PAGE_SIZE)).ms);
  return { coldMs: cold.ms, warmMs: median(warm), rows: cold.result.rows.length };
}

interface ExportResult {
  items: number;
  ms: number;
  bytes: number;
  maxRssKb: number;
}

async function exportChild(storageDir: string, format: ExportFormat, outFile: string): Promise<ExportResult> {
  const reader = new StorageReader(storageDir);
  const started = process.hrtime.bigint();
  const items = await exportDatasetToFile(() => reader.datasetItems(DATASET_ID), format, outFile, { title: 'Bench' });
  const result = { items, ms: Number(process.hrtime.bigint() - started) / 1e6, bytes: statSync(outFile).size, maxRssKb: process.resourceUsage().maxRSS };
  rmSync(outFile);
  return result;
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'greenroom-bench-views-'));
  try {
    const storageDir = join(root, 'storage');
    const dataset = datasetFolder(storageDir, DATASET_ID);
    const datasetDir = dataset.path;
    mkdirSync(datasetDir, { recursive: true });
    const file = (position: number) => join(datasetDir, itemFile(position - 1));
    let datasetBytes = 0;
    const sizes: number[] = [];
    const generation = timedMs(() => {
      for (let i = 1; i <= ITEMS; i++) {
        if (i <= DISTINCT_ITEMS) {
          const text = JSON.stringify(item(i));
          sizes.push(Buffer.byteLength(text));
          writeFileSync(file(i), text);
        } else {
          linkSync(file(((i - 1) % DISTINCT_ITEMS) + 1), file(i));
        }
        datasetBytes += sizes[(i - 1) % DISTINCT_ITEMS];
      }
    });
    console.log(
      `Generated ${thousands(ITEMS)} item files (${thousands(DISTINCT_ITEMS)} distinct, the rest hard links; ${(datasetBytes / 1e6).toFixed(0)} MB of JSON) ` +
        `in ${(generation.ms / 1000).toFixed(1)} s (not counted)\n`,
    );

    console.log(`First page (${PAGE_SIZE} rows); cold: first read in a fresh process (median of ${COLD_PROCESSES}); warm: median of ${WARM_READS} reads`);
    for (const name of Object.keys(PAGE_CASES)) {
      const timings = Array.from({ length: COLD_PROCESSES }, () => child<PageTiming>(['page', storageDir, name]));
      console.log(`  ${name.padEnd(30)} cold ${ms(median(timings.map((t) => t.coldMs))).padStart(9)}   warm ${ms(median(timings.map((t) => t.warmMs))).padStart(9)}   (${timings[0].rows} rows)`);
    }

    const fast = Array.from({ length: COUNT_ROUNDS }, () => timedMs(() => fastItemCount(dataset)));
    const listed = Array.from({ length: COUNT_ROUNDS }, () => timedMs(() => datasetItemCount(dataset)));
    if (fast[0].result !== ITEMS || listed[0].result !== ITEMS) throw new Error(`counts disagree: fastItemCount ${fast[0].result}, datasetItemCount ${listed[0].result}, generated ${ITEMS}`);
    const fastMs = median(fast.map((t) => t.ms));
    const listedMs = median(listed.map((t) => t.ms));
    console.log(`\nItem count (median of ${COUNT_ROUNDS}): fastItemCount ${ms(fastMs)}, datasetItemCount (listing) ${ms(listedMs)}: ${thousands(listedMs / fastMs)}× faster\n`);

    console.log(`Export of ${thousands(ITEMS)} items, one process per format (reads ${(datasetBytes / 1e6).toFixed(0)} MB of item files)`);
    for (const format of EXPORT_FORMATS) {
      const result = child<ExportResult>(['export', storageDir, format, join(root, `export.${format}`)]);
      if (result.items !== ITEMS) throw new Error(`${format}: exported ${result.items} items, expected ${ITEMS}`);
      const seconds = result.ms / 1000;
      console.log(
        `  ${format.padEnd(6)} ${(seconds.toFixed(1) + ' s').padStart(7)}  ${thousands(ITEMS / seconds).padStart(8)} items/s  ` +
          `${(datasetBytes / 1e6 / seconds).toFixed(1).padStart(5)} MB/s read  ${(result.bytes / 1e6 / seconds).toFixed(1).padStart(5)} MB/s written ` +
          `(${(result.bytes / 1e6).toFixed(0)} MB)  peak RSS ${(result.maxRssKb / 1024).toFixed(0)} MB`,
      );
    }
  } finally {
    const removal = timedMs(() => rmSync(root, { recursive: true, force: true }));
    console.log(`\nRemoved the temporary dataset (${(removal.ms / 1000).toFixed(1)} s)`);
  }
}

async function runChild([kind, ...args]: string[]): Promise<unknown> {
  if (kind === 'page') return pageChild(args[0], args[1]);
  if (kind === 'export') return exportChild(args[0], args[1] as ExportFormat, args[2]);
  throw new Error(`Unknown bench child "${kind}"`);
}

const childArgs = process.argv.slice(2);
(childArgs.length ? runChild(childArgs).then((result) => process.stdout.write(JSON.stringify(result))) : main()).catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
