import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DatasetView,
  formatCell,
  inferFormat,
  readDatasetViews,
  readViewPage,
  transformItem,
  ViewTransformation,
} from '../../../src/storage/datasetViews';
import { DatasetItemCache, datasetItemCount } from '../../../src/storage/datasetPages';
import { StorageFolder } from '../../../src/storage/files';
import { fastItemCount, positionalItemCount } from '../../../src/storage/itemCount';
import { StorageReader } from '../../../src/storage/storages';
import { actorReferences, diskFileSource } from '../../../src/validator/files';
// The module object itself (not an import namespace), so that a test can make listing a folder fail.
import fsModule = require('node:fs');

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const HELLO_ACTOR = path.join(REPO_ROOT, 'examples', 'hello-actor');
const CORPUS = process.env.GREENROOM_CORPUS ?? path.resolve(REPO_ROOT, '../shared/corpus');

/** A dataset folder given by its path: its parent is the storage root. */
const folder = (dir: string) => new StorageFolder(path.dirname(dir), [path.basename(dir)]);

const itemName = (position: number) => `${String(position).padStart(9, '0')}.json`;

/** Writes items at the given 1-based positions (default 1..items.length). */
function writeDataset(dir: string, items: unknown[], positions = items.map((_, i) => i + 1)): void {
  fs.mkdirSync(dir, { recursive: true });
  items.forEach((item, i) => fs.writeFileSync(path.join(dir, itemName(positions[i])), JSON.stringify(item)));
}

/** Runs `read` with every folder listing failing the test: proof that it probes file names instead. */
function withoutListing<T>(read: () => T): T {
  const readdirSync = fsModule.readdirSync;
  fsModule.readdirSync = (() => assert.fail('the folder was listed')) as typeof readdirSync;
  try {
    return read();
  } finally {
    fsModule.readdirSync = readdirSync;
  }
}

function view(transformation: ViewTransformation, properties: DatasetView['properties'] = {}): DatasetView {
  return { id: 'test', title: 'Test', transformation, component: 'table', properties };
}

describe('dataset views: transformItem', () => {
  const item = { id: 1, name: 'Ada', '#debug': { url: 'x' }, address: { city: 'Prague', geo: { lat: 50, lng: 14 } }, tags: ['a', 'b'] };

  it('returns the item as one row without a transformation', () => {
    assert.deepEqual(transformItem(item, {}), [item]);
  });

  it('fields picks and orders fields; missing fields are left out', () => {
    const [row] = transformItem(item, { fields: ['name', 'id', 'nope'] });
    assert.deepEqual(Object.entries(row), [['name', 'Ada'], ['id', 1]]);
  });

  it('omit drops fields', () => {
    assert.deepEqual(transformItem(item, { omit: ['address', 'tags', '#debug'] }), [{ id: 1, name: 'Ada' }]);
  });

  it('unwind: one row per array element merged into the parent, the field itself removed', () => {
    const rows = transformItem({ shop: 'S', offers: [{ price: 1 }, { price: 2, shop: 'T' }] }, { unwind: ['offers'] });
    assert.deepEqual(rows, [{ shop: 'S', price: 1 }, { shop: 'T', price: 2 }]);
  });

  it('unwind: an object is merged in the field\'s place, overriding the parent\'s keys', () => {
    const [row] = transformItem({ a: 1, meta: { b: 2, a: 3 }, c: 4 }, { unwind: ['meta'] });
    assert.deepEqual(Object.entries(row), [['b', 2], ['a', 3], ['c', 4]]);
  });

  it('unwind: a missing or scalar field keeps the row as it is; scalar elements stay under the field', () => {
    assert.deepEqual(transformItem({ a: 1 }, { unwind: ['list'] }), [{ a: 1 }]);
    assert.deepEqual(transformItem({ a: 1, list: 'x' }, { unwind: ['list'] }), [{ a: 1, list: 'x' }]);
    assert.deepEqual(transformItem({ a: 1, list: ['x', 'y'] }, { unwind: ['list'] }), [{ a: 1, list: 'x' }, { a: 1, list: 'y' }]);
  });

  it('unwind: an empty array gives no row', () => {
    assert.deepEqual(transformItem({ a: 1, list: [] }, { unwind: ['list'] }), []);
  });

  it('unwind applies its fields in order (a product of both arrays)', () => {
    const rows = transformItem({ sizes: [{ size: 'S' }, { size: 'M' }], colors: [{ color: 'red' }, { color: 'blue' }] }, { unwind: ['sizes', 'colors'] });
    assert.deepEqual(rows, [
      { size: 'S', color: 'red' },
      { size: 'S', color: 'blue' },
      { size: 'M', color: 'red' },
      { size: 'M', color: 'blue' },
    ]);
  });

  it('flatten: nested objects become dot keys recursively, in the field\'s place; arrays stay', () => {
    const [row] = transformItem(item, { flatten: ['address'] });
    assert.deepEqual(Object.keys(row), ['id', 'name', '#debug', 'address.city', 'address.geo.lat', 'address.geo.lng', 'tags']);
    assert.deepEqual(transformItem({ tags: ['a'] }, { flatten: ['tags'] }), [{ tags: ['a'] }]);
    assert.deepEqual(transformItem({ empty: {} }, { flatten: ['empty'] }), [{ empty: {} }]);
  });

  it('fields may name flattened keys, or the flattened parent for all of its keys', () => {
    assert.deepEqual(transformItem(item, { flatten: ['address'], fields: ['address.geo.lat', 'name'] }), [{ 'address.geo.lat': 50, name: 'Ada' }]);
    assert.deepEqual(transformItem(item, { flatten: ['address'], fields: ['address.geo'] }), [{ 'address.geo.lat': 50, 'address.geo.lng': 14 }]);
    assert.deepEqual(Object.keys(transformItem(item, { flatten: ['address'], fields: ['address', 'id'] })[0]), ['address.city', 'address.geo.lat', 'address.geo.lng', 'id']);
    assert.deepEqual(Object.keys(transformItem(item, { flatten: ['address'], omit: ['address.geo', 'tags', '#debug'] })[0]), ['id', 'name', 'address.city']);
  });

  it('a key with a dot that was not flattened is only picked by its exact name', () => {
    assert.deepEqual(transformItem({ 'a.b': 1, a: 2 }, { fields: ['a'] }), [{ a: 2 }]);
  });

  it('skipHidden drops # fields (also flattened ones); skipEmpty drops rows with no fields', () => {
    assert.deepEqual(transformItem(item, { skipHidden: true, fields: ['#debug', 'id'] }), [{ id: 1 }]);
    assert.deepEqual(transformItem({ '#debug': { x: 1 } }, { flatten: ['#debug'], skipHidden: true }), [{}]);
    assert.deepEqual(transformItem({}, { skipEmpty: true }), []);
    assert.deepEqual(transformItem({ '#only': 1 }, { skipHidden: true, skipEmpty: true }), []);
    assert.deepEqual(transformItem({ a: 1 }, { fields: ['b'], skipEmpty: true }), []);
    assert.deepEqual(transformItem({ a: 1 }, { fields: ['b'] }), [{}]);
  });

  it('clean = skipHidden + skipEmpty', () => {
    assert.deepEqual(transformItem({ '#only': 1 }, { clean: true }), []);
    assert.deepEqual(transformItem({ '#h': 1, a: 2 }, { clean: true }), [{ a: 2 }]);
  });

  it('combines every rule in the documented order: unwind → flatten → fields/omit → skipHidden → skipEmpty', () => {
    const source = { '#id': 7, shop: { name: 'S', geo: { city: 'P' } }, offers: [{ price: 1, '#raw': 'x' }, {}, { price: 3 }] };
    const rows = transformItem(source, { unwind: ['offers'], flatten: ['shop'], fields: ['price', 'shop.geo.city', '#raw'], clean: true });
    assert.deepEqual(rows, [{ price: 1, 'shop.geo.city': 'P' }, { 'shop.geo.city': 'P' }, { price: 3, 'shop.geo.city': 'P' }]);
    const unwoundObject = transformItem({ a: { b: { c: 1 } } }, { unwind: ['a'], flatten: ['b'] });
    assert.deepEqual(unwoundObject, [{ 'b.c': 1 }], 'flatten sees the fields unwind merged in');
  });

  it('a source item that is not an object becomes an #error row', () => {
    assert.match(String(transformItem([1, 2], {})[0]['#error']), /an array, not an object/);
    assert.match(String(transformItem(42, { clean: true })[0]['#error']), /a number \(42\)/);
  });
});

describe('dataset views: readViewPage', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-views-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const items = (count: number) => Array.from({ length: count }, (_, i) => ({ n: i + 1, name: `item ${i + 1}` }));

  it('reads raw items with inferred columns', () => {
    writeDataset(dir, [{ a: 1, b: 'x' }, { c: true, a: 2 }]);
    const page = readViewPage(folder(dir), undefined, 0, 100);
    assert.equal(page.total, 2);
    assert.equal(page.inferred, true);
    assert.deepEqual(page.columns, [
      { key: 'a', label: 'a', format: 'number' },
      { key: 'b', label: 'b', format: 'text' },
      { key: 'c', label: 'c', format: 'boolean' },
    ]);
    assert.deepEqual(page.rows, [{ itemIndex: 0, values: { a: 1, b: 'x' } }, { itemIndex: 1, values: { c: true, a: 2 } }]);
  });

  it('pages over source items', () => {
    writeDataset(dir, items(25));
    const page = readViewPage(folder(dir), undefined, 10, 10);
    assert.deepEqual([page.total, page.offset, page.limit], [25, 10, 10]);
    assert.deepEqual(page.rows.map((r) => r.itemIndex), [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    assert.deepEqual(readViewPage(folder(dir), undefined, 20, 10).rows.map((r) => r.values.n), [21, 22, 23, 24, 25]);
    assert.deepEqual(readViewPage(folder(dir), undefined, 30, 10).rows, []);
  });

  it('desc pages from the end, without the listing', () => {
    writeDataset(dir, items(25));
    const descending = view({ desc: true });
    assert.deepEqual(readViewPage(folder(dir), descending, 0, 3).rows.map((r) => r.itemIndex), [24, 23, 22]);
    assert.deepEqual(readViewPage(folder(dir), descending, 20, 10).rows.map((r) => r.itemIndex), [4, 3, 2, 1, 0]);
    assert.deepEqual(withoutListing(() => readViewPage(folder(dir), descending, 10, 2)).rows.map((r) => r.values.n), [15, 14]);
    assert.equal(withoutListing(() => readViewPage(folder(dir), undefined, 0, 100)).rows.length, 25, 'a first page longer than the dataset');
  });

  it('limit caps the source items (from the end with desc)', () => {
    writeDataset(dir, items(25));
    const page = readViewPage(folder(dir), view({ limit: 4 }), 2, 10);
    assert.equal(page.total, 4);
    assert.deepEqual(page.rows.map((r) => r.values.n), [3, 4]);
    assert.deepEqual(readViewPage(folder(dir), view({ limit: 3, desc: true }), 0, 10).rows.map((r) => r.values.n), [25, 24, 23]);
  });

  it('unwound rows keep their source item index; skipEmpty rows vanish but count as source items', () => {
    writeDataset(dir, [{ list: [{ a: 1 }, { a: 2 }] }, { list: [] }, { '#x': 1 }, { list: [{ a: 3 }] }]);
    const page = readViewPage(folder(dir), view({ unwind: ['list'], clean: true }), 0, 100);
    assert.equal(page.total, 4);
    assert.deepEqual(page.rows, [
      { itemIndex: 0, values: { a: 1 } },
      { itemIndex: 0, values: { a: 2 } },
      { itemIndex: 3, values: { a: 3 } },
    ]);
  });

  it('a gapped folder pages in the order of its listing', () => {
    writeDataset(dir, items(5), [1, 2, 3, 5, 6]);
    assert.deepEqual(readViewPage(folder(dir), undefined, 2, 10).rows.map((r) => [r.itemIndex, r.values.n]), [[2, 3], [3, 4], [4, 5]]);
    assert.deepEqual(readViewPage(folder(dir), view({ desc: true }), 0, 2).rows.map((r) => r.values.n), [5, 4]);
  });

  it('a corrupt item becomes an #error row and the page still reads', () => {
    writeDataset(dir, items(3));
    fs.writeFileSync(path.join(dir, itemName(2)), '{"n": 2, "name": ');
    const page = readViewPage(folder(dir), view({ fields: ['n'], clean: true }), 0, 10);
    assert.deepEqual(page.rows.map((r) => r.itemIndex), [0, 1, 2]);
    assert.deepEqual(Object.keys(page.rows[1].values), ['#error']);
    assert.match(String(page.rows[1].values['#error']), /^Item 2 \(000000002\.json\) is not valid JSON: \S/);
    assert.deepEqual(page.columns.map((c) => c.key), ['n', '#error'], 'declared columns get an error column');
  });

  it('columns follow the display properties (labels, formats; missing values are empty cells)', () => {
    writeDataset(dir, [{ url: 'https://a.example/x.png', title: 'A', price: 3 }]);
    const shown = view({ fields: ['title', 'price', 'url'] }, { url: { label: 'Picture', format: 'image' }, title: {}, rating: { label: 'Rating', format: 'number' } });
    const page = readViewPage(folder(dir), shown, 0, 10);
    assert.equal(page.inferred, false);
    assert.deepEqual(page.columns, [
      { key: 'url', label: 'Picture', format: 'image' },
      { key: 'title', label: 'title', format: 'text' },
      { key: 'rating', label: 'Rating', format: 'number' },
    ]);
    assert.equal(page.rows[0].values.rating, undefined);
    assert.equal(formatCell(page.rows[0].values.rating, 'number'), '');
  });

  it('without display properties, columns follow the transformation fields', () => {
    writeDataset(dir, [{ a: 1, b: '2026-01-02T03:04:05.000Z', c: 3 }]);
    const page = readViewPage(folder(dir), view({ fields: ['b', 'a', 'z'] }), 0, 10);
    assert.equal(page.inferred, false);
    assert.deepEqual(page.columns, [
      { key: 'b', label: 'b', format: 'date' },
      { key: 'a', label: 'a', format: 'number' },
      { key: 'z', label: 'z', format: 'text' },
    ]);
  });

  it('a view without fields or properties infers columns from the transformed rows', () => {
    writeDataset(dir, [{ shop: { name: 'S' }, '#h': 1 }]);
    const page = readViewPage(folder(dir), view({ flatten: ['shop'], skipHidden: true }), 0, 10);
    assert.equal(page.inferred, true);
    assert.deepEqual(page.columns.map((c) => c.key), ['shop.name']);
  });

  it('an empty or missing dataset gives an empty page; bad paging arguments are refused', () => {
    assert.deepEqual(readViewPage(folder(path.join(dir, 'missing')), undefined, 0, 100), { total: 0, offset: 0, limit: 100, columns: [], rows: [], inferred: true });
    assert.throws(() => readViewPage(folder(dir), undefined, -1, 10), /offset must be a whole number ≥ 0, got -1/);
    assert.throws(() => readViewPage(folder(dir), undefined, 0, 1.5), /limit must be a whole number ≥ 0, got 1.5/);
  });

  it('reads the example Actor\'s overview view', () => {
    writeDataset(dir, [{ name: 'Ada', greeting: 'Hello, Ada!', letters: 3, extra: { x: 1 } }]);
    const [overview] = readDatasetViews(HELLO_ACTOR);
    const page = readViewPage(folder(dir), overview, 0, 100);
    assert.deepEqual(page.columns.map((c) => `${c.label}:${c.format}`), ['Name:text', 'Greeting:text', 'Letters:number']);
    assert.deepEqual(page.rows[0].values, { name: 'Ada', greeting: 'Hello, Ada!', letters: 3 });
  });
});

describe('dataset views: the item cache of a page shown again and again', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-cache-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads again only the items whose files changed, and shows their new content', () => {
    writeDataset(dir, Array.from({ length: 5 }, (_, i) => ({ n: i + 1 })));
    const dataset = folder(dir);
    const cache = new DatasetItemCache();
    const read: string[] = [];
    const readText = dataset.readText.bind(dataset);
    dataset.readText = (name, maxBytes) => {
      read.push(name);
      return readText(name, maxBytes);
    };
    assert.equal(readViewPage(dataset, undefined, 0, 10, cache).rows.length, 5);
    assert.equal(read.length, 5);

    read.length = 0;
    fs.writeFileSync(path.join(dir, itemName(2)), JSON.stringify({ n: 'two, rewritten' }));
    writeDataset(dir, [{ n: 6 }], [6]);
    const page = readViewPage(dataset, undefined, 0, 10, cache);
    assert.deepEqual(read.sort(), [itemName(2), itemName(6)]);
    assert.deepEqual(page.rows.map((row) => row.values.n), [1, 'two, rewritten', 3, 4, 5, 6]);

    fs.rmSync(path.join(dir, itemName(3)));
    fs.symlinkSync(path.join(dir, itemName(1)), path.join(dir, itemName(3)));
    assert.match(String(readViewPage(dataset, undefined, 0, 10, cache).rows[2].values['#error']), /symbolic link/, 'a file swapped for a link is refused, not served from the cache');
  });
});

describe('dataset views: fastItemCount', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-count-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('counts positional folders of every size without listing them', () => {
    fs.writeFileSync(path.join(dir, '__metadata__.json'), '{}');
    for (const count of [1, 2, 3, 7, 8, 9, 16, 17, 100, 1000, 1025]) {
      writeDataset(dir, Array.from({ length: count }, () => ({})));
      assert.equal(withoutListing(() => fastItemCount(folder(dir))), count);
    }
  });

  it('falls back to the listing for gapped and non-positional folders', () => {
    writeDataset(dir, [{}, {}, {}, {}, {}], [1, 2, 3, 5, 6]);
    assert.equal(fastItemCount(folder(dir)), 5);
    const other = path.join(dir, 'other');
    writeDataset(other, [{}, {}], [2, 3]);
    assert.equal(fastItemCount(folder(other)), 2);
    const gappedLate = path.join(dir, 'late');
    writeDataset(gappedLate, Array.from({ length: 40 }, () => ({})), [...Array.from({ length: 30 }, (_, i) => i + 1), ...Array.from({ length: 10 }, (_, i) => i + 40)]);
    assert.equal(fastItemCount(folder(gappedLate)), 40);
  });

  it('is 0 for empty and missing folders', () => {
    assert.equal(fastItemCount(folder(dir)), 0);
    assert.equal(fastItemCount(folder(path.join(dir, 'missing'))), 0);
    fs.writeFileSync(path.join(dir, '__metadata__.json'), '{}');
    assert.equal(fastItemCount(folder(dir)), 0);
  });

  it('counts a dataset that grows while it is probed without listing it (a run appending items)', () => {
    writeDataset(dir, Array.from({ length: 100 }, () => ({})));
    const dataset = folder(dir);
    const entry = dataset.entry.bind(dataset);
    let next = 101;
    let previous = '';
    // A run pushes a burst of items just as the search ended at the last item and looks past it for gaps.
    dataset.entry = (name) => {
      if (previous === itemName(next) && name === itemName(next + 1)) for (let i = 0; i < 20; i++) fs.writeFileSync(path.join(dir, itemName(next++)), '{}');
      previous = name;
      return entry(name);
    };
    const count = positionalItemCount(dataset);
    assert.ok(count !== undefined && count >= 100 && count < next, `counted ${count} of ${next - 1} (undefined: it took the growth for a gap and would list the folder)`);
  });

  it('agrees with the listing count', () => {
    writeDataset(dir, Array.from({ length: 333 }, () => ({})));
    assert.equal(fastItemCount(folder(dir)), datasetItemCount(folder(dir)));
  });
});

describe('dataset views: readDatasetViews', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-actor-'));
    fs.mkdirSync(path.join(root, '.actor'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const writeActor = (actor: object) => fs.writeFileSync(path.join(root, '.actor', 'actor.json'), JSON.stringify({ actorSpecification: 1, name: 'a', version: '0.1', ...actor }));

  it('reads the example Actor\'s dataset schema file', () => {
    assert.deepEqual(readDatasetViews(HELLO_ACTOR), [
      {
        id: 'overview',
        title: 'Overview',
        transformation: { fields: ['name', 'greeting', 'letters'] },
        component: 'table',
        properties: { name: { label: 'Name', format: 'text' }, greeting: { label: 'Greeting', format: 'text' }, letters: { label: 'Letters', format: 'number' } },
      },
    ]);
  });

  it('reads an inline schema, views in file order, leniently', () => {
    writeActor({
      storages: {
        dataset: {
          actorSpecification: 1,
          views: {
            second: { title: 'Second', transformation: { fields: ['a'], desc: true, limit: 10, flatten: 'nope' }, display: { component: 'grid', properties: { a: { format: 'link' }, b: { format: 'sparkles' } } } },
            first: { display: { properties: {} } },
          },
        },
      },
    });
    assert.deepEqual(readDatasetViews(root), [
      { id: 'second', title: 'Second', transformation: { fields: ['a'], desc: true, limit: 10 }, component: 'grid', properties: { a: { format: 'link' }, b: {} } },
      { id: 'first', title: 'first', transformation: {}, component: 'table', properties: {} },
    ]);
  });

  it('reads the default dataset of storages.datasets', () => {
    fs.writeFileSync(path.join(root, '.actor', 'main.json'), JSON.stringify({ actorSpecification: 1, views: { main: { title: 'Main', transformation: {} } } }));
    writeActor({ storages: { datasets: { other: { actorSpecification: 1, views: { o: { title: 'O' } } }, default: './main.json' } } });
    assert.deepEqual(readDatasetViews(root).map((v) => v.id), ['main']);
  });

  it('is empty without a schema, without views, or for a legacy Actor', () => {
    writeActor({});
    assert.deepEqual(readDatasetViews(root), []);
    writeActor({ storages: { dataset: { actorSpecification: 1, fields: {} } } });
    assert.deepEqual(readDatasetViews(root), []);
    fs.rmSync(path.join(root, '.actor'), { recursive: true });
    fs.writeFileSync(path.join(root, 'apify.json'), '{}');
    assert.deepEqual(readDatasetViews(root), []);
  });

  it('throws naming the file and the reason when the schema cannot be read', () => {
    const schemaFile = path.join(root, '.actor', 'dataset_schema.json');
    writeActor({ storages: { dataset: './dataset_schema.json' } });
    assert.throws(() => readDatasetViews(root), (error: Error) => error.message.startsWith(`Cannot read the dataset schema ${schemaFile}: ENOENT`));
    fs.writeFileSync(schemaFile, '{ "views": { ');
    assert.throws(() => readDatasetViews(root), (error: Error) => error.message.startsWith(`The dataset schema ${schemaFile} is not valid JSON: `));
    fs.writeFileSync(path.join(root, '.actor', 'actor.json'), '{ nope');
    assert.throws(() => readDatasetViews(root), /The actor\.json .*actor\.json is not valid JSON/);
  });

  it('reads every valid dataset schema of the corpus', function () {
    if (!fs.existsSync(CORPUS)) this.skip();
    let schemas = 0;
    for (const name of fs.readdirSync(CORPUS)) {
      const actorRoot = path.join(CORPUS, name);
      const text = diskFileSource.readFile(path.join(actorRoot, '.actor', 'actor.json'));
      if (text === undefined || !isJson(text)) continue;
      const dataset = actorReferences(actorRoot, JSON.parse(text), diskFileSource, false).find((reference) => reference.role === 'dataset');
      const schemaText = dataset?.inline !== undefined ? JSON.stringify(dataset.inline) : dataset?.path && diskFileSource.readFile(dataset.path);
      if (!schemaText || !isJson(schemaText)) continue;
      schemas++;
      const schema = JSON.parse(schemaText) as { views?: Record<string, unknown> };
      const views = readDatasetViews(actorRoot);
      assert.deepEqual(views.map((v) => v.id), Object.keys(schema.views ?? {}), name);
    }
    console.log(`      ${schemas} corpus dataset schemas read`);
    assert.ok(schemas > 0, 'the corpus has dataset schemas');
  });
});

describe('dataset views: formatCell and inferFormat', () => {
  it('formats numbers with grouping, booleans as marks, dates as given', () => {
    assert.equal(formatCell(1234567.5, 'number'), '1,234,567.5');
    assert.equal(formatCell(0.000123, 'number'), '0.000123');
    assert.equal(formatCell(true, 'boolean'), '✓');
    assert.equal(formatCell(false, 'boolean'), '✗');
    assert.equal(formatCell('2026-01-02T03:04:05Z', 'date'), '2026-01-02T03:04:05Z');
    assert.equal(formatCell(0, 'date'), '1970-01-01T00:00:00.000Z');
  });

  it('shows arrays and objects as compact JSON, cut at 200 characters', () => {
    assert.equal(formatCell([1, { a: 'b' }], 'array'), '[1,{"a":"b"}]');
    assert.equal(formatCell({ a: 1 }, 'text'), '{"a":1}');
    const long = formatCell({ text: 'x'.repeat(500) }, 'object');
    assert.equal(long.length, 200);
    assert.ok(long.endsWith('…'));
  });

  it('shows a value that does not fit its format as it is; missing values are empty', () => {
    assert.equal(formatCell('n/a', 'number'), 'n/a');
    assert.equal(formatCell('yes', 'boolean'), 'yes');
    assert.equal(formatCell(12, 'text'), '12');
    assert.equal(formatCell(null, 'text'), '');
    assert.equal(formatCell(undefined, 'link'), '');
  });

  it('infers a column\'s format from its present values', () => {
    assert.equal(inferFormat([1, undefined, 2.5, null]), 'number');
    assert.equal(inferFormat(['https://a.example/p.jpg?w=1', 'https://a.example/q.png']), 'image');
    assert.equal(inferFormat(['https://a.example/p.jpg', 'https://a.example/page']), 'link');
    assert.equal(inferFormat(['2026-01-02', '2026-01-02T03:04:05.123+01:00']), 'date');
    assert.equal(inferFormat([[1], []]), 'array');
    assert.equal(inferFormat([{}, { a: 1 }]), 'object');
    assert.equal(inferFormat([1, 'a']), 'text');
    assert.equal(inferFormat([]), 'text');
  });
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('StorageReader.datasetItems (what exports read)', () => {
  let storageDir: string;
  beforeEach(() => (storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-items-'))));
  afterEach(() => fs.rmSync(storageDir, { recursive: true, force: true }));

  it('reads positional items in order without listing the folder, with offset and limit', () => {
    writeDataset(path.join(storageDir, 'datasets', 'd'), [0, 1, 2, 3, 4].map((i) => ({ i })));
    const reader = new StorageReader(storageDir);
    assert.deepEqual(withoutListing(() => [...reader.datasetItems('d')]), [0, 1, 2, 3, 4].map((i) => ({ i })));
    assert.deepEqual(withoutListing(() => [...reader.datasetItems('d', { offset: 1, limit: 2 })]), [{ i: 1 }, { i: 2 }]);
  });

  it('reads a gapped folder in listing order', () => {
    writeDataset(path.join(storageDir, 'datasets', 'd'), [{ i: 1 }, { i: 3 }, { i: 40 }], [1, 3, 40]);
    assert.deepEqual([...new StorageReader(storageDir).datasetItems('d')], [{ i: 1 }, { i: 3 }, { i: 40 }]);
  });

  it('applies offset, limit and desc to a gapped folder by listing position', () => {
    writeDataset(path.join(storageDir, 'datasets', 'd'), [{ i: 1 }, { i: 3 }, { i: 40 }, { i: 41 }], [1, 3, 40, 41]);
    const reader = new StorageReader(storageDir);
    assert.deepEqual([...reader.datasetItems('d', { offset: 1, limit: 2 })], [{ i: 3 }, { i: 40 }]);
    assert.deepEqual([...reader.datasetItems('d', { desc: true, offset: 1, limit: 2 })], [{ i: 40 }, { i: 3 }]);
    assert.deepEqual([...reader.datasetItems('d', { offset: 9 })], []);
  });

  it('names the item and its file when one is not JSON', () => {
    const dir = path.join(storageDir, 'datasets', 'd');
    writeDataset(dir, [{ i: 0 }, { i: 1 }]);
    fs.writeFileSync(path.join(dir, itemName(2)), '{"i": 1');
    assert.throws(() => [...new StorageReader(storageDir).datasetItems('d')], /^Error: Item 2 \(000000002\.json\) is not valid JSON: \S/);
  });
});
