/** Key-value stores through the local API with apify-client: records by content type, keys paging, signed URLs, bad keys, access. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { recordSignature } from '../../../src/platform/routes/keyValueStores';
import { StorageReader } from '../../../src/storage';
import { startStorageFixture, StorageFixture } from './storageFixture';

const SDK_UTILITIES = path.resolve(__dirname, '../../../../node_modules/@apify/utilities');

describe('platform key-value stores', () => {
  let f: StorageFixture;
  before(async () => {
    f = await startStorageFixture();
  });
  after(() => f.close());

  const storeDir = (storeId: string, storageDir = path.join(f.root, '.greenroom', 'storage')) => path.join(storageDir, 'key_value_stores', storeId);

  it('round-trips records with their content types, in the JS SDK\'s file layout', async () => {
    const { id } = await f.user.keyValueStores().getOrCreate('records');
    const store = f.user.keyValueStore(id);
    await store.setRecord({ key: 'obj', value: { hello: 'world' } });
    await store.setRecord({ key: 'text', value: 'plain words' });
    await store.setRecord({ key: 'pic', value: Buffer.from([0x89, 0x50, 0x4e, 0x47]) as never, contentType: 'image/png' });
    await store.setRecord({ key: 'bare-json', value: '{"a":1}', contentType: 'application/json' });
    await store.setRecord({ key: 'odd', value: 'x', contentType: 'application/x-greenroom-odd' });
    const files = fs.readdirSync(storeDir(id)).filter((name) => name !== '__metadata__.json').sort();
    assert.deepEqual(files, ['bare-json.__metadata__.json', 'bare-json.json', 'obj.json', 'odd.__metadata__.json', 'odd.bin', 'pic.png', 'text.txt']);
    const obj = await store.getRecord('obj');
    assert.deepEqual(obj?.value, { hello: 'world' });
    assert.equal(obj?.contentType, 'application/json; charset=utf-8');
    assert.equal((await store.getRecord('text'))?.contentType, 'text/plain; charset=utf-8');
    assert.equal((await store.getRecord('pic', { buffer: true }))?.contentType, 'image/png');
    assert.equal((await store.getRecord('bare-json'))?.contentType, 'application/json');
    assert.equal((await store.getRecord('odd'))?.contentType, 'application/x-greenroom-odd');
    // The storage library's reader sees the same records and types.
    const records = new StorageReader(path.join(f.root, '.greenroom', 'storage')).keyValueRecords(id);
    assert.deepEqual(Object.fromEntries(records.map((r) => [r.key, r.contentType])), { 'bare-json': 'application/json', obj: 'application/json; charset=utf-8', odd: 'application/x-greenroom-odd', pic: 'image/png', text: 'text/plain; charset=utf-8' });
  });

  it('replaces a record written with another type, and deletes records', async () => {
    const { id } = await f.user.keyValueStores().getOrCreate('replace');
    const store = f.user.keyValueStore(id);
    await store.setRecord({ key: 'k', value: 'text' });
    await store.setRecord({ key: 'k', value: { now: 'json' } });
    assert.deepEqual(fs.readdirSync(storeDir(id)).filter((name) => name.startsWith('k')), ['k.json']);
    assert.equal(await store.recordExists('k'), true);
    await store.deleteRecord('k');
    assert.equal(await store.recordExists('k'), false);
    assert.equal(await store.getRecord('k'), undefined);
  });

  it('answers HEAD and ?attachment, and reads a record written in place by another writer', async () => {
    const { id } = await f.user.keyValueStores().getOrCreate('heads');
    await f.user.keyValueStore(id).setRecord({ key: 'a', value: 'abc' });
    fs.writeFileSync(path.join(storeDir(id), 'planted.txt'), 'from disk');
    const head = await fetch(`${f.baseUrl}/v2/key-value-stores/${id}/records/a`, { method: 'HEAD', headers: { authorization: `Bearer ${f.userToken}` } });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), '3');
    const get = await fetch(`${f.baseUrl}/v2/key-value-stores/${id}/records/planted?attachment=1&token=${f.userToken}`);
    assert.equal(await get.text(), 'from disk');
    assert.match(get.headers.get('content-disposition') ?? '', /attachment; filename="planted"/);
    const untyped = await fetch(`${f.baseUrl}/v2/key-value-stores/${id}/records/untyped?token=${f.userToken}`, { method: 'PUT', body: new Uint8Array([1, 2, 3]) });
    assert.equal(untyped.status, 201);
    assert.equal((await f.user.keyValueStore(id).getRecord('untyped', { buffer: true }))?.contentType, 'application/octet-stream');
  });

  it('lists keys with exclusiveStartKey, limit and prefix in the platform\'s shape', async () => {
    const { id } = await f.user.keyValueStores().getOrCreate('keys');
    const store = f.user.keyValueStore(id);
    for (const key of ['b-2', 'a-1', 'b-1', 'c-1', 'b-3']) await store.setRecord({ key, value: key });
    const page = await store.listKeys({ prefix: 'b-', limit: 2 });
    assert.deepEqual(page.items.map((item) => item.key), ['b-1', 'b-2']);
    assert.equal(page.items[0].size, 3);
    assert.equal(page.isTruncated, true);
    assert.equal(page.nextExclusiveStartKey, 'b-2');
    assert.equal(page.count, 2);
    const next = await store.listKeys({ prefix: 'b-', exclusiveStartKey: 'b-2' });
    assert.deepEqual(next.items.map((item) => item.key), ['b-3']);
    assert.equal(next.isTruncated, false);
    assert.equal(next.nextExclusiveStartKey, null);
  });

  it('refuses bad keys with 400 before any file is touched', async () => {
    const { id } = await f.user.keyValueStores().getOrCreate('bad-keys');
    for (const key of ['a%2Fb', '%3Cx%3E', 'sp%20ace', 'x'.repeat(257)]) {
      const response = await fetch(`${f.baseUrl}/v2/key-value-stores/${id}/records/${key}?token=${f.userToken}`, { method: 'PUT', body: 'v', headers: { 'content-type': 'text/plain' } });
      assert.equal(response.status, 400, key);
      assert.match(((await response.json()) as { error: { message: string } }).error.message, /Invalid key-value store record key/);
    }
    assert.deepEqual(fs.readdirSync(storeDir(id)).filter((name) => name !== '__metadata__.json'), []);
  });

  it('refuses a record over 9 MB with 413', async () => {
    const { id } = await f.user.keyValueStores().getOrCreate('big');
    const response = await fetch(`${f.baseUrl}/v2/key-value-stores/${id}/records/big?token=${f.userToken}`, { method: 'PUT', body: Buffer.alloc(9.5 * 1024 * 1024), headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(response.status, 413);
  });

  it('serves a record without a token through its signed URL, as the SDK and apify-client sign it, and refuses a wrong signature', async () => {
    const storeId = f.runA.record.defaultKeyValueStoreId;
    await f.runA.client.keyValueStore(storeId).setRecord({ key: 'shot', value: 'pixels', contentType: 'text/plain' });
    const url = await f.runA.client.keyValueStore(storeId).getRecordPublicUrl('shot');
    const signature = new URL(url).searchParams.get('signature')!;
    const info = await f.runA.client.keyValueStore(storeId).get();
    assert.ok(info?.urlSigningSecretKey);
    assert.equal(signature, recordSignature(info.urlSigningSecretKey, 'shot'));
    if (fs.existsSync(SDK_UTILITIES)) {
      const { createHmacSignature } = require(SDK_UTILITIES) as { createHmacSignature: (secret: string, message: string) => string };
      assert.equal(recordSignature(info.urlSigningSecretKey, 'shot'), createHmacSignature(info.urlSigningSecretKey, 'shot'));
    }
    const signed = await fetch(url);
    assert.equal(signed.status, 200);
    assert.equal(await signed.text(), 'pixels');
    const wrong = await fetch(`${f.baseUrl}/v2/key-value-stores/${storeId}/records/shot?signature=nope`);
    assert.equal(wrong.status, 403);
    const none = await fetch(`${f.baseUrl}/v2/key-value-stores/${storeId}/records/shot`);
    assert.equal(none.status, 401);
    const otherKey = await fetch(`${f.baseUrl}/v2/key-value-stores/${storeId}/records/other?signature=${signature}`);
    assert.equal(otherKey.status, 403);
    // The key stays the same across reads: it lives in the store's metadata.
    assert.equal((await f.runA.client.keyValueStore(storeId).get())?.urlSigningSecretKey, info.urlSigningSecretKey);
  });

  it('names a record file that is a link in a clean error', async () => {
    const { id } = await f.user.keyValueStores().getOrCreate('links');
    fs.symlinkSync('/etc/passwd', path.join(storeDir(id), 'INPUT.json'));
    fs.writeFileSync(path.join(storeDir(id), 'fine.txt'), 'ok');
    assert.equal(await f.user.keyValueStore(id).getRecord('INPUT'), undefined, 'links are not records');
    assert.equal((await f.user.keyValueStore(id).getRecord('fine'))?.value, 'ok');
  });
});
