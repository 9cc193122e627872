// The input form's files in the Actor's shared storage go through the storage library: an uploaded file is stored
// as a record, never through a link an Actor planted; the resource picker lists no linked storage.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { localResources, storeUploadedFile } from '../../../src/extension/inputForm/actorInput';

describe('input form: files in the shared storage', () => {
  let root: string;
  let host: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-form-storage-'));
    host = path.join(root, 'host');
    fs.mkdirSync(host);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('stores an uploaded file as a record named by its key, keeping its extension', () => {
    const upload = path.join(root, 'my photo.PNG');
    fs.writeFileSync(upload, 'png bytes');
    assert.equal(storeUploadedFile(root, upload), 'my-photo');
    assert.equal(fs.readFileSync(path.join(root, 'storage', 'key_value_stores', 'default', 'my-photo.PNG'), 'utf8'), 'png bytes');
  });

  it('refuses to store an upload through a key_value_stores link, writing nothing to its target', () => {
    fs.mkdirSync(path.join(root, 'storage'));
    fs.symlinkSync(host, path.join(root, 'storage', 'key_value_stores'));
    const upload = path.join(root, 'file.txt');
    fs.writeFileSync(upload, 'text');
    assert.throws(() => storeUploadedFile(root, upload), /key_value_stores \(in the storage folder .*\) is a symbolic link/);
    assert.deepEqual(fs.readdirSync(host), []);
  });

  it('offers no linked storage in the resource picker', () => {
    fs.mkdirSync(path.join(root, 'storage', 'datasets', 'mine'), { recursive: true });
    fs.symlinkSync(host, path.join(root, 'storage', 'datasets', 'linked'));
    fs.symlinkSync(host, path.join(root, 'storage', 'request_queues'));
    assert.deepEqual(localResources(root), { dataset: ['mine'], keyValueStore: [], requestQueue: [] });
  });
});
