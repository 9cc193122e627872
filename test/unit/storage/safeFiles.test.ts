// What an Actor can plant in its storage folder (it writes it from inside its container): links to host files and
// folders, FIFOs, device nodes, huge files. Greenroom's every open under a storage root must keep to the root.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../../src/cli/main';
import { InvalidInputError, readInput } from '../../../src/engine/input';
import {
  createStorages,
  deleteStorages,
  MAX_IN_MEMORY_BYTES,
  purgeDefaultStorages,
  readJsonRecordText,
  StorageFileError,
  StorageReader,
  writeJsonRecord,
} from '../../../src/storage';
import { datasetFolder } from '../../../src/storage/datasetPages';
import { readViewPage } from '../../../src/storage/datasetViews';
import { actorWithFinishedRun } from './finishedRun';

const HOST_SECRET = 'HOST-SECRET-never-to-be-printed';
const ids = { datasetId: 'default', keyValueStoreId: 'default', requestQueueId: 'default' };

describe('storage: links, special files and huge files an Actor planted', () => {
  let tmp: string;
  /** A host folder outside every storage root, with a file the Actor wants Greenroom to print. */
  let host: string;
  let hostFile: string;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-safe-'));
    host = path.join(tmp, 'host');
    fs.mkdirSync(host);
    hostFile = path.join(host, 'secret.json');
    fs.writeFileSync(hostFile, JSON.stringify({ secret: HOST_SECRET }));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  async function items(root: string, runId: string, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const collect = (append: (text: string) => void) => new Writable({ write: (chunk, _encoding, done) => (append(String(chunk)), done()) });
    const code = await main(['items', runId, ...args], { stdout: collect((t) => (stdout += t)), stderr: collect((t) => (stderr += t)), cwd: root });
    return { code, stdout, stderr };
  }

  it('greenroom items refuses an item file replaced by a link to a host file, and does not print it', async () => {
    const { root, storageDir } = actorWithFinishedRun({ name: 'planted-item' }, 'plantedItemRun001', [{ n: 1 }, { n: 2 }, { n: 3 }]);
    try {
      const item = path.join(storageDir, 'datasets', 'default', '000000002.json');
      fs.rmSync(item);
      fs.symlinkSync(hostFile, item);
      for (const format of ['jsonl', 'csv']) {
        const result = await items(root, 'plantedItemRun001', ['--format', format]);
        assert.equal(result.code, 1, result.stdout);
        assert.match(result.stderr, /Item 2 \(000000002\.json\) cannot be read: datasets\/default\/000000002\.json \(in the storage folder .*\) is a symbolic link, not a regular file/);
        assert.doesNotMatch(result.stdout + result.stderr, new RegExp(HOST_SECRET));
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('the reader and the viewer refuse a datasets folder replaced by a link to a host folder', () => {
    const storageDir = path.join(tmp, 'storage');
    fs.mkdirSync(storageDir);
    fs.mkdirSync(path.join(host, 'default'));
    fs.writeFileSync(path.join(host, 'default', '000000001.json'), JSON.stringify({ secret: HOST_SECRET }));
    fs.symlinkSync(host, path.join(storageDir, 'datasets'));
    const reader = new StorageReader(storageDir);
    assert.throws(() => [...reader.datasetItems('default')], (error: Error) => error instanceof StorageFileError && /^datasets \(in the storage folder .*\) is a symbolic link/.test(error.message));
    assert.throws(() => readViewPage(datasetFolder(storageDir, 'default'), undefined, 0, 10), /datasets \(in the storage folder .*\) is a symbolic link/);
    assert.throws(() => reader.datasetItemCount('default'), /is a symbolic link/);
  });

  it('a FIFO planted as an item is refused at once (never waited on)', function () {
    const storageDir = path.join(tmp, 'storage');
    const dir = path.join(storageDir, 'datasets', 'default');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, '000000001.json'), '{"n":1}');
    execFileSync('mkfifo', [path.join(dir, '000000002.json')]);
    const reader = new StorageReader(storageDir);
    assert.throws(() => [...reader.datasetItems('default')], /Item 2 \(000000002\.json\) cannot be read: .* is a FIFO, not a regular file/);
    // The page shows the reason in the item's row instead of the item.
    const page = readViewPage(datasetFolder(storageDir, 'default'), undefined, 0, 10);
    assert.deepEqual(page.rows[0].values, { n: 1 });
    assert.match(String(page.rows[1].values['#error']), /is a FIFO/);
  });

  it('a device node planted as an item (root in a container may mknod) is never opened', function () {
    const storageDir = path.join(tmp, 'storage');
    const dir = path.join(storageDir, 'datasets', 'default');
    fs.mkdirSync(dir, { recursive: true });
    try {
      // /dev/zero's numbers: reading it would never end.
      execFileSync('mknod', [path.join(dir, '000000001.json'), 'c', '1', '5'], { stdio: 'ignore' });
    } catch {
      this.skip(); // not root, or a file system mounted nodev
    }
    assert.throws(() => [...new StorageReader(storageDir).datasetItems('default')], /Item 1 \(000000001\.json\) cannot be read: .* is a device, not a regular file/);
  });

  it('key-value store listings skip links to host files and report them', () => {
    const storageDir = path.join(tmp, 'storage');
    const store = path.join(storageDir, 'key_value_stores', 'default');
    fs.mkdirSync(store, { recursive: true });
    fs.writeFileSync(path.join(store, 'OUTPUT.json'), '{"ok":true}');
    fs.symlinkSync(hostFile, path.join(store, 'STOLEN.json'));
    execFileSync('mkfifo', [path.join(store, 'PIPE.txt')]);
    const reader = new StorageReader(storageDir);
    assert.deepEqual(reader.keyValueRecords('default').map((r) => r.key), ['OUTPUT']);
    assert.deepEqual([...reader.skipped].sort(), ['key_value_stores/default/PIPE.txt', 'key_value_stores/default/STOLEN.json']);
    assert.equal(reader.readRecord('default', 'STOLEN'), undefined);
    assert.throws(() => reader.checkRecordFile('default', 'STOLEN.json'), /is a symbolic link, not a regular file/);
    assert.equal(reader.count('key_value_stores', 'default'), 1);
  });

  it('storage listings skip a storage folder that is a link', () => {
    const storageDir = path.join(tmp, 'storage');
    fs.mkdirSync(path.join(storageDir, 'datasets', 'real'), { recursive: true });
    fs.symlinkSync(host, path.join(storageDir, 'datasets', 'elsewhere'));
    const reader = new StorageReader(storageDir);
    assert.deepEqual(reader.storageIds('datasets'), ['real']);
    assert.deepEqual([...reader.skipped], ['datasets/elsewhere']);
  });

  it("a storage's size and last change count its regular files only: a planted link, FIFO or folder adds nothing", async () => {
    const storageDir = path.join(tmp, 'storage');
    const folder = datasetFolder(storageDir, 'sized');
    assert.deepEqual(await folder.usage(), { bytes: 0, files: 0, modifiedMs: undefined });
    fs.mkdirSync(folder.path, { recursive: true });
    fs.writeFileSync(path.join(folder.path, '000000001.json'), '{"a":1}');
    fs.writeFileSync(path.join(folder.path, '000000002.json'), '{"a":22}');
    const newest = new Date('2030-01-02T03:04:05Z');
    fs.utimesSync(path.join(folder.path, '000000002.json'), newest, newest);
    fs.symlinkSync(hostFile, path.join(folder.path, '000000003.json'));
    execFileSync('mkfifo', [path.join(folder.path, 'fifo')]);
    fs.mkdirSync(path.join(folder.path, 'sub'));
    fs.writeFileSync(path.join(folder.path, 'sub', 'big.json'), 'x'.repeat(1000));
    assert.deepEqual(await folder.usage(), { bytes: 15, files: 2, modifiedMs: newest.getTime() });
  });

  it("the next run's INPUT write refuses key_value_stores replaced by a link to a host folder, and writes nothing there", () => {
    const storageDir = path.join(tmp, 'storage');
    createStorages(storageDir, ids);
    fs.rmSync(path.join(storageDir, 'key_value_stores'), { recursive: true });
    fs.symlinkSync(host, path.join(storageDir, 'key_value_stores'));
    const before = fs.readdirSync(host);
    assert.throws(() => createStorages(storageDir, ids), (error: Error) => error instanceof StorageFileError && /^key_value_stores \(in the storage folder .*\) is a symbolic link: Greenroom does not follow links in storage/.test(error.message));
    assert.throws(() => writeJsonRecord(storageDir, 'default', 'INPUT', { a: 1 }), /key_value_stores .* is a symbolic link/);
    assert.deepEqual(fs.readdirSync(host), before);
  });

  it('an INPUT.json replaced by a link is replaced on write, not followed; reading it is refused', () => {
    const storageDir = path.join(tmp, 'storage');
    createStorages(storageDir, ids);
    const input = path.join(storageDir, 'key_value_stores', 'default', 'INPUT.json');
    fs.symlinkSync(hostFile, input);
    assert.throws(() => readJsonRecordText(storageDir, 'default', 'INPUT'), /INPUT\.json .* is a symbolic link/);
    writeJsonRecord(storageDir, 'default', 'INPUT', { a: 1 });
    assert.equal(fs.lstatSync(input).isFile(), true);
    assert.deepEqual(JSON.parse(fs.readFileSync(input, 'utf8')), { a: 1 });
    assert.match(fs.readFileSync(hostFile, 'utf8'), new RegExp(HOST_SECRET));
  });

  it("the Actor's own INPUT as a link to a host file is a clear input error, not an empty input", () => {
    const actorRoot = path.join(tmp, 'actor');
    const store = path.join(actorRoot, 'storage', 'key_value_stores', 'default');
    fs.mkdirSync(store, { recursive: true });
    fs.symlinkSync(hostFile, path.join(store, 'INPUT.json'));
    assert.throws(() => readInput({ actorInputOf: actorRoot }), (error: Error) => error instanceof InvalidInputError && /Cannot read the Actor's input .*INPUT\.json: .* is a symbolic link/.test(error.message));
    fs.rmSync(path.join(store, 'INPUT.json'));
    assert.deepEqual(readInput({ actorInputOf: actorRoot }), {});
  });

  it('keys and storage ids are checked before any file is touched', () => {
    const storageDir = path.join(tmp, 'storage');
    assert.throws(() => writeJsonRecord(storageDir, 'default', '../../escape', {}), /Invalid key-value store key "\.\.\/\.\.\/escape"/);
    assert.throws(() => writeJsonRecord(storageDir, '../..', 'INPUT', {}), /Invalid storage id "\.\.\/\.\."/);
    assert.throws(() => createStorages(storageDir, { ...ids, requestQueueId: '../../x' }), /Invalid storage id/);
    assert.throws(() => new StorageReader(storageDir).readRecord('default', 'a/b'), /Invalid key-value store key "a\/b"/);
    assert.equal(fs.existsSync(storageDir), false);
  });

  it('deleting or purging storages removes planted links, never what they point at', () => {
    const storageDir = path.join(tmp, 'storage');
    createStorages(storageDir, ids);
    fs.rmSync(path.join(storageDir, 'request_queues', 'default'), { recursive: true });
    fs.symlinkSync(host, path.join(storageDir, 'request_queues', 'default'));
    fs.symlinkSync(hostFile, path.join(storageDir, 'key_value_stores', 'default', 'LINK.json'));
    purgeDefaultStorages(storageDir);
    assert.equal(fs.existsSync(path.join(storageDir, 'request_queues', 'default')), false);
    assert.deepEqual(fs.readdirSync(path.join(storageDir, 'key_value_stores', 'default')), []);
    assert.deepEqual(fs.readdirSync(host), ['secret.json']);

    // A link above the storage folder: refused, the host folder untouched.
    fs.mkdirSync(path.join(host, 'default'));
    fs.rmSync(path.join(storageDir, 'datasets'), { recursive: true });
    fs.symlinkSync(host, path.join(storageDir, 'datasets'));
    assert.throws(() => deleteStorages(storageDir, ids), /datasets .* is a symbolic link/);
    assert.equal(fs.existsSync(path.join(host, 'default')), true);
  });

  it('a 2 GiB record is refused with its size and the limit, and streams', async function () {
    const storageDir = path.join(tmp, 'storage');
    createStorages(storageDir, ids);
    const file = path.join(storageDir, 'key_value_stores', 'default', 'HUGE.bin');
    const size = 2 * 1024 ** 3 + 1;
    fs.writeFileSync(file, 'start');
    fs.truncateSync(file, size); // sparse: no 2 GiB written
    const reader = new StorageReader(storageDir);
    assert.throws(
      () => reader.readRecord('default', 'HUGE'),
      (error: Error) =>
        error instanceof StorageFileError &&
        error.message.includes(`is 2 GiB (${size.toLocaleString('en-US')} bytes), more than the 256 MiB (${MAX_IN_MEMORY_BYTES.toLocaleString('en-US')} bytes) Greenroom reads into memory`),
    );
    const record = reader.recordStream('default', 'HUGE')!;
    assert.equal(record.size, size);
    assert.equal(record.contentType, 'application/octet-stream');
    const first = await new Promise<Buffer>((resolve, reject) => record.stream.once('data', (chunk) => resolve(chunk as Buffer)).once('error', reject));
    record.stream.destroy();
    assert.equal(first.subarray(0, 5).toString(), 'start');
  });
});
