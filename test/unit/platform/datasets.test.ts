/** Datasets through the local API, driven by the stock apify-client: get-or-create, push, list with transformations, exports, limits, bad input. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { StorageReader } from '../../../src/storage';
import { startStorageFixture, StorageFixture } from './storageFixture';

describe('platform datasets', () => {
  let f: StorageFixture;
  before(async () => {
    f = await startStorageFixture();
  });
  after(() => f.close());

  async function raw(pathAndQuery: string, init: RequestInit = {}, token = f.userToken): Promise<Response> {
    return fetch(`${f.baseUrl}${pathAndQuery}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
  }

  it('gets or creates a named dataset in the run\'s storage root, and finds the same one by name again', async () => {
    const created = await f.runA.client.datasets().getOrCreate('my-results');
    assert.equal(created.id, 'my-results');
    assert.equal(created.name, 'my-results');
    assert.equal(created.actRunId, f.runA.record.id);
    assert.ok(fs.existsSync(path.join(f.runA.record.greenroom.storageDir, 'datasets', 'my-results')));
    const again = await f.runB.client.datasets().getOrCreate('my-results');
    assert.equal(again.id, 'my-results');
    assert.equal((await f.user.dataset('~my-results').get())?.id, 'my-results');
  });

  it('creates an unnamed dataset with a fresh id in the user\'s storage folder', async () => {
    const created = await f.user.datasets().getOrCreate();
    assert.match(created.id, /^[a-zA-Z0-9]{17}$/);
    assert.equal(created.name, null);
    assert.ok(fs.existsSync(path.join(f.root, '.greenroom', 'storage', 'datasets', created.id)));
  });

  it('pushes an object and arrays, numbering items from 1 as the SDKs do, and reads them back through the API and StorageReader alike', async () => {
    const id = f.runA.record.defaultDatasetId;
    const dataset = f.runA.client.dataset(id);
    await dataset.pushItems({ n: 1 });
    await dataset.pushItems([{ n: 2 }, { n: 3 }]);
    const dir = path.join(f.runA.record.greenroom.storageDir, 'datasets', id);
    assert.deepEqual(fs.readdirSync(dir).filter((name) => name.endsWith('.json') && !name.startsWith('__')).sort(), ['000000001.json', '000000002.json', '000000003.json']);
    const page = await dataset.listItems();
    assert.deepEqual(page.items, [{ n: 1 }, { n: 2 }, { n: 3 }]);
    assert.equal(page.total, 3);
    assert.deepEqual([...new StorageReader(f.runA.record.greenroom.storageDir).datasetItems(id)], page.items);
    assert.equal((await dataset.get())?.itemCount, 3);
  });

  it('never reuses an item number under concurrent pushes', async () => {
    const { id } = await f.user.datasets().getOrCreate('concurrent');
    const dataset = f.user.dataset(id);
    await Promise.all(Array.from({ length: 20 }, (_, batch) => dataset.pushItems(Array.from({ length: 50 }, (_, i) => ({ batch, i })))));
    const { items, total } = await dataset.listItems();
    assert.equal(total, 1000);
    const seen = new Set(items.map((item) => `${item.batch}/${item.i}`));
    assert.equal(seen.size, 1000);
  });

  it('continues after items another writer added to the folder meanwhile', async () => {
    const { id } = await f.user.datasets().getOrCreate('shared-writer');
    await f.user.dataset(id).pushItems([{ n: 1 }]);
    fs.writeFileSync(path.join(f.root, '.greenroom', 'storage', 'datasets', id, '000000002.json'), '{"n": 2}');
    await f.user.dataset(id).pushItems([{ n: 3 }]);
    assert.deepEqual((await f.user.dataset(id).listItems()).items, [{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  describe('listing items', () => {
    let id: string;
    before(async () => {
      ({ id } = await f.user.datasets().getOrCreate('listing'));
      await f.user.dataset(id).pushItems([
        { a: 1, nested: { x: 1, y: 2 }, list: [{ k: 'p' }, { k: 'q' }], '#hidden': 'h' },
        { a: 2, nested: { x: 3, y: 4 }, list: [], '#hidden': 'h' },
        { '#hidden': 'only' },
        { a: 4, nested: { x: 5, y: 6 }, list: [{ k: 'r' }] },
      ]);
    });

    it('pages with offset, limit and desc, and says the window in the pagination headers', async () => {
      const response = await raw(`/v2/datasets/${id}/items?offset=1&limit=2&desc=1`);
      assert.equal(response.headers.get('x-apify-pagination-total'), '4');
      assert.equal(response.headers.get('x-apify-pagination-offset'), '1');
      assert.equal(response.headers.get('x-apify-pagination-limit'), '2');
      assert.equal(response.headers.get('x-apify-pagination-count'), '2');
      assert.equal(response.headers.get('x-apify-pagination-desc'), 'true');
      assert.deepEqual(((await response.json()) as { a?: number }[]).map((item) => item.a), [undefined, 2]);
      const page = await f.user.dataset(id).listItems({ offset: 1, limit: 2, desc: true });
      assert.equal(page.total, 4);
      assert.equal(page.count, 2);
      assert.equal(page.desc, true);
    });

    it('applies fields, omit, unwind, flatten, skipHidden, skipEmpty and clean as the platform does', async () => {
      const client = f.user.dataset(id);
      assert.deepEqual((await client.listItems({ fields: ['a'], limit: 2 })).items, [{ a: 1 }, { a: 2 }]);
      assert.deepEqual((await client.listItems({ omit: ['nested', 'list', '#hidden'], limit: 1 })).items, [{ a: 1 }]);
      // An empty array unwinds to no row; an item without the fields is an empty row (skipEmpty drops it).
      assert.deepEqual((await client.listItems({ unwind: 'list', fields: ['a', 'k'] })).items, [{ a: 1, k: 'p' }, { a: 1, k: 'q' }, {}, { a: 4, k: 'r' }]);
      assert.deepEqual((await client.listItems({ flatten: ['nested'], fields: ['nested'], limit: 1 })).items, [{ 'nested.x': 1, 'nested.y': 2 }]);
      assert.deepEqual((await client.listItems({ skipHidden: true, fields: ['#hidden', 'a'], limit: 1 })).items, [{ a: 1 }]);
      assert.equal((await client.listItems({ skipEmpty: true, fields: ['a'] })).items.length, 3);
      assert.equal((await client.listItems({ clean: true })).items.length, 3);
    });

    it('exports json, jsonl, csv, xml, html, rss and xlsx with their content types', async () => {
      const client = f.user.dataset(id);
      const jsonl = (await client.downloadItems('jsonl' as never, { fields: ['a'] })).toString().trim().split('\n');
      assert.deepEqual(jsonl.map((line) => JSON.parse(line)), [{ a: 1 }, { a: 2 }, {}, { a: 4 }]);
      const csv = (await client.downloadItems('csv' as never, { fields: ['a'], skipEmpty: true })).toString();
      assert.equal(csv, 'a\r\n1\r\n2\r\n4\r\n');
      const xml = (await client.downloadItems('xml' as never, { fields: ['a'], limit: 1 })).toString();
      assert.match(xml, /<items>\n<item><a>1<\/a><\/item>\n<\/items>/);
      const expected: Record<string, RegExp> = { json: /^application\/json/, html: /^text\/html/, rss: /^application\/rss\+xml/, xlsx: /spreadsheetml/ };
      for (const [format, type] of Object.entries(expected)) {
        const response = await raw(`/v2/datasets/${id}/items?format=${format}&attachment=1`);
        assert.equal(response.status, 200, format);
        assert.match(response.headers.get('content-type') ?? '', type);
        assert.match(response.headers.get('content-disposition') ?? '', /^attachment/);
      }
      const xlsx = Buffer.from(await (await raw(`/v2/datasets/${id}/items?format=xlsx`)).arrayBuffer());
      assert.equal(xlsx.subarray(0, 2).toString(), 'PK');
    });

    it('refuses an unknown format and the export options it does not have, by name', async () => {
      const unknown = await raw(`/v2/datasets/${id}/items?format=yaml`);
      assert.equal(unknown.status, 400);
      assert.match(((await unknown.json()) as { error: { message: string } }).error.message, /Unknown format "yaml"/);
      const delimiter = await raw(`/v2/datasets/${id}/items?format=csv&delimiter=;`);
      assert.equal(delimiter.status, 400);
      assert.match(((await delimiter.json()) as { error: { message: string } }).error.message, /"delimiter"/);
    });
  });

  describe('a view of the Actor\'s dataset schema', () => {
    it('applies the view\'s transformation to a run\'s dataset', async () => {
      fs.writeFileSync(
        path.join(f.actorRoot, '.actor', 'actor.json'),
        JSON.stringify({ actorSpecification: 1, name: 'my-actor', version: '0.0', storages: { dataset: { actorSpecification: 1, views: { overview: { title: 'O', transformation: { fields: ['b'] }, display: { component: 'table' } } } } } }),
      );
      const id = f.runB.record.defaultDatasetId;
      await f.runB.client.dataset(id).pushItems([{ a: 1, b: 2 }]);
      assert.deepEqual((await f.runB.client.dataset(id).listItems({ view: 'overview' })).items, [{ b: 2 }]);
      const missing = await raw(`/v2/datasets/${id}/items?view=nope`, {}, f.runB.token);
      assert.equal(missing.status, 400);
      assert.match(((await missing.json()) as { error: { message: string } }).error.message, /no view "nope"/);
    });
  });

  describe('bad input', () => {
    let id: string;
    before(async () => {
      ({ id } = await f.user.datasets().getOrCreate('bad-input'));
    });

    it('refuses items that are not objects, writing none of the batch', async () => {
      const response = await raw(`/v2/datasets/${id}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ ok: 1 }, 'text', 3]) });
      assert.equal(response.status, 400);
      const { error } = (await response.json()) as { error: { type: string; message: string } };
      assert.equal(error.type, 'invalid-input');
      assert.match(error.message, /Item 2 .* a string/);
      assert.equal((await f.user.dataset(id).get())?.itemCount, 0);
    });

    it('refuses a push over 9 MB (after decompression) with 413', async () => {
      const big = JSON.stringify([{ text: 'x'.repeat(9.5 * 1024 * 1024) }]);
      const response = await raw(`/v2/datasets/${id}/items`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(big) });
      assert.equal(response.status, 413);
      assert.equal(((await response.json()) as { error: { type: string } }).error.type, 'request-too-large');
      await assert.rejects(f.user.dataset(id).pushItems([{ text: 'y'.repeat(9.5 * 1024 * 1024) }]), (error: Error & { statusCode?: number }) => error.statusCode === 413);
    });

    it('names a corrupt item file in a clean error instead of crashing, and keeps serving', async () => {
      await f.user.dataset(id).pushItems([{ n: 1 }, { n: 2 }]);
      fs.writeFileSync(path.join(f.root, '.greenroom', 'storage', 'datasets', id, '000000002.json'), '{"n": 2,');
      const response = await raw(`/v2/datasets/${id}/items`);
      assert.equal(response.status, 409);
      const { error } = (await response.json()) as { error: { type: string; message: string } };
      assert.equal(error.type, 'storage-file-unreadable');
      assert.match(error.message, /Item 2 \(000000002\.json\) is not valid JSON/);
      const csv = await raw(`/v2/datasets/${id}/items?format=csv`);
      assert.equal(csv.status, 409);
      assert.deepEqual((await f.user.dataset(id).listItems({ limit: 1 })).items, [{ n: 1 }]);
    });

    it('refuses a bad item option naming the parameter (the same reading as greenroom items and the viewer\'s export)', async () => {
      for (const [query, message] of [
        ['offset=x', /Parameter "offset" must be a whole number ≥ 0, got "x"/],
        ['limit=-1', /Parameter "limit" must be a whole number ≥ 0, got "-1"/],
        ['clean=maybe', /Parameter "clean" must be true, false, 1 or 0, got "maybe"/],
      ] as const) {
        const response = await raw(`/v2/datasets/${id}/items?${query}`);
        assert.equal(response.status, 400, query);
        assert.match(((await response.json()) as { error: { message: string } }).error.message, message);
      }
    });

    it('refuses invalid ids and names before touching files', async () => {
      const badId = await raw('/v2/datasets/..%2F..%2Fetc/items');
      assert.equal(badId.status, 400);
      await assert.rejects(f.user.datasets().getOrCreate('bad_name'), /Invalid storage name "bad_name"/);
      assert.equal(await f.user.dataset('nothing-here').get(), undefined);
    });
  });

  it('renames, lists and deletes datasets', async () => {
    const { id } = await f.user.datasets().getOrCreate();
    const renamed = await f.user.dataset(id).update({ name: 'renamed-one' });
    assert.equal(renamed.name, 'renamed-one');
    assert.equal((await f.user.datasets().getOrCreate('renamed-one')).id, id);
    const list = await f.user.datasets().list();
    assert.ok(list.items.some((dataset) => dataset.id === id));
    assert.ok(!list.items.some((dataset) => !dataset.name), 'unnamed ones are listed only with unnamed=1');
    await f.user.dataset(id).delete();
    assert.equal(await f.user.dataset(id).get(), undefined);
  });
});
