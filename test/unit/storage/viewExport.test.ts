// Exports through a view of the dataset schema (the platform's `?view=`): the rows the view's transformation makes,
// in its order and limit, read one item at a time; and `greenroom items --view`.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../../src/cli/main';
import { datasetRows, readDatasetView } from '../../../src/storage/datasetViews';
import { StorageReader } from '../../../src/storage/storages';
import { actorWithFinishedRun } from './finishedRun';

const RUN_ID = 'viewExportRun0001';
const items = [
  { name: 'Ada', tags: ['math', 'code'], address: { city: 'London' }, '#debug': 1 },
  { name: 'Linus', tags: ['kernel'], address: { city: 'Helsinki' }, '#debug': 2 },
  { name: 'Grace', tags: [], address: { city: 'Arlington' }, '#debug': 3 },
];
const datasetSchema = {
  actorSpecification: 1,
  fields: {},
  views: {
    overview: { title: 'Overview', transformation: { fields: ['name', 'address'], flatten: ['address'] }, display: { component: 'table' } },
    newest: { title: 'Newest tags', transformation: { unwind: ['tags'], fields: ['tags', 'name'], desc: true, limit: 2 }, display: { component: 'table' } },
  },
};

describe('dataset export through a view', () => {
  let root: string;
  let storageDir: string;

  before(() => {
    ({ root, storageDir } = actorWithFinishedRun({ actorSpecification: 1, name: 'view-export', version: '0.1', storages: { dataset: datasetSchema } }, RUN_ID, items));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('gives the raw items without a view', () => {
    assert.deepEqual([...datasetRows(new StorageReader(storageDir), 'default', undefined)()], items);
  });

  it("gives the view's rows: picked, flattened, in the view's field order", () => {
    const rows = [...datasetRows(new StorageReader(storageDir), 'default', readDatasetView(root, 'overview'))()];
    assert.deepEqual(rows, [
      { name: 'Ada', 'address.city': 'London' },
      { name: 'Linus', 'address.city': 'Helsinki' },
      { name: 'Grace', 'address.city': 'Arlington' },
    ]);
  });

  it('applies desc and limit to the items before unwinding them', () => {
    const rows = [...datasetRows(new StorageReader(storageDir), 'default', readDatasetView(root, 'newest'))()];
    // Newest two items: Grace (no tags: no row) and Linus (one tag).
    assert.deepEqual(rows, [{ tags: 'kernel', name: 'Linus' }]);
  });

  it('reads newest first from the end, by position and from a listing alike', () => {
    const reader = new StorageReader(storageDir);
    assert.deepEqual([...reader.datasetItems('default', { desc: true, offset: 1 })].map((item) => (item as { name: string }).name), ['Linus', 'Ada']);
    const gapped = path.join(storageDir, 'datasets', 'gapped');
    fs.mkdirSync(gapped);
    fs.writeFileSync(path.join(gapped, '000000001.json'), '{"n":1}');
    fs.writeFileSync(path.join(gapped, '000000040.json'), '{"n":40}');
    assert.deepEqual([...reader.datasetItems('gapped', { desc: true })], [{ n: 40 }, { n: 1 }]);
  });

  async function items_(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const collect = (append: (text: string) => void) => new Writable({ write: (chunk, _encoding, done) => (append(String(chunk)), done()) });
    const code = await main(['items', RUN_ID, ...args], { stdout: collect((t) => (stdout += t)), stderr: collect((t) => (stderr += t)), cwd: root });
    return { code, stdout, stderr };
  }

  it('greenroom items --view writes the view as CSV', async () => {
    const result = await items_(['--view', 'overview', '--format', 'csv']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'name,address.city\r\nAda,London\r\nLinus,Helsinki\r\nGrace,Arlington\r\n');
  });

  it('greenroom items --view with an unknown view names the views there are', async () => {
    const result = await items_(['--view', 'nope']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /The dataset schema has no view "nope" \(its views: overview, newest\)/);
    assert.equal(result.stdout, '');
  });

  it('greenroom items takes the platform\'s export options: fields, omit, unwind, flatten, clean, desc, offset, limit', async () => {
    let result = await items_(['--fields', 'tags,name', '--unwind', 'tags', '--desc', '--offset', '1', '--limit', '2']);
    assert.equal(result.code, 0, result.stderr);
    // Items 2–1 from the end (Linus, Ada), unwound: Ada's two tags keep their order.
    assert.deepEqual(result.stdout.trim().split('\n').map((line) => JSON.parse(line)), [
      { tags: 'kernel', name: 'Linus' },
      { tags: 'math', name: 'Ada' },
      { tags: 'code', name: 'Ada' },
    ]);
    result = await items_(['--format', 'csv', '--omit', 'tags', '--clean', '--flatten', 'address', '--limit', '2']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'name,address.city\r\nAda,London\r\nLinus,Helsinki\r\n');
    result = await items_(['--skip-hidden', '--fields', 'name,#debug', '--offset', '2']);
    assert.equal(result.stdout, '{"name":"Grace"}\n');
  });

  it('greenroom items puts the options over a view: an option wins, the smaller limit counts', async () => {
    const result = await items_(['--view', 'newest', '--fields', 'name', '--limit', '5', '--format', 'csv']);
    assert.equal(result.code, 0, result.stderr);
    // The view's limit (2) and desc: Grace (no tags: no row), Linus.
    assert.equal(result.stdout, 'name\r\nLinus\r\n');
  });

  it('greenroom items refuses a bad option value with a usage error naming it, writing nothing', async () => {
    for (const [args, message] of [
      [['--limit', 'ten'], /--limit must be a whole number ≥ 0, got "ten"/],
      [['--offset', '-3'], /--offset must be a whole number ≥ 0, got "-3"/],
      [['--desc=yes'], /desc/],
    ] as const) {
      const result = await items_([...args]);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
    }
  });
});
