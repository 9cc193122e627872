import * as assert from 'node:assert/strict';
import { CONTAINER_STORAGE_DIR, containerCreateOptions, Launch } from '../../../src/engine/launch';
import type { BuildRecord, RunRecord } from '../../../src/engine/types';

const build = { id: 'B1', buildNumber: '0.1.3', imageName: 'greenroom/hello-abc:0.1.3' } as BuildRecord;
const run = {
  id: 'R1',
  startedAt: '2026-01-01T00:00:00.000Z',
  meta: { origin: 'CLI' },
  options: { build: '0.1.3', timeoutSecs: 60, memoryMbytes: 512, maxItems: 10 },
  defaultDatasetId: 'D1',
  defaultKeyValueStoreId: 'K1',
  defaultRequestQueueId: 'Q1',
  containerUrl: 'http://127.0.0.1:50001',
  greenroom: { storageDir: '/actor/.greenroom/storage', inputKey: 'INPUT', timeoutAt: '2026-01-01T00:01:00.000Z' },
} as RunRecord;

function launch(overrides: Partial<Launch> = {}): Launch {
  return { run, build, buildTags: ['latest', 'beta'], actorRoot: '/actor', env: { MY_SECRET: 's3cret', ACTOR_MEMORY_MBYTES: '1' }, inputSecretsEnv: { KEY: 'k' }, ...overrides };
}

function env(options: ReturnType<typeof containerCreateOptions>): Record<string, string> {
  return Object.fromEntries(options.Env!.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}

describe('engine: what a run container is given (launch)', () => {
  it('names the image, labels the container, mounts the storage root and limits memory without swap', () => {
    const options = containerCreateOptions(launch());
    assert.equal(options.Image, build.imageName);
    assert.deepEqual(options.Labels, { 'dev.greenroom.run-id': 'R1', 'dev.greenroom.actor-root': '/actor', 'dev.greenroom.build-id': 'B1' });
    assert.deepEqual(options.HostConfig?.Binds, [`/actor/.greenroom/storage:${CONTAINER_STORAGE_DIR}`]);
    assert.equal(options.HostConfig?.Memory, 512 * 1024 * 1024);
    assert.equal(options.HostConfig?.MemorySwap, 512 * 1024 * 1024);
    assert.equal(options.HostConfig?.Init, true);
  });

  it("gives the SDK's local-storage environment, the Actor's variables and the input secrets key; the SDK's own names win", () => {
    const vars = env(containerCreateOptions(launch()));
    assert.equal(vars.MY_SECRET, 's3cret');
    assert.equal(vars.KEY, 'k');
    assert.equal(vars.ACTOR_MEMORY_MBYTES, '512', 'a variable of actor.json cannot fake the memory limit');
    assert.equal(vars.CRAWLEE_STORAGE_DIR, CONTAINER_STORAGE_DIR);
    assert.equal(vars.CRAWLEE_PURGE_ON_START, '0');
    assert.deepEqual([vars.ACTOR_DEFAULT_DATASET_ID, vars.ACTOR_DEFAULT_KEY_VALUE_STORE_ID, vars.ACTOR_DEFAULT_REQUEST_QUEUE_ID], ['D1', 'K1', 'Q1']);
    assert.deepEqual([vars.ACTOR_BUILD_ID, vars.ACTOR_BUILD_NUMBER, vars.ACTOR_BUILD_TAGS], ['B1', '0.1.3', 'latest,beta']);
    assert.equal(vars.ACTOR_WEB_SERVER_URL, 'http://127.0.0.1:50001');
    assert.equal(vars.ACTOR_TIMEOUT_AT, '2026-01-01T00:01:00.000Z');
    assert.equal(vars.ACTOR_MAX_PAID_DATASET_ITEMS, '10');
    assert.equal(vars.APIFY_META_ORIGIN, 'CLI');
    assert.ok(!('APIFY_IS_AT_HOME' in vars) && !('ACTOR_RUN_ID' in vars), 'nothing switches the SDK to the platform API');
  });

  it('publishes the web server port only when asked: on a chosen host port, or one Docker chooses', () => {
    const unpublished = containerCreateOptions(launch());
    assert.equal(unpublished.ExposedPorts, undefined);
    assert.equal(unpublished.HostConfig?.PortBindings, undefined);
    const local = containerCreateOptions(launch({ webServer: { hostIp: '127.0.0.1', hostPort: 50001 } }));
    assert.deepEqual(local.ExposedPorts, { '4321/tcp': {} });
    assert.deepEqual(local.HostConfig?.PortBindings, { '4321/tcp': [{ HostIp: '127.0.0.1', HostPort: '50001' }] });
    assert.equal(local.HostConfig?.Memory, 512 * 1024 * 1024, 'the rest stays');
    const remote = containerCreateOptions(launch({ webServer: { hostIp: '', hostPort: undefined } }));
    assert.deepEqual(remote.HostConfig?.PortBindings, { '4321/tcp': [{ HostIp: '', HostPort: '' }] });
  });
});
