/**
 * Dataset export to Excel (xlsx) with exceljs's streaming writer: one row committed per item, so neither the items
 * nor the rows stay in memory. exceljs's writer is large (~0.7 MB bundled), so this module is a bundle of its
 * own (dist/xlsxExport.js, see scripts/build.mjs) that datasetExport.ts loads only when an xlsx export starts.
 */
import type { CellValue, Worksheet } from 'exceljs';
import WorkbookWriter from 'exceljs/lib/stream/xlsx/workbook-writer';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { flattenItem, scalarText } from './flatten';

/** Excel's specifications and limits: rows per sheet (the header row included), columns per sheet, characters per cell. */
export const EXCEL_LIMITS = { rowsPerSheet: 1_048_576, columns: 16_384, cellCharacters: 32_767 };
type ExcelLimits = typeof EXCEL_LIMITS;

const SHEET_NAME = 'Items';
/** Sheet XML allowed to wait for compression before the next row: enough to keep zlib busy while rows are made. */
const MAX_PENDING_BYTES = 256 * 1024;

/**
 * Writes `items` as one sheet with a header row of `columns` (flattened keys) and one row per item; datasets longer
 * than a sheet continue on "Items 2", "Items 3"… each with the header again. Longer cells are cut, with a note at the
 * end. More columns than a sheet holds is an error, raised before anything is written. Resolves with the item count.
 */
export async function writeXlsx(items: Iterable<unknown>, columns: string[], out: Writable, title: string, limits: ExcelLimits = EXCEL_LIMITS): Promise<number> {
  if (columns.length > limits.columns) {
    throw new Error(
      `The dataset has ${columns.length} columns once nested values are flattened, more than the ${limits.columns} an Excel sheet holds: export it as CSV or JSON instead`,
    );
  }
  const workbook = new WorkbookWriter({ stream: openEndedView(out), useSharedStrings: false, useStyles: false });
  workbook.creator = 'Greenroom';
  workbook.title = title;
  const failed = failure(out, (workbook as unknown as { zip: Writable }).zip);
  try {
    let sheets = 0;
    let sheet = addSheet(workbook, columns, ++sheets);
    let input = zipEntryInput(sheet);
    let rowsInSheet = 1;
    let count = 0;
    for (const item of items) {
      if (rowsInSheet === limits.rowsPerSheet) {
        sheet.commit();
        sheet = addSheet(workbook, columns, ++sheets);
        input = zipEntryInput(sheet);
        rowsInSheet = 1;
      }
      const row = sheet.addRow([]);
      const flat = flattenItem(item);
      columns.forEach((column, index) => {
        const value = cellValue(flat[column], limits.cellCharacters);
        if (value !== null) row.getCell(index + 1).value = value;
      });
      row.commit();
      rowsInSheet++;
      count++;
      if (input._writableState.length >= MAX_PENDING_BYTES) await Promise.race([once(input, 'drain'), failed.promise]);
    }
    await Promise.race([workbook.commit(), failed.promise]);
    return count;
  } finally {
    failed.dispose();
  }
}

function addSheet(workbook: InstanceType<typeof WorkbookWriter>, columns: string[], number: number): Worksheet {
  const sheet = workbook.addWorksheet(number === 1 ? SHEET_NAME : `${SHEET_NAME} ${number}`, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(columns).commit();
  return sheet;
}

/** Numbers and booleans keep their type; strings and nested values (as JSON) become text; null and undefined stay empty. */
function cellValue(value: unknown, maxCharacters: number): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return fitCell(scalarText(value), maxCharacters);
}

/** Text longer than a cell holds is cut (never inside a surrogate pair) and ends with a note giving its full length. */
function fitCell(text: string, maxCharacters: number): string {
  if (text.length <= maxCharacters) return text;
  const note = ` … [truncated, ${text.length} characters in full]`;
  let end = maxCharacters - note.length;
  if (/[\uD800-\uDBFF]/.test(text[end - 1])) end--;
  return text.slice(0, end) + note;
}

/**
 * exceljs writes a sheet into a buffer of its own that forwards each 64 KB block to archiver's input stream for the zip
 * entry, ignoring back-pressure; archiver then compresses and writes on with back-pressure. Waiting for that input to
 * drain once it holds MAX_PENDING_BYTES is what keeps memory bounded. Not in exceljs's typings: checked when a sheet
 * is added, so that an exceljs upgrade fails loudly.
 */
interface ZipEntryInput extends NodeJS.EventEmitter {
  _writableState: { length: number };
}

function zipEntryInput(sheet: Worksheet): ZipEntryInput {
  const input = (sheet as unknown as { stream?: { pipes?: Partial<ZipEntryInput>[] } }).stream?.pipes?.[0];
  if (typeof input?._writableState?.length !== 'number') {
    throw new Error('exceljs no longer feeds its sheet stream into a zip entry stream: update src/storage/export/xlsxExport.ts');
  }
  return input as ZipEntryInput;
}

/**
 * exceljs ends the stream it writes to and waits for its 'finish'; `out` belongs to the caller (it may be stdout) and
 * stays open: exceljs gets a view that passes the bytes on with back-pressure and finishes on its own.
 */
function openEndedView(out: Writable): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (out.write(chunk)) done();
      else out.once('drain', () => done());
    },
  });
}

/** Rejects when `out` or the zip stream fails, so that no wait for 'drain' outlives a broken destination. */
function failure(...streams: NodeJS.EventEmitter[]): { promise: Promise<never>; dispose(): void } {
  let onError: (error: Error) => void = () => undefined;
  const promise = new Promise<never>((_, reject) => (onError = reject));
  promise.catch(() => undefined); // raced on every await; never left unhandled in between
  for (const stream of streams) stream.on('error', onError);
  return { promise, dispose: () => streams.forEach((stream) => stream.off('error', onError)) };
}
