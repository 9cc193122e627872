/**
 * Dataset export in the platform's formats, streamed: items are read one at a time and written with
 * back-pressure, so a 1,000,000-item dataset never sits in memory. Formats that need the column set up front
 * (CSV, HTML, xlsx) read the items twice: once for the union of (flattened) keys, once to write the rows.
 * No `vscode` import: the extension's Export Dataset… and `greenroom items --format` both use it.
 */
import { once } from 'node:events';
import { createWriteStream, rmSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { collectColumns, flattenItem, scalarText } from './flatten';
import type * as XlsxExport from './xlsxExport';

import type { ExportFormat } from './formats';

export { EXPORT_FORMATS, isExportFormat } from './formats';
export type { ExportFormat } from './formats';
type TextFormat = Exclude<ExportFormat, 'xlsx'>;

/** Formats written as bytes rather than text: nothing to show on a terminal. */
export function isBinaryFormat(format: ExportFormat): boolean {
  return format === 'xlsx';
}

export interface ExportOptions {
  /** Title of the HTML page or RSS channel, or of the xlsx workbook. */
  title?: string;
}

/** Reads the dataset's items in order; called once, or twice for formats that need the columns first. */
export type ItemSource = () => Iterable<unknown>;

/** Writes every item in `format` to `out` (which is not ended); resolves with the number of items written. */
export async function exportDataset(items: ItemSource, format: ExportFormat, out: Writable, options: ExportOptions = {}): Promise<number> {
  const title = options.title ?? 'Dataset';
  const columns = format === 'csv' || format === 'html' || format === 'xlsx' ? collectColumns(items()) : [];
  if (format === 'xlsx') return loadXlsxExport().writeXlsx(items(), columns, out, title);
  const sink = new BufferedSink(out);
  let count = 0;
  await sink.write(HEADERS[format](columns, title));
  for (const item of items()) {
    await sink.write(ROW[format](item, columns, count));
    count++;
  }
  await sink.write(FOOTERS[format]());
  await sink.flush();
  return count;
}

/**
 * Writes every item in `format` to a new file at `file`; resolves with the number of items written once the file is
 * complete. On failure nothing is left behind: half an export is of no use (an xlsx without its zip directory does not
 * even open).
 */
export async function exportDatasetToFile(items: ItemSource, format: ExportFormat, file: string, options: ExportOptions = {}): Promise<number> {
  const out = createWriteStream(file);
  try {
    // A path that cannot be written fails here, before any item is read, rather than as an unhandled 'error' later.
    await once(out, 'open');
    const count = await exportDataset(items, format, out, options);
    out.end();
    await finished(out);
    return count;
  } catch (error) {
    const created = !out.pending;
    out.destroy();
    if (created) rmSync(file, { force: true });
    throw error;
  }
}

/**
 * exceljs's writer is ~0.7 MB minified and ~45 ms to load, so it stays out of the extension's and the CLI's bundles: the
 * xlsx writer is a bundle of its own beside them (dist/xlsxExport.js, kept external by scripts/build.mjs), loaded on the
 * first xlsx export. Under tsc's output (out/, the unit tests) the same relative path finds xlsxExport.js beside this file.
 */
function loadXlsxExport(): typeof XlsxExport {
  return require('./xlsxExport.js') as typeof XlsxExport;
}

type Header = (columns: string[], title: string) => string;
type Row = (item: unknown, columns: string[], index: number) => string;

const HEADERS: Record<TextFormat, Header> = {
  json: () => '[',
  jsonl: () => '',
  csv: (columns) => columns.map(csvCell).join(',') + '\r\n',
  xml: () => '<?xml version="1.0" encoding="UTF-8"?>\n<items>\n',
  html: (columns, title) =>
    `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escapeXml(title)}</title></head><body>\n<table>\n<tr>${columns
      .map((c) => `<th>${escapeXml(c)}</th>`)
      .join('')}</tr>\n`,
  rss: (_, title) => `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n<title>${escapeXml(title)}</title>\n`,
};

const ROW: Record<TextFormat, Row> = {
  json: (item, _, index) => `${index === 0 ? '\n' : ',\n'}${JSON.stringify(item)}`,
  jsonl: (item) => JSON.stringify(item) + '\n',
  csv: (item, columns) => {
    const flat = flattenItem(item);
    return columns.map((c) => csvCell(flat[c])).join(',') + '\r\n';
  },
  xml: (item) => `<item>${xmlChildren(item)}</item>\n`,
  html: (item, columns) => {
    const flat = flattenItem(item);
    return `<tr>${columns.map((c) => `<td>${escapeXml(scalarText(flat[c]))}</td>`).join('')}</tr>\n`;
  },
  rss: (item) => `<item>${xmlChildren(item)}</item>\n`,
};

const FOOTERS: Record<TextFormat, () => string> = {
  json: () => '\n]\n',
  jsonl: () => '',
  csv: () => '',
  xml: () => '</items>\n',
  html: () => '</table>\n</body></html>\n',
  rss: () => '</channel>\n</rss>\n',
};

function csvCell(value: unknown): string {
  const text = scalarText(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`);
}

/** Keys that are not valid XML names (`2nd`, `a b`) become `_2nd`, `a_b`. */
function xmlName(key: string): string {
  const name = key.replace(/[^A-Za-z0-9_.-]/g, '_');
  return /^[A-Za-z_]/.test(name) ? name : `_${name}`;
}

function xmlChildren(value: unknown): string {
  if (value === null || typeof value !== 'object') return escapeXml(scalarText(value));
  if (Array.isArray(value)) return value.map((child) => `<item>${xmlChildren(child)}</item>`).join('');
  return Object.entries(value)
    .map(([key, child]) => `<${xmlName(key)}>${xmlChildren(child)}</${xmlName(key)}>`)
    .join('');
}

/** Gathers small strings into ~64 KB writes and waits for `drain` when the stream asks for it. */
class BufferedSink {
  private chunks: string[] = [];
  private size = 0;

  constructor(private readonly out: Writable) {}

  async write(text: string): Promise<void> {
    if (!text) return;
    this.chunks.push(text);
    this.size += text.length;
    if (this.size >= 65_536) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.chunks.length) return;
    const data = this.chunks.join('');
    this.chunks = [];
    this.size = 0;
    if (!this.out.write(data)) {
      await new Promise<void>((resolve, reject) => {
        const onError = (error: Error) => {
          this.out.off('drain', onDrain);
          reject(error);
        };
        const onDrain = () => {
          this.out.off('error', onError);
          resolve();
        };
        this.out.once('drain', onDrain).once('error', onError);
      });
    }
  }
}
