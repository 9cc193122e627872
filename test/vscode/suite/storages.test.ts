// Storages in the real VS Code: key-value records previewed in place (JSON and HTML as read-only text, images in the
// image preview, binary as its size), Save Record As…, a request queue listed page by page, named storages. The
// storages are written into the workspace by the suite itself, as an Actor's SDK lays them out.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import * as zlib from 'zlib';
import { DrawnItem, TEST_HOOKS } from '../../../src/extension/testHooks';
import type { ViewerSnapshot, ViewerTestAction } from '../../../src/webviewProtocols/datasetViewer';
import { activateExtension, screenshot, waitFor, workspaceRoot } from './helpers';
import { runRecordFixture } from '../../unit/runRecordFixture';

/** A 96×64 PNG of colour stripes (big enough to see in the screenshot), made here: no image library needed. */
const PIXEL_PNG = stripesPng(96, 64);

function stripesPng(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const colours = [[220, 60, 60], [60, 160, 90], [60, 110, 220]];
  const rows = Array.from({ length: height }, () => Buffer.from([0, ...Array.from({ length: width }, (_, x) => colours[Math.floor((x * 3) / width)]).flat()]));
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}
const HTML_PAGE = '<!DOCTYPE html>\n<html><body><h1>Scraped</h1><script>document.title = "ran"</script></body></html>\n';
const STORE = 'suite-preview';
const QUEUE = 'suite-queue';
const NAMED_DATASET = 'suite-named-products';
const REQUESTS = 120;

function storagesView(expandIds: string[] = []): Promise<DrawnItem[]> {
  return Promise.resolve(vscode.commands.executeCommand<DrawnItem[]>(TEST_HOOKS.storagesView, expandIds));
}

/** The active tab, once it shows `uri`. */
function activeTabFor(uri: string): vscode.Tab | undefined {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  const input = tab?.input as { uri?: vscode.Uri } | undefined;
  return input?.uri?.toString() === uri ? tab : undefined;
}

describe('storages: record previews, Save As, request queues, named storages', function () {
  let actorRoot: string;
  let storageDir: string;
  let storeDir: string;
  let queueDir: string;
  let namedDir: string;
  let saveDir: string;
  const record = (name: string, contentType: string) => ({ storageDir, storeId: STORE, name, key: name.replace(/\.[^.]+$/, ''), file: path.join(storeDir, name), contentType });

  before(async () => {
    await activateExtension();
    actorRoot = workspaceRoot().fsPath;
    storageDir = path.join(actorRoot, 'storage');
    storeDir = path.join(storageDir, 'key_value_stores', STORE);
    queueDir = path.join(storageDir, 'request_queues', QUEUE);
    fs.mkdirSync(storeDir, { recursive: true });
    fs.writeFileSync(path.join(storeDir, 'OUTPUT.json'), JSON.stringify({ title: 'Scraped', count: 3 }, null, 2));
    fs.writeFileSync(path.join(storeDir, 'page.html'), HTML_PAGE);
    fs.writeFileSync(path.join(storeDir, 'pixel.png'), PIXEL_PNG);
    fs.writeFileSync(path.join(storeDir, 'blob.bin'), Buffer.from([0, 1, 2, 3, 255]));
    // The Python SDK's record: the bare key, its content type in the metadata file.
    fs.writeFileSync(path.join(storeDir, 'py-state'), JSON.stringify({ page: 7 }));
    fs.writeFileSync(path.join(storeDir, 'py-state.__metadata__.json'), JSON.stringify({ key: 'py-state', content_type: 'application/json' }));
    // Crawlee's (JS) request files: the whole request in `json`, orderNo null once handled.
    fs.mkdirSync(queueDir, { recursive: true });
    for (let i = 0; i < REQUESTS; i++) {
      const id = `req${String(i).padStart(4, '0')}`;
      const url = `https://example.com/page/${i}`;
      const failed = i === 1 ? { retryCount: 2, errorMessages: ['timeout', 'HTTP 503 Service Unavailable'] } : {};
      const request = { id, url, uniqueKey: url, method: i === 2 ? 'POST' : 'GET', ...failed, ...(i % 3 === 0 && { handledAt: '2026-01-01T00:00:00.000Z' }) };
      fs.writeFileSync(path.join(queueDir, `${id}.json`), JSON.stringify({ id, json: JSON.stringify(request), method: request.method, orderNo: i % 3 === 0 ? null : i + 1, retryCount: request.retryCount ?? 0, uniqueKey: url, url }, null, '\t'));
    }
    // A named storage at home: in the Actor's run storage root, owned by no run.
    namedDir = path.join(actorRoot, '.greenroom', 'storage', 'datasets', NAMED_DATASET);
    fs.mkdirSync(namedDir, { recursive: true });
    fs.writeFileSync(path.join(namedDir, '000000001.json'), JSON.stringify({ product: 'lamp' }));
    saveDir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-save-as-'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const dir of [storeDir, queueDir, namedDir, saveDir]) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens a JSON record in place, read-only', async () => {
    const result = await vscode.commands.executeCommand<{ shown: string; uri: string }>('greenroom.openRecord', record('OUTPUT.json', 'application/json; charset=utf-8'));
    assert.strictEqual(result?.shown, 'text');
    const editor = await waitFor('the record in an editor', () => (vscode.window.activeTextEditor?.document.uri.toString() === result.uri ? vscode.window.activeTextEditor : undefined));
    assert.strictEqual(editor.document.uri.scheme, 'greenroom-storage');
    assert.strictEqual(editor.document.languageId, 'json');
    assert.deepStrictEqual(JSON.parse(editor.document.getText()), { title: 'Scraped', count: 3 });
    assert.strictEqual(vscode.workspace.fs.isWritableFileSystem('greenroom-storage'), false, 'the document is read-only');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(editor.document.uri, Buffer.from('{}'))));
    assert.strictEqual(fs.readFileSync(path.join(storeDir, 'OUTPUT.json'), 'utf8'), JSON.stringify({ title: 'Scraped', count: 3 }, null, 2), 'the record is unchanged');
    await screenshot('storages-json-record');
  });

  it('opens a Python SDK record (a bare key) as JSON, its type from its metadata, from the Storages view', async () => {
    const storeNodeId = `kvs:${storageDir}:${STORE}`;
    const rows = await waitFor('the store\'s records in the Storages view', async () => {
      const drawn = (await storagesView([storeNodeId])).filter((item) => item.parent === STORE);
      return drawn.some((item) => item.label === 'py-state') ? drawn : undefined;
    });
    const row = rows.find((item) => item.label === 'py-state')!;
    assert.match(row.description ?? '', /^application\/json · /);
    assert.strictEqual(row.command, 'greenroom.openRecord');
    const result = await vscode.commands.executeCommand<{ shown: string; uri: string }>('greenroom.openRecord', record('py-state', 'application/json'));
    const editor = await waitFor('the Python record in an editor', () => (vscode.window.activeTextEditor?.document.uri.toString() === result?.uri ? vscode.window.activeTextEditor : undefined));
    assert.strictEqual(editor.document.languageId, 'json');
    assert.deepStrictEqual(JSON.parse(editor.document.getText()), { page: 7 });
  });

  it('shows an HTML record as text, never rendered', async () => {
    const result = await vscode.commands.executeCommand<{ shown: string; uri: string }>('greenroom.openRecord', record('page.html', 'text/html; charset=utf-8'));
    assert.strictEqual(result?.shown, 'text');
    const editor = await waitFor('the HTML record in an editor', () => (vscode.window.activeTextEditor?.document.uri.toString() === result.uri ? vscode.window.activeTextEditor : undefined));
    assert.strictEqual(editor.document.languageId, 'html');
    assert.strictEqual(editor.document.getText(), HTML_PAGE);
    assert.ok(vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputText, 'a text editor, not a webview');
  });

  it('opens an image record in the image preview', async () => {
    const result = await vscode.commands.executeCommand<{ shown: string; uri: string }>('greenroom.openRecord', record('pixel.png', 'image/png'));
    assert.strictEqual(result?.shown, 'image');
    const tab = await waitFor('the image preview', () => activeTabFor(result.uri));
    assert.ok(tab.input instanceof vscode.TabInputCustom && tab.input.viewType === 'imagePreview.previewEditor', `opened in ${JSON.stringify(tab.input)}`);
    await screenshot('storages-image-record');
  });

  it('says a binary record is binary, with its size, instead of opening it', async () => {
    const result = await vscode.commands.executeCommand<{ shown: string }>('greenroom.openRecord', record('blob.bin', 'application/octet-stream'));
    assert.strictEqual(result?.shown, 'binary');
  });

  it('Save Record As… copies a record to the chosen file, from its row, its preview and the palette', async () => {
    const fromRow = path.join(saveDir, 'pixel-copy.png');
    assert.strictEqual(await vscode.commands.executeCommand('greenroom.saveRecordAs', record('pixel.png', 'image/png'), { file: fromRow }), fromRow);
    assert.ok(fs.readFileSync(fromRow).equals(PIXEL_PNG));

    const opened = await vscode.commands.executeCommand<{ uri: string }>('greenroom.openRecord', record('page.html', 'text/html'));
    const fromPreview = path.join(saveDir, 'page-copy.html');
    assert.strictEqual(await vscode.commands.executeCommand('greenroom.saveRecordAs', vscode.Uri.parse(opened.uri), { file: fromPreview }), fromPreview);
    assert.strictEqual(fs.readFileSync(fromPreview, 'utf8'), HTML_PAGE);

    // From the palette: the record the active tab shows, here the image preview.
    const image = await vscode.commands.executeCommand<{ uri: string }>('greenroom.openRecord', record('pixel.png', 'image/png'));
    await waitFor('the image preview', () => activeTabFor(image.uri));
    const fromPalette = path.join(saveDir, 'pixel-from-palette.png');
    assert.strictEqual(await vscode.commands.executeCommand('greenroom.saveRecordAs', undefined, { file: fromPalette }), fromPalette);
    assert.ok(fs.readFileSync(fromPalette).equals(PIXEL_PNG));
  });

  it('lists a request queue\'s requests (URL, method, state, retries, last error) a page at a time', async () => {
    const queueId = `rq:${storageDir}:${QUEUE}`;
    const queueRow = await waitFor('the request queue in the Storages view', async () => (await storagesView()).find((item) => item.id === queueId));
    assert.strictEqual(queueRow.description, '80 pending · 40 handled');
    const requests = async () => (await storagesView([queueId])).filter((item) => item.parent === queueRow.label && item.id === undefined);
    const firstPage = await requests();
    assert.strictEqual(firstPage.length, 101, 'a page of 100 and "Show more"');
    assert.deepStrictEqual(
      firstPage.slice(0, 3).map((item) => [item.label, item.description]),
      [
        ['https://example.com/page/0', 'GET · handled'],
        ['https://example.com/page/1', 'GET · pending · 2 retries · HTTP 503 Service Unavailable'],
        ['https://example.com/page/2', 'POST · pending'],
      ],
    );
    assert.match(firstPage[1].tooltip ?? '', /Last error: HTTP 503 Service Unavailable/);
    assert.strictEqual(firstPage[100].label, 'Show 20 more (100 of 120 requests)');
    await vscode.commands.executeCommand('greenroom.dataset._showMoreItems', queueDir);
    const all = await requests();
    assert.strictEqual(all.length, REQUESTS);
    assert.strictEqual(all[REQUESTS - 1].label, `https://example.com/page/${REQUESTS - 1}`);
  });

  it('opens a request queue in the viewer: requests by position, paged like a dataset\'s items, read-only', async () => {
    const folder = await vscode.commands.executeCommand<string>('greenroom.openRequestQueue', { actorRoot, storageDir, id: QUEUE });
    assert.strictEqual(folder, queueDir);
    const snapshot = () => Promise.resolve(vscode.commands.executeCommand<ViewerSnapshot>(TEST_HOOKS.datasetViewer, queueDir, { kind: 'snapshot' }));
    const act = async (action: ViewerTestAction) => assert.strictEqual(await vscode.commands.executeCommand(TEST_HOOKS.datasetViewer, queueDir, action), true, JSON.stringify(action));
    const shown = (range: string) => waitFor(`the queue viewer showing ${range}`, async () => {
      const drawn = await snapshot().catch(() => undefined);
      return drawn?.settled && drawn.range === range ? drawn : undefined;
    });
    const first = await shown('Requests 1–100 of 120');
    assert.strictEqual(first.title, 'Request queue suite-queue');
    assert.deepStrictEqual(first.tabs, [], 'no views');
    assert.deepStrictEqual(first.headers, ['#', 'URL', 'Method', 'State', 'Retries', 'Last error']);
    assert.deepStrictEqual(first.rows.slice(0, 3), [
      ['1', 'https://example.com/page/0', 'GET', 'handled', '0', ''],
      ['2', 'https://example.com/page/1', 'GET', 'pending', '2', 'HTTP 503 Service Unavailable'],
      ['3', 'https://example.com/page/2', 'POST', 'pending', '0', ''],
    ]);
    await screenshot('storages-request-queue');
    await act({ kind: 'page', control: 'next' });
    const second = await shown('Requests 101–120 of 120');
    assert.deepStrictEqual(second.rows[19].slice(0, 2), ['120', 'https://example.com/page/119']);
    await act({ kind: 'goToItem', itemNumber: 2 });
    await shown('Requests 1–100 of 120');
    await act({ kind: 'openRow', itemNumber: 2 });
    const editor = await waitFor('the request in an editor', () => (vscode.window.activeTextEditor?.document.uri.fsPath.endsWith('req0001.json') ? vscode.window.activeTextEditor : undefined));
    assert.strictEqual(editor.document.uri.scheme, 'greenroom-storage', 'read-only');
    assert.strictEqual(JSON.parse(editor.document.getText()).url, 'https://example.com/page/1');
  });

  it('lists a finished run\'s alias storages under the run, by alias, and not among the named storages', async () => {
    const runId = 'StoragesAliasRun01';
    const runStorage = path.join(actorRoot, '.greenroom', 'storage');
    const ids = { dataset: `D${runId}`, store: `K${runId}`, queue: `Q${runId}`, alias: `A${runId}` };
    fs.mkdirSync(path.join(runStorage, 'datasets', ids.alias), { recursive: true });
    fs.writeFileSync(path.join(runStorage, 'datasets', ids.alias, '000000001.json'), JSON.stringify({ product: 'desk' }));
    const runFile = path.join(actorRoot, '.greenroom', 'runs', `${runId}.json`);
    const started = Date.parse('2026-12-01T09:00:00.000Z');
    const record = runRecordFixture(
      runId,
      runStorage,
      {
        actId: 'hello-actor',
        startedAt: new Date(started).toISOString(),
        finishedAt: new Date(started + 5000).toISOString(),
        meta: { origin: 'DEVELOPMENT' },
        options: { build: 'latest', timeoutSecs: 3600, memoryMbytes: 512 },
        stats: { runTimeSecs: 5, durationMillis: 5000, resurrectCount: 0, restartCount: 0 },
        storageIds: { datasets: { default: ids.dataset, products: ids.alias }, keyValueStores: { default: ids.store }, requestQueues: { default: ids.queue } },
      },
      { runNumber: 40 },
    );
    fs.writeFileSync(runFile, JSON.stringify(record));
    fs.writeFileSync(path.join(actorRoot, '.greenroom', 'runs', `${runId}.log`), '');
    try {
      const runNode = `runStorages:${actorRoot}:${runId}`;
      const items = await waitFor('the run\'s storages in the Storages view', async () => {
        const drawn = await storagesView([runNode]);
        return drawn.some((item) => item.label === 'Dataset "products"') ? drawn : undefined;
      });
      const alias = items.find((item) => item.label === 'Dataset "products"')!;
      assert.match(alias.description ?? '', /^1 item( · |$)/, 'its count, then when it last changed');
      assert.strictEqual(alias.parent, items.find((item) => item.id === runNode)?.label);
      assert.ok(!items.some((item) => item.label === ids.alias), 'an alias storage is the run\'s, not a named one');
    } finally {
      fs.rmSync(runFile, { force: true });
      fs.rmSync(path.join(actorRoot, '.greenroom', 'runs', `${runId}.log`), { force: true });
      fs.rmSync(path.join(runStorage, 'datasets', ids.alias), { recursive: true, force: true });
    }
  });

  it('shows named storages, not only the runs\' default ones', async () => {
    const items = await waitFor('the named storages', async () => {
      const drawn = await storagesView();
      return drawn.some((item) => item.label === NAMED_DATASET) ? drawn : undefined;
    });
    const index = items.findIndex((item) => item.label === NAMED_DATASET);
    assert.match(items[index].description ?? '', /^1 item( · |$)/, 'its count, then when it last changed');
    // Drawn under Named storages › Datasets (not under the shared storage/ or a run).
    const root = items.slice(0, index).reverse().find((item) => item.parent === undefined || item.contextValue?.endsWith('Storages') || item.contextValue === 'greenroom.sharedStorage');
    assert.strictEqual(root?.label, 'Named storages');
  });
});
