// The dataset viewer in the real VS Code: opened by its command on datasets this suite writes into the workspace
// (so it needs no other suite's run), driven and read through the webview itself (the test hook posts messages the
// page answers from its DOM, clicking its own controls), then on the dataset of a real run of the example Actor.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ViewerSnapshot, ViewerTestAction } from '../../../src/webviewProtocols/datasetViewer';
import { TEST_HOOKS } from '../../../src/extension/testHooks';
import { DOCKER_WAIT_CEILING_MS, WAIT_CEILING_MS, activateExtension, screenshot, waitFor, workspaceRoot } from './helpers';

const NAMES = ['Ada', 'Linus', 'Grace', 'Alan', 'Barbara'];

function hook<T>(datasetDir: string, action: ViewerTestAction): Promise<T> {
  return Promise.resolve(vscode.commands.executeCommand<T>(TEST_HOOKS.datasetViewer, datasetDir, action));
}

async function viewerWhen(datasetDir: string, what: string, test: (snapshot: ViewerSnapshot) => boolean, timeoutMs?: number): Promise<ViewerSnapshot> {
  let last: ViewerSnapshot | undefined;
  return waitFor(what, async () => {
    last = (await hook<ViewerSnapshot>(datasetDir, { kind: 'snapshot' }).catch(() => undefined)) ?? last;
    return last?.settled && test(last) ? last : undefined;
  }, timeoutMs).catch((error: Error) => {
    throw new Error(`${error.message}; the viewer showed ${JSON.stringify(last)}`);
  });
}

async function act(datasetDir: string, action: ViewerTestAction): Promise<void> {
  assert.strictEqual(await hook<boolean>(datasetDir, action), true, `the viewer could not do ${JSON.stringify(action)}`);
}

function writeItems(datasetDir: string, from: number, items: unknown[]): void {
  fs.mkdirSync(datasetDir, { recursive: true });
  items.forEach((item, i) => fs.writeFileSync(path.join(datasetDir, `${String(from + i).padStart(9, '0')}.json`), JSON.stringify(item, null, 2)));
}

function greeting(position: number): Record<string, unknown> {
  const name = `${NAMES[(position - 1) % NAMES.length]} ${position}`;
  return { name, greeting: `Hello, ${name}!`, letters: name.replace(/\W/g, '').length, extra: { source: 'greenroom' } };
}

/** A small coloured square as an SVG data URL: a thumbnail that loads without a network. */
function swatch(hue: number): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="64"><rect width="96" height="64" fill="hsl(${hue},65%,55%)"/><circle cx="48" cy="32" r="16" fill="white" fill-opacity="0.6"/></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

const FORMATS_SCHEMA = {
  actorSpecification: 1,
  title: 'Products',
  fields: {
    type: 'object',
    properties: {
      title: { type: 'string' },
      url: { type: 'string' },
      image: { type: 'string' },
      price: { type: 'number' },
      inStock: { type: 'boolean' },
      updatedAt: { type: 'string' },
      tags: { type: 'array' },
      seller: { type: 'object' },
    },
  },
  views: {
    products: {
      title: 'Products',
      transformation: { fields: ['image', 'title', 'url', 'price', 'inStock', 'updatedAt', 'tags', 'seller'] },
      display: {
        component: 'table',
        properties: {
          image: { label: 'Image', format: 'image' },
          title: { label: 'Title', format: 'text' },
          url: { label: 'Link', format: 'link' },
          price: { label: 'Price', format: 'number' },
          inStock: { label: 'In stock', format: 'boolean' },
          updatedAt: { label: 'Updated', format: 'date' },
          tags: { label: 'Tags', format: 'array' },
          seller: { label: 'Seller', format: 'object' },
        },
      },
    },
    cards: {
      title: 'Cards',
      transformation: { fields: ['image', 'title', 'price', 'seller'], flatten: ['seller'] },
      display: {
        component: 'grid',
        properties: {
          image: { label: 'Image', format: 'image' },
          title: { label: 'Title', format: 'text' },
          price: { label: 'Price', format: 'number' },
          'seller.name': { label: 'Seller', format: 'text' },
        },
      },
    },
  },
};

/** One editor group, no panel, and the Actors views beside: the screenshots show the viewer at a useful size. */
async function tidyWorkbench(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await vscode.commands.executeCommand('workbench.action.closePanel');
  await vscode.commands.executeCommand('workbench.view.extension.greenroom');
}

describe('dataset viewer', function () {
  let actorRoot: string;
  let greetingsDir: string;
  let formatsRoot: string;

  before(async () => {
    await activateExtension();
    actorRoot = workspaceRoot().fsPath;
    greetingsDir = path.join(actorRoot, 'storage', 'datasets', 'viewer-greetings');
    fs.rmSync(greetingsDir, { recursive: true, force: true });
    writeItems(greetingsDir, 1, Array.from({ length: 250 }, (_, i) => greeting(i + 1)));
    // A half-written item, as a crashed writer leaves it.
    fs.writeFileSync(path.join(greetingsDir, '000000007.json'), '{"name": "Grace 7", "greet');

    formatsRoot = path.join(actorRoot, 'viewer-formats');
    fs.mkdirSync(path.join(formatsRoot, '.actor'), { recursive: true });
    fs.writeFileSync(path.join(formatsRoot, '.actor', 'actor.json'), JSON.stringify({ actorSpecification: 1, name: 'viewer-formats', version: '0.1', storages: { dataset: './dataset_schema.json' } }, null, 4));
    fs.writeFileSync(path.join(formatsRoot, '.actor', 'dataset_schema.json'), JSON.stringify(FORMATS_SCHEMA, null, 4));
    writeItems(
      path.join(formatsRoot, 'storage', 'datasets', 'default'),
      1,
      Array.from({ length: 12 }, (_, i) => ({
        title: `Product ${i + 1}`,
        url: `https://example.com/products/${i + 1}`,
        image: swatch(i * 30),
        price: 9.5 + i * 10,
        inStock: i % 3 !== 0,
        updatedAt: new Date(Date.UTC(2026, 0, i + 1, 9, 30)).toISOString(),
        tags: i % 2 ? ['sale', 'new'] : ['classic'],
        seller: { name: `Shop ${(i % 3) + 1}`, rating: 4 + (i % 10) / 10 },
      })),
    );
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.view.explorer');
    fs.rmSync(greetingsDir, { recursive: true, force: true });
    fs.rmSync(formatsRoot, { recursive: true, force: true });
  });

  const openGreetings = () =>
    vscode.commands.executeCommand<string>('greenroom.openDatasetViewer', { actorRoot, storageDir: path.join(actorRoot, 'storage'), id: 'viewer-greetings' });
  const greetingRow = (position: number) => {
    const item = greeting(position);
    return [String(position), item.name, item.greeting, String(item.letters)];
  };

  it('opens on the schema\'s default view with its labels, 100 items a page', async () => {
    const started = Date.now();
    const datasetDir = await openGreetings();
    assert.strictEqual(datasetDir, greetingsDir);
    const snapshot = await viewerWhen(greetingsDir, 'the first page', (s) => s.rows.length > 0);
    console.log(`      first page (100 of 250 items) shown ${Date.now() - started} ms after the command`);
    assert.strictEqual(snapshot.title, 'Dataset viewer-greetings');
    assert.deepStrictEqual(snapshot.tabs, ['Overview', 'All fields']);
    assert.strictEqual(snapshot.selectedTab, 'Overview');
    assert.deepStrictEqual(snapshot.headers, ['#', 'Name', 'Greeting', 'Letters']);
    assert.deepStrictEqual(snapshot.rows[0], greetingRow(1));
    assert.strictEqual(snapshot.rows.length, 100);
    assert.strictEqual(snapshot.range, 'Items 1–100 of 250');
    assert.strictEqual(snapshot.caption, 'Overview · items 1–100 of 250');
    assert.strictEqual(snapshot.inferredNote, '');
    assert.strictEqual(snapshot.banner, '');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await screenshot('dataset-viewer');
  });

  it('shows an unreadable item as a row with its error, between the readable ones', async () => {
    const { rows } = await viewerWhen(greetingsDir, 'the first page', (s) => s.rows.length === 100);
    assert.deepStrictEqual(rows[5], greetingRow(6));
    assert.strictEqual(rows[6].length, 2, `row 7: ${JSON.stringify(rows[6])}`);
    assert.strictEqual(rows[6][0], '7');
    assert.match(rows[6][1], /^Item 7 \(000000007\.json\) .*JSON/);
    assert.deepStrictEqual(rows[7], greetingRow(8));
  });

  it('switches to All fields: every field raw, columns inferred', async () => {
    await act(greetingsDir, { kind: 'selectView', title: 'All fields' });
    const snapshot = await viewerWhen(greetingsDir, 'All fields', (s) => s.selectedTab === 'All fields');
    assert.deepStrictEqual(snapshot.headers, ['#', 'name', 'greeting', 'letters', 'extra']);
    assert.deepStrictEqual(snapshot.rows[0], [...greetingRow(1), '{"source":"greenroom"}']);
    assert.match(snapshot.inferredNote, /inferred/);
    await act(greetingsDir, { kind: 'selectView', title: 'Overview' });
    await viewerWhen(greetingsDir, 'Overview again', (s) => s.selectedTab === 'Overview' && s.headers.length === 4);
  });

  it('pages: next, last, previous, page size, go to item, first', async () => {
    await act(greetingsDir, { kind: 'page', control: 'next' });
    let snapshot = await viewerWhen(greetingsDir, 'page 2', (s) => s.range === 'Items 101–200 of 250');
    console.log(`      Next: page 2 (100 rows) asked, read, sent and drawn in ${snapshot.roundTripMs.toFixed(0)} ms`);
    assert.strictEqual(snapshot.rows.length, 100);
    assert.deepStrictEqual(snapshot.rows[0], greetingRow(101));
    assert.deepStrictEqual(snapshot.rows[99], greetingRow(200));
    await act(greetingsDir, { kind: 'page', control: 'last' });
    snapshot = await viewerWhen(greetingsDir, 'the last page', (s) => s.range === 'Items 201–250 of 250');
    assert.strictEqual(snapshot.rows.length, 50);
    assert.strictEqual(await hook(greetingsDir, { kind: 'page', control: 'next' }), false, 'Next is disabled on the last page');
    await act(greetingsDir, { kind: 'page', control: 'prev' });
    await viewerWhen(greetingsDir, 'page 2 again', (s) => s.range === 'Items 101–200 of 250');
    await act(greetingsDir, { kind: 'pageSize', size: 50 });
    snapshot = await viewerWhen(greetingsDir, '50 a page from item 101', (s) => s.range === 'Items 101–150 of 250');
    assert.strictEqual(snapshot.rows.length, 50);
    await act(greetingsDir, { kind: 'goToItem', itemNumber: 222 });
    snapshot = await viewerWhen(greetingsDir, 'the page of item 222', (s) => s.range === 'Items 201–250 of 250');
    assert.deepStrictEqual(snapshot.rows[21], greetingRow(222));
    await act(greetingsDir, { kind: 'page', control: 'first' });
    await viewerWhen(greetingsDir, 'the first page', (s) => s.range === 'Items 1–50 of 250');
    await act(greetingsDir, { kind: 'pageSize', size: 500 });
    snapshot = await viewerWhen(greetingsDir, 'every item on one page', (s) => s.range === 'Items 1–250 of 250');
    assert.strictEqual(snapshot.rows.length, 250);
    console.log(`      500 a page: 250 rows asked, read, sent and drawn in ${snapshot.roundTripMs.toFixed(0)} ms`);
    await act(greetingsDir, { kind: 'pageSize', size: 100 });
    await act(greetingsDir, { kind: 'page', control: 'next' });
    await viewerWhen(greetingsDir, 'page 2 of 100', (s) => s.range === 'Items 101–200 of 250');
  });

  it('comes back on the same view and page after being hidden (webview state)', async () => {
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(actorRoot, 'README.md')), { viewColumn: vscode.ViewColumn.Active });
    assert.strictEqual(await openGreetings(), greetingsDir);
    const snapshot = await viewerWhen(greetingsDir, 'the viewer shown again', (s) => s.rows.length > 0);
    assert.strictEqual(snapshot.range, 'Items 101–200 of 250');
    assert.strictEqual(snapshot.selectedTab, 'Overview');
  });

  it('opens a row\'s item as JSON in a read-only editor', async () => {
    await act(greetingsDir, { kind: 'openRow', itemNumber: 123 });
    const editor = await waitFor('the item in an editor', () => {
      const file = vscode.window.activeTextEditor?.document.uri.fsPath;
      return file?.endsWith('000000123.json') ? vscode.window.activeTextEditor : undefined;
    });
    assert.deepStrictEqual(JSON.parse(editor.document.getText()), greeting(123));
    assert.strictEqual(editor.document.uri.scheme, 'greenroom-storage');
    assert.strictEqual(vscode.workspace.fs.isWritableFileSystem('greenroom-storage'), false, 'items open read-only');
  });

  it('follows the dataset while items are added: the count and the page refresh', async () => {
    const started = Date.now();
    // As a run writes them: one file at a time.
    for (let position = 251; position <= 300; position++) {
      writeItems(greetingsDir, position, [greeting(position)]);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const written = Date.now();
    await viewerWhen(greetingsDir, 'the new count', (s) => s.range === 'Items 101–200 of 300');
    console.log(`      50 items written in ${written - started} ms; the viewer showed 300 items ${Date.now() - written} ms after the last one`);
    await act(greetingsDir, { kind: 'page', control: 'last' });
    const snapshot = await viewerWhen(greetingsDir, 'the new last page', (s) => s.range === 'Items 201–300 of 300');
    assert.deepStrictEqual(snapshot.rows[99], greetingRow(300));
  });

  it('moves to the new last page when the dataset shrinks under the page shown', async () => {
    await viewerWhen(greetingsDir, 'the last page', (s) => s.range === 'Items 201–300 of 300');
    for (let position = 101; position <= 300; position++) fs.rmSync(path.join(greetingsDir, `${String(position).padStart(9, '0')}.json`));
    const snapshot = await viewerWhen(greetingsDir, 'the shrunk dataset', (s) => s.range === 'Items 1–100 of 100');
    assert.deepStrictEqual(snapshot.rows[99], greetingRow(100));
  });

  describe('display formats, grid views and schema problems', () => {
    before(tidyWorkbench);
    let formatsDir: string;
    const openFormats = () =>
      vscode.commands.executeCommand<string>('greenroom.openDatasetViewer', { actorRoot: formatsRoot, storageDir: path.join(formatsRoot, 'storage'), id: 'default' });

    it('renders links, thumbnails, numbers, booleans, dates, arrays and objects', async () => {
      formatsDir = (await openFormats())!;
      const snapshot = await viewerWhen(formatsDir, 'the products', (s) => s.rows.length === 12);
      assert.deepStrictEqual(snapshot.tabs, ['Products', 'Cards', 'All fields']);
      assert.deepStrictEqual(snapshot.headers, ['#', 'Image', 'Title', 'Link', 'Price', 'In stock', 'Updated', 'Tags', 'Seller']);
      assert.deepStrictEqual(snapshot.rows[0], ['1', '', 'Product 1', 'https://example.com/products/1', '9.5', '✗', '2026-01-01T09:30:00.000Z', '["classic"]', '{"name":"Shop 1","rating":4}']);
      assert.deepStrictEqual(snapshot.rows[1].slice(4, 8), ['19.5', '✓', '2026-01-02T09:30:00.000Z', '["sale","new"]']);
      assert.strictEqual(snapshot.images, 12);
      assert.strictEqual(snapshot.links, 12);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await screenshot('dataset-viewer-formats');
      const workbench = vscode.workspace.getConfiguration('workbench');
      const theme = workbench.inspect<string>('colorTheme')?.globalValue;
      await workbench.update('colorTheme', 'Default Dark Modern', vscode.ConfigurationTarget.Global);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await screenshot('dataset-viewer-formats-dark');
      await workbench.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
    });

    it('shows a grid view as cards', async () => {
      await act(formatsDir, { kind: 'selectView', title: 'Cards' });
      const snapshot = await viewerWhen(formatsDir, 'the cards', (s) => s.selectedTab === 'Cards');
      assert.strictEqual(snapshot.component, 'grid');
      assert.deepStrictEqual(snapshot.headers, ['#', 'Title', 'Price', 'Seller']);
      assert.deepStrictEqual(snapshot.rows[0], ['1', 'Product 1', '9.5', 'Shop 1']);
      assert.strictEqual(snapshot.images, 12);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await screenshot('dataset-viewer-grid');
    });

    /** Presses the export dialog's Export with `action`'s values, answering the save dialog with `file`; what the host asked. */
    async function exportThroughDialog(action: Extract<ViewerTestAction, { kind: 'export' }>, file: string, until: () => boolean): Promise<string[]> {
      // The extension and this suite share one API object: answer the pickers and the save dialog.
      const { showQuickPick, showSaveDialog } = vscode.window;
      const asked: string[] = [];
      Object.assign(vscode.window, {
        showQuickPick: async (items: readonly string[]) => (asked.push(`pick: ${items.join(' ')}`), undefined),
        showSaveDialog: async () => (asked.push('file'), vscode.Uri.file(file)),
      });
      try {
        await act(formatsDir, action);
        await waitFor('the export', () => (until() ? true : undefined));
      } finally {
        Object.assign(vscode.window, { showQuickPick, showSaveDialog });
      }
      return asked;
    }

    it('exports the whole dataset as the shown view makes it', async () => {
      const file = path.join(formatsRoot, 'cards.csv');
      const asked = await exportThroughDialog({ kind: 'export', format: 'csv' }, file, () => fs.existsSync(file) && fs.readFileSync(file, 'utf8').split('\r\n').length > 12);
      assert.deepStrictEqual(asked, ['file'], 'the format is the dialog\'s and the view the shown one: neither is asked');
      const lines = fs.readFileSync(file, 'utf8').trim().split('\r\n');
      assert.strictEqual(lines[0], 'image,title,price,seller.name,seller.rating');
      assert.strictEqual(lines.length, 13);
      assert.match(lines[1], /^"data:image\/svg\+xml;base64,[^"]+",Product 1,9\.5,Shop 1,4$/);
      assert.strictEqual((await viewerWhen(formatsDir, 'the dialog closed', (s) => !s.exportOpen)).exportProblem, '');
    });

    it("exports with the platform's export options from the dialog; a bad value stays in the dialog, named", async () => {
      const file = path.join(formatsRoot, 'newest-tags.csv');
      await act(formatsDir, { kind: 'export', format: 'csv', options: { fields: 'title,tags', unwind: 'tags', desc: true, limit: 'ten' } });
      const refused = await viewerWhen(formatsDir, 'the refusal in the dialog', (s) => s.exportProblem !== '');
      assert.strictEqual(refused.exportOpen, true);
      assert.strictEqual(refused.exportProblem, 'Limit must be a whole number ≥ 0, got "ten"');
      await screenshot('dataset-viewer-export-dialog');
      assert.strictEqual(fs.existsSync(file), false);

      // Only the limit is typed again: the rest of what was typed stays.
      const asked = await exportThroughDialog({ kind: 'export', options: { limit: '3' } }, file, () => fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes('Product 10,new\r\n'));
      assert.deepStrictEqual(asked, ['file']);
      // The newest three products (limit counts stored items, before unwinding), each unwound to its tags in their order.
      assert.deepStrictEqual(fs.readFileSync(file, 'utf8').trim().split('\r\n'), ['title,tags', 'Product 12,sale', 'Product 12,new', 'Product 11,classic', 'Product 10,sale', 'Product 10,new']);
      assert.strictEqual((await viewerWhen(formatsDir, 'the dialog closed', (s) => !s.exportOpen)).exportOpen, false);
    });

    it('shows the raw items under a banner while the dataset schema is broken, and the views once it is fixed', async () => {
      const schemaFile = path.join(formatsRoot, '.actor', 'dataset_schema.json');
      fs.writeFileSync(schemaFile, '{ "actorSpecification": 1, "views": { "products": ');
      let snapshot = await viewerWhen(formatsDir, 'the schema banner', (s) => s.banner !== '');
      assert.match(snapshot.banner, /dataset_schema\.json is not valid JSON/);
      assert.deepStrictEqual(snapshot.tabs, ['All fields']);
      assert.strictEqual(snapshot.rows.length, 12);
      assert.deepStrictEqual(snapshot.headers.slice(0, 3), ['#', 'title', 'url']);
      await screenshot('dataset-viewer-broken-schema');
      fs.writeFileSync(schemaFile, JSON.stringify(FORMATS_SCHEMA, null, 4));
      snapshot = await viewerWhen(formatsDir, 'the views again', (s) => s.banner === '' && s.tabs.length === 3);
      assert.deepStrictEqual(snapshot.tabs, ['Products', 'Cards', 'All fields']);
    });

    it('says so when the dataset folder does not exist, and shows the items once a run creates it', async () => {
      const missingDir = (await vscode.commands.executeCommand<string>('greenroom.openDatasetViewer', { actorRoot: formatsRoot, storageDir: path.join(formatsRoot, 'storage'), id: 'not-yet' }))!;
      const snapshot = await viewerWhen(missingDir, 'the problem', (s) => s.problem !== '');
      assert.match(snapshot.problem, /not-yet does not exist/);
      writeItems(missingDir, 1, [{ title: 'First' }, { title: 'Second' }]);
      await viewerWhen(missingDir, 'the new folder\'s items', (s) => s.range === 'Items 1–2 of 2');
    });
  });


  describe('a real run', () => {
    before(tidyWorkbench);

    it('opens the default dataset of a run of the example Actor', async function () {
      const input = { names: ['Ada', 'Linus', 'Grace'], greeting: 'Hi', repeat: 2 };
      fs.writeFileSync(path.join(actorRoot, 'storage', 'key_value_stores', 'default', 'INPUT.json'), JSON.stringify(input, null, 4));
      const runId = (await vscode.commands.executeCommand<string>('greenroom.run', actorRoot))!;
      assert.ok(runId, 'greenroom.run returned no run id');
      const recordFile = path.join(actorRoot, '.greenroom', 'runs', `${runId}.json`);
      const run = await waitFor('the run to finish', () => {
        const record = fs.existsSync(recordFile) ? JSON.parse(fs.readFileSync(recordFile, 'utf8')) : undefined;
        return record && ['SUCCEEDED', 'FAILED', 'ABORTED', 'TIMED-OUT'].includes(record.status) ? record : undefined;
      }, DOCKER_WAIT_CEILING_MS);
      assert.strictEqual(run.status, 'SUCCEEDED');
      const datasetDir = (await vscode.commands.executeCommand<string>('greenroom.openDatasetViewer', { actorRoot, runId }))!;
      assert.strictEqual(datasetDir, path.join(run.greenroom.storageDir, 'datasets', run.defaultDatasetId));
      const snapshot = await viewerWhen(datasetDir, 'the run\'s items', (s) => s.rows.length === 6);
      assert.match(snapshot.title, /^hello-actor · Run #\d+ · \w{3} \d+ \d\d:\d\d:\d\d · dataset$/);
      assert.deepStrictEqual(snapshot.headers, ['#', 'Name', 'Greeting', 'Letters']);
      assert.deepStrictEqual(snapshot.rows[0], ['1', 'Ada', 'Hi, Ada!', '3']);
      assert.strictEqual(snapshot.range, 'Items 1–6 of 6');
      await vscode.commands.executeCommand('workbench.action.closePanel');
      await new Promise((resolve) => setTimeout(resolve, 500));
      await screenshot('dataset-viewer-run');

      // The run's Dataset node in the sidebar passes itself: the same dataset, titled after its run.
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const node = { actorRoot, storageDir: run.greenroom.storageDir, id: run.defaultDatasetId };
      assert.strictEqual(await vscode.commands.executeCommand<string>('greenroom.openDatasetViewer', node), datasetDir);
      const fromNode = await viewerWhen(datasetDir, 'the viewer opened from the node', (s) => s.rows.length === 6);
      assert.strictEqual(fromNode.title, snapshot.title);
      // Set here, not in the body, where the launcher's watchdog sees it: a build of the example Actor and a run.
    }).timeout(DOCKER_WAIT_CEILING_MS + 2 * WAIT_CEILING_MS);
  });
});
