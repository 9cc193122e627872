/** Who reaches which storage: a run token its own default and alias storages, named ones and unowned ones, never another run's; the user token everything. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startStorageFixture, StorageFixture } from './storageFixture';

type ApiFailure = Error & { statusCode?: number; type?: string };
const refused = (status: number) => (error: ApiFailure) => error.statusCode === status;

describe('platform storage access', () => {
  let f: StorageFixture;
  before(async () => {
    f = await startStorageFixture();
  });
  after(() => f.close());

  it('gives a run its own default and alias storages', async () => {
    const { record, client } = f.runA;
    await client.dataset(record.defaultDatasetId).pushItems({ mine: true });
    await client.dataset(record.storageIds!.datasets.extra).pushItems({ alias: true });
    await client.keyValueStore(record.defaultKeyValueStoreId).setRecord({ key: 'OUTPUT', value: { ok: 1 } });
    await client.requestQueue(record.defaultRequestQueueId).addRequest({ url: 'https://a', uniqueKey: 'a' });
    const dataset = await client.dataset(record.defaultDatasetId).get();
    assert.equal(dataset?.actRunId, record.id);
    assert.equal(dataset?.actId, record.actId);
  });

  it('refuses a run another run\'s default and alias storages with 403, reading and writing', async () => {
    const other = f.runB.record;
    const { client } = f.runA;
    await assert.rejects(client.dataset(other.defaultDatasetId).listItems(), refused(403));
    await assert.rejects(client.dataset(other.defaultDatasetId).pushItems({ planted: true }), refused(403));
    await assert.rejects(client.dataset(other.storageIds!.datasets.extra).pushItems({ planted: true }), refused(403));
    await assert.rejects(client.keyValueStore(other.defaultKeyValueStoreId).setRecord({ key: 'INPUT', value: {} }), refused(403));
    await assert.rejects(client.keyValueStore(other.defaultKeyValueStoreId).getRecord('INPUT'), refused(403));
    await assert.rejects(client.requestQueue(other.defaultRequestQueueId).listHead(), refused(403));
    await assert.rejects(client.dataset(other.defaultDatasetId).delete(), refused(403));
    const response = await fetch(`${f.baseUrl}/v2/datasets/${other.defaultDatasetId}?token=${f.runA.token}`);
    assert.equal(((await response.json()) as { error: { type: string } }).error.type, 'insufficient-permissions');
    assert.deepEqual(fs.readdirSync(path.join(other.greenroom.storageDir, 'datasets', other.defaultDatasetId)), [], 'nothing was written');
    const listed = await client.datasets().list({ unnamed: true });
    assert.ok(!listed.items.some((dataset) => dataset.id === other.defaultDatasetId), 'another run\'s dataset is not even listed');
  });

  it('lets every run reach named storages and storages no run owns', async () => {
    const named = await f.runA.client.keyValueStores().getOrCreate('shared-config');
    await f.runB.client.keyValueStore(named.id).setRecord({ key: 'from-b', value: 'hi' });
    assert.equal((await f.runA.client.keyValueStore(named.id).getRecord('from-b'))?.value, 'hi');
    const unowned = await f.user.datasets().getOrCreate('users-own');
    await f.runB.client.dataset(unowned.id).pushItems({ from: 'b' });
    assert.equal((await f.user.dataset(unowned.id).listItems()).total, 1);
  });

  it('gives the user token every run\'s storages', async () => {
    const { record } = f.runB;
    await f.user.dataset(record.defaultDatasetId).pushItems({ by: 'user' });
    assert.equal((await f.user.dataset(record.defaultDatasetId).get())?.actRunId, record.id);
    const all = await f.user.datasets().list({ unnamed: true });
    for (const run of [f.runA, f.runB]) assert.ok(all.items.some((dataset) => dataset.id === run.record.defaultDatasetId));
  });

  it('finds storages of the Actor\'s apify-run folder (storage/) too', async () => {
    const dir = path.join(f.actorRoot, 'storage', 'datasets', 'local-run-data');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, '000000001.json'), '{"from": "apify run"}');
    assert.deepEqual((await f.runA.client.dataset('local-run-data').listItems()).items, [{ from: 'apify run' }]);
    assert.equal((await f.user.dataset('local-run-data').get())?.name, 'local-run-data');
  });

  it('serves Crawlee\'s own Dataset and KeyValueStore at home, as the SDK opens them', async () => {
    // The devDependency is pinned to the Crawlee the SDK in the test images carries (test/docker/fixtures.ts).
    type Opened<T> = { open(idOrName: string, options: { storageClient: unknown; config: unknown }): Promise<T> };
    const { Dataset, KeyValueStore, Configuration } = require('@crawlee/core') as {
      Dataset: Opened<{ id: string; pushData(items: unknown): Promise<void>; getData(options?: object): Promise<{ items: unknown[]; total: number }> }>;
      KeyValueStore: Opened<{ setValue(key: string, value: unknown, options?: object): Promise<void>; getValue(key: string): Promise<unknown> }>;
      Configuration: new (options: Record<string, unknown>) => unknown;
    };
    const options = { storageClient: f.runA.client, config: new Configuration({ persistStorage: false }) };
    const dataset = await Dataset.open('crawlee-named', options);
    await dataset.pushData([{ n: 1 }, { n: 2 }]);
    assert.deepEqual((await dataset.getData({ desc: true })).items, [{ n: 2 }, { n: 1 }]);
    const store = await KeyValueStore.open(f.runA.record.defaultKeyValueStoreId, options);
    await store.setValue('STATE', { page: 3 });
    await store.setValue('notes', 'text', { contentType: 'text/plain' });
    assert.deepEqual(await store.getValue('STATE'), { page: 3 });
    assert.equal(await store.getValue('notes'), 'text');
    await store.setValue('STATE', null);
    assert.equal(await store.getValue('STATE'), null);
    assert.ok(fs.existsSync(path.join(f.runA.record.greenroom.storageDir, 'datasets', 'crawlee-named', '000000002.json')));
  });

  it('refuses requests without a valid token', async () => {
    const none = await fetch(`${f.baseUrl}/v2/datasets/${f.runA.record.defaultDatasetId}/items`);
    assert.equal(none.status, 401);
    const stale = await fetch(`${f.baseUrl}/v2/datasets/${f.runA.record.defaultDatasetId}/items?token=${f.runA.token.slice(0, -2)}xx`);
    assert.equal(stale.status, 401);
  });
});
