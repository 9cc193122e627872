import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Workbook } from 'exceljs';
import { main } from '../../../src/cli/main';
import { exportDataset } from '../../../src/storage/export/datasetExport';
import { collectColumns } from '../../../src/storage/export/flatten';
import { EXCEL_LIMITS, writeXlsx } from '../../../src/storage/export/xlsxExport';
import { actorWithFinishedRun } from './finishedRun';

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

/** A destination that keeps what it is given and is never ended by the export (like stdout). */
class Collector extends Writable {
  readonly chunks: Buffer[] = [];
  constructor(private readonly delayed = false) {
    super({ highWaterMark: 1024 });
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(chunk);
    if (this.delayed) setImmediate(done);
    else done();
  }
  /** Everything written, once the stream is ended (the export itself leaves it open). */
  async bytes(): Promise<Buffer> {
    this.end();
    await finished(this);
    return Buffer.concat(this.chunks);
  }
}

interface Sheet {
  name: string;
  /** Every row as cell values in column order, empty cells as null. */
  rows: unknown[][];
}

/** Reads a workbook back with exceljs's own reader. */
async function readSheets(xlsx: Buffer): Promise<{ title: string; sheets: Sheet[] }> {
  const workbook = new Workbook();
  // exceljs's typings declare a Buffer of their own (an ArrayBuffer); the reader takes a Node.js Buffer all the same.
  await workbook.xlsx.load(xlsx as unknown as ArrayBuffer);
  const sheets = workbook.worksheets.map((sheet) => {
    const rows: unknown[][] = [];
    for (let r = 1; r <= sheet.rowCount; r++) {
      const values = sheet.getRow(r).values as unknown[];
      rows.push(Array.from({ length: sheet.columnCount }, (_, c) => values[c + 1] ?? null));
    }
    return { name: sheet.name, rows };
  });
  return { title: workbook.title, sheets };
}

async function exportToBuffer(items: unknown[]): Promise<Buffer> {
  const out = new Collector();
  assert.equal(await exportDataset(() => items, 'xlsx', out, { title: 'Test dataset' }), items.length);
  assert.equal(out.writableEnded, false, 'the caller ends its stream, not the export');
  return out.bytes();
}

describe('dataset export: xlsx', () => {
  const items = [
    { id: 1, name: 'Ada', price: 9.5, inStock: true, tags: ['a', 'b'], address: { city: 'Prague' }, note: null },
    { id: 2, name: 'Bob "the" <Builder> & co', inStock: false, extra: {}, list: [], deep: { x: { y: 'z' } } },
    { id: 3 },
  ];

  it('writes the flattened columns as the header and one typed row per item, nested leftovers as JSON', async () => {
    const { title, sheets } = await readSheets(await exportToBuffer(items));
    assert.equal(title, 'Test dataset');
    assert.equal(sheets.length, 1);
    assert.equal(sheets[0].name, 'Items');
    const [header, ...rows] = sheets[0].rows;
    assert.deepEqual(header, collectColumns(items));
    assert.deepEqual(header, ['id', 'name', 'price', 'inStock', 'tags/0', 'tags/1', 'address/city', 'note', 'extra', 'list', 'deep/x/y']);
    assert.deepEqual(rows, [
      [1, 'Ada', 9.5, true, 'a', 'b', 'Prague', null, null, null, null],
      [2, 'Bob "the" <Builder> & co', null, false, null, null, null, null, '{}', '[]', 'z'],
      [3, null, null, null, null, null, null, null, null, null, null],
    ]);
  });

  it('writes to a file stream', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-xlsx-')), 'items.xlsx');
    const out = fs.createWriteStream(file);
    assert.equal(await exportDataset(() => items, 'xlsx', out), 3);
    out.end();
    await finished(out);
    const { title, sheets } = await readSheets(fs.readFileSync(file));
    assert.equal(title, 'Dataset');
    assert.equal(sheets[0].rows.length, 4);
  });

  it('writes a valid workbook with an empty sheet for an empty dataset', async () => {
    const { sheets } = await readSheets(await exportToBuffer([]));
    assert.deepEqual(sheets, [{ name: 'Items', rows: [] }]);
  });

  it('keeps up with a slow destination and writes every row', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({ i, text: `item number ${i}` }));
    const out = new Collector(true);
    assert.equal(await exportDataset(() => many, 'xlsx', out), many.length);
    const { sheets } = await readSheets(await out.bytes());
    assert.equal(sheets[0].rows.length, many.length + 1);
    assert.deepEqual(sheets[0].rows[many.length], [4999, 'item number 4999']);
  });

  it('stops reading items while the destination takes nothing, and fails with the destination\'s error', async () => {
    const total = 200_000;
    let rowsRead = 0;
    const source = function* () {
      for (let i = 0; i < total; i++) {
        rowsRead++;
        // Random text: what is held back is compressed, so repetitive items would fit by the hundred thousand.
        yield { i, text: randomBytes(32).toString('hex') };
      }
    };
    const stalled = new Writable({ highWaterMark: 1024, write: () => undefined });
    const exporting = writeXlsx(source(), ['i', 'text'], stalled, 'Stalled');
    let seen = -1;
    while (seen !== rowsRead) {
      seen = rowsRead;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // What is held back is bounded by the streams' buffers (archiver's alone holds 1 MB each way), not by the dataset.
    assert.ok(rowsRead > 0 && rowsRead < total / 2, `read ${rowsRead} of ${total} items ahead of a destination that took nothing`);
    stalled.destroy(new Error('disk full'));
    await assert.rejects(exporting, /disk full/);
  });

  it('continues on another sheet, header repeated, when a sheet is full', async () => {
    const out = new Collector();
    const five = [0, 1, 2, 3, 4].map((n) => ({ n }));
    assert.equal(await writeXlsx(five, ['n'], out, 'Five', { ...EXCEL_LIMITS, rowsPerSheet: 3 }), 5);
    const { sheets } = await readSheets(await out.bytes());
    assert.deepEqual(sheets, [
      { name: 'Items', rows: [['n'], [0], [1]] },
      { name: 'Items 2', rows: [['n'], [2], [3]] },
      { name: 'Items 3', rows: [['n'], [4]] },
    ]);
  });

  it('refuses more columns than a sheet holds before writing anything', async () => {
    const wide = Object.fromEntries(Array.from({ length: EXCEL_LIMITS.columns + 1 }, (_, i) => [`c${i}`, i]));
    const out = new Collector();
    await assert.rejects(exportDataset(() => [wide], 'xlsx', out), /16385 columns once nested values are flattened, more than the 16384 an Excel sheet holds: export it as CSV or JSON instead/);
    assert.equal(out.chunks.length, 0);
  });

  it('cuts text longer than a cell holds and says so at the end, never inside a surrogate pair', async () => {
    const fits = 'f'.repeat(EXCEL_LIMITS.cellCharacters);
    const { sheets } = await readSheets(await exportToBuffer([{ long: 'x'.repeat(40_000), fits }]));
    const [long, kept] = sheets[0].rows[1] as string[];
    assert.equal(long.length, EXCEL_LIMITS.cellCharacters);
    assert.match(long, /^x+ … \[truncated, 40000 characters in full\]$/);
    assert.equal(kept, fits);

    for (const cellCharacters of [60, 61]) {
      const out = new Collector();
      await writeXlsx([{ emoji: '😀'.repeat(50) }], ['emoji'], out, 'Emoji', { ...EXCEL_LIMITS, cellCharacters });
      const cut = (await readSheets(await out.bytes())).sheets[0].rows[1][0] as string;
      assert.ok(cut.length <= cellCharacters);
      assert.equal(Buffer.from(cut).toString(), cut, 'no lone surrogate');
      assert.match(cut, /^(😀)+ … \[truncated, 100 characters in full\]$/);
    }
  });
});

describe('greenroom items --format xlsx', () => {
  const items = [{ i: 0, greeting: 'hi' }, { i: 1, greeting: 'hello', nested: { ok: true } }, { i: 2 }];
  const expectedRows = [
    ['i', 'greeting', 'nested/ok'],
    [0, 'hi', null],
    [1, 'hello', true],
    [2, null, null],
  ];
  let root: string;
  const runId = 'xlsxTestRun000001';

  /** An Actor with one finished run whose default dataset holds `items` (no Docker needed to read it). */
  before(() => {
    ({ root } = actorWithFinishedRun({ actorSpecification: 1, name: 'items-test', version: '0.1' }, runId, items));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  /** The bundled CLI as users run it: proves dist/cli-main.js finds dist/xlsxExport.js. */
  function runCli(args: string[]): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout: Buffer.concat(stdout), stderr })));
  }

  async function runInProcess(args: string[], stdoutIsTerminal = false): Promise<{ code: number; stderr: string }> {
    let stderr = '';
    const stdout = Object.assign(new Collector(), { isTTY: stdoutIsTerminal });
    const stderrStream = new Writable({ write: (chunk, _encoding, done) => ((stderr += chunk), done()) });
    const code = await main(args, { stdout, stderr: stderrStream, cwd: root });
    return { code, stderr };
  }

  it('--output FILE writes the workbook', async () => {
    const file = path.join(root, 'items.xlsx');
    const result = await runCli(['items', runId, '--format', 'xlsx', '--output', file]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Wrote 3 items as xlsx to .*items\.xlsx/);
    const { title, sheets } = await readSheets(fs.readFileSync(file));
    assert.equal(title, `items-test run ${runId}`);
    assert.deepEqual(sheets[0].rows, expectedRows);
  });

  it('writes the workbook to stdout when it is a pipe', async () => {
    const result = await runCli(['items', runId, '--format', 'xlsx']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual((await readSheets(result.stdout)).sheets[0].rows, expectedRows);
  });

  it('refuses to write xlsx to a terminal', async () => {
    const result = await runInProcess(['items', runId, '--format', 'xlsx'], true);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /xlsx is a binary format and stdout is a terminal: give --output FILE, or redirect stdout to a file or a pipe/);
  });

  it('reports a file it cannot write, and leaves no half-written file behind', async () => {
    const missingDir = await runInProcess(['items', runId, '--format', 'xlsx', '--output', path.join(root, 'no', 'such', 'dir.xlsx')]);
    assert.equal(missingDir.code, 1);
    assert.match(missingDir.stderr, /could not export the dataset as xlsx: ENOENT/);

    const wide = path.join(root, '.greenroom', 'storage', 'datasets', 'default', '000000004.json');
    fs.writeFileSync(wide, JSON.stringify(Object.fromEntries(Array.from({ length: EXCEL_LIMITS.columns + 1 }, (_, i) => [`c${i}`, i]))));
    try {
      const tooWide = await runInProcess(['items', runId, '--format', 'xlsx', '--output', path.join(root, 'wide.xlsx')]);
      assert.equal(tooWide.code, 1);
      assert.match(tooWide.stderr, /could not export the dataset as xlsx: The dataset has 16388 columns/);
      assert.equal(fs.existsSync(path.join(root, 'wide.xlsx')), false);
    } finally {
      fs.rmSync(wide);
    }
  });
});

describe('xlsx export bundle', () => {
  it('keeps exceljs out of the extension and CLI bundles, which load dist/xlsxExport.js on demand', () => {
    for (const bundle of ['extension.js', 'cli-main.js']) {
      const code = fs.readFileSync(path.join(REPO_ROOT, 'dist', bundle), 'utf8');
      assert.ok(!code.includes('WorkbookWriter'), `${bundle} contains exceljs`);
      assert.ok(code.includes('require("./xlsxExport.js")'), `${bundle} does not load ./xlsxExport.js`);
    }
    assert.ok(fs.readFileSync(path.join(REPO_ROOT, 'dist', 'xlsxExport.js'), 'utf8').includes('WorkbookWriter'));
  });
});
