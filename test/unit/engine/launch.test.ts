import * as assert from 'node:assert/strict';
import { CONTAINER_STORAGE_DIR, containerCreateOptions, Launch } from '../../../src/engine/launch';
import { actorIdOf } from '../../../src/engine/platformLink';
import { adoptEscalation } from '../../../src/engine/runRecords';
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

  const atHome: Launch['atHome'] = {
    platform: { apiBaseUrl: 'http://172.17.0.1:8321', publicBaseUrl: 'http://127.0.0.1:8321', eventsWebsocketUrl: 'ws://172.17.0.1:8321/v2/actor-runs/R1/events?token=t', userId: 'U1' },
    actorId: 'A1',
    token: 'greenroom_run_R1_secret',
  };

  it('at home: no storage mount, the platform environment in the ACTOR_* and legacy APIFY_* names, none of the local-mode storage variables', () => {
    const storageIds = { datasets: { default: 'D1', extra: 'D2' }, keyValueStores: { default: 'K1' }, requestQueues: { default: 'Q1' } };
    const options = containerCreateOptions(launch({ run: { ...run, actId: 'hello', storageIds }, atHome }));
    assert.equal(options.HostConfig?.Binds, undefined, 'nothing of the host is mounted');
    const vars = env(options);
    assert.equal(vars.APIFY_IS_AT_HOME, '1');
    assert.deepEqual([vars.APIFY_API_BASE_URL, vars.APIFY_API_PUBLIC_BASE_URL], ['http://172.17.0.1:8321', 'http://127.0.0.1:8321']);
    assert.equal(vars.APIFY_TOKEN, 'greenroom_run_R1_secret');
    assert.deepEqual([vars.ACTOR_ID, vars.APIFY_ACTOR_ID, vars.ACTOR_FULL_NAME], ['A1', 'A1', 'hello']);
    assert.deepEqual([vars.ACTOR_RUN_ID, vars.APIFY_ACTOR_RUN_ID, vars.APIFY_USER_ID], ['R1', 'R1', 'U1']);
    assert.equal(vars.ACTOR_EVENTS_WEBSOCKET_URL, atHome!.platform.eventsWebsocketUrl);
    assert.equal(vars.APIFY_ACTOR_EVENTS_WS_URL, atHome!.platform.eventsWebsocketUrl);
    assert.deepEqual(JSON.parse(vars.ACTOR_STORAGES_JSON), storageIds);
    assert.deepEqual([vars.ACTOR_DEFAULT_DATASET_ID, vars.APIFY_DEFAULT_DATASET_ID, vars.APIFY_DEFAULT_KEY_VALUE_STORE_ID, vars.APIFY_DEFAULT_REQUEST_QUEUE_ID], ['D1', 'D1', 'K1', 'Q1']);
    assert.deepEqual([vars.ACTOR_MEMORY_MBYTES, vars.APIFY_MEMORY_MBYTES], ['512', '512']);
    assert.deepEqual([vars.ACTOR_TIMEOUT_AT, vars.APIFY_TIMEOUT_AT], ['2026-01-01T00:01:00.000Z', '2026-01-01T00:01:00.000Z']);
    assert.deepEqual([vars.ACTOR_STARTED_AT, vars.APIFY_STARTED_AT], [run.startedAt, run.startedAt]);
    assert.deepEqual([vars.APIFY_ACTOR_BUILD_ID, vars.APIFY_ACTOR_BUILD_NUMBER, vars.ACTOR_BUILD_TAGS], ['B1', '0.1.3', 'latest,beta']);
    assert.deepEqual([vars.ACTOR_WEB_SERVER_PORT, vars.APIFY_CONTAINER_PORT, vars.ACTOR_WEB_SERVER_URL, vars.APIFY_CONTAINER_URL], ['4321', '4321', 'http://127.0.0.1:50001', 'http://127.0.0.1:50001']);
    for (const local of ['CRAWLEE_STORAGE_DIR', 'APIFY_LOCAL_STORAGE_DIR', 'CRAWLEE_PURGE_ON_START', 'CRAWLEE_DEFAULT_DATASET_ID']) assert.ok(!(local in vars), `${local} is local mode's`);
  });

  it('a standby run: ACTOR_STANDBY_PORT (the web server port) and ACTOR_STANDBY_URL, origin STANDBY; other runs have neither', () => {
    const standbyRun = { ...run, meta: { origin: 'STANDBY' }, greenroom: { ...run.greenroom, standbyUrl: 'http://127.0.0.1:50002/' } } as RunRecord;
    const vars = env(containerCreateOptions(launch({ run: standbyRun })));
    assert.deepEqual([vars.ACTOR_STANDBY_PORT, vars.ACTOR_WEB_SERVER_PORT, vars.ACTOR_STANDBY_URL, vars.APIFY_META_ORIGIN], ['4321', '4321', 'http://127.0.0.1:50002/', 'STANDBY']);
    const plain = env(containerCreateOptions(launch()));
    assert.deepEqual([plain.ACTOR_STANDBY_PORT, plain.ACTOR_STANDBY_URL], [undefined, undefined]);
  });

  it("at home: actor.json's variables cannot fake the platform's", () => {
    const vars = env(containerCreateOptions(launch({ env: { APIFY_TOKEN: 'stolen', ACTOR_RUN_ID: 'other' }, atHome })));
    assert.deepEqual([vars.APIFY_TOKEN, vars.ACTOR_RUN_ID], ['greenroom_run_R1_secret', 'R1']);
  });

  it("at home, a priced run: its pricing, its charges so far and its limit, as the SDK's ChargingManager reads them", () => {
    const pricingInfo = { pricingModel: 'PAY_PER_EVENT', pricingPerEvent: { actorChargeEvents: { a: { eventTitle: 'A', eventPriceUsd: 1 } } } };
    const priced = { ...run, pricingInfo, options: { ...run.options, maxTotalChargeUsd: 1.5 } } as RunRecord;
    const vars = env(containerCreateOptions(launch({ run: priced, atHome, chargedEventCounts: { 'apify-actor-start': 1 } })));
    assert.deepEqual(JSON.parse(vars.APIFY_ACTOR_PRICING_INFO), pricingInfo);
    assert.deepEqual(JSON.parse(vars.APIFY_CHARGED_ACTOR_EVENT_COUNTS), { 'apify-actor-start': 1 });
    assert.equal(vars.ACTOR_MAX_TOTAL_CHARGE_USD, '1.5');
    assert.equal(vars.ACTOR_RESTART_ON_ERROR, '0', 'restartOnError is off unless the run asks for it');
    const free = env(containerCreateOptions(launch({ atHome })));
    assert.ok(!('APIFY_ACTOR_PRICING_INFO' in free) && !('ACTOR_MAX_TOTAL_CHARGE_USD' in free));
  });
});

describe('engine: the Actor id and the record another process wrote', () => {
  it('derives a stable platform-shaped id from the name', () => {
    assert.match(actorIdOf('hello-actor'), /^[A-Za-z0-9]{17}$/);
    assert.equal(actorIdOf('hello-actor'), actorIdOf('hello-actor'));
    assert.notEqual(actorIdOf('hello-actor'), actorIdOf('hello-actor2'));
  });

  const record = (over: Record<string, unknown>, greenroom: Record<string, unknown> = {}) =>
    ({ id: 'R1', status: 'RUNNING', statusMessage: null, isStatusMessageTerminal: false, ...over, greenroom: { atHome: true, ...greenroom } }) as unknown as RunRecord;

  it('keeps the newer status message another process wrote (the API at home), and a migration it asked for; an older one does not win', () => {
    const mine = record({ statusMessage: 'mine' }, { statusMessageSetAt: '2026-01-01T00:00:01.000Z' });
    const migration = { kind: 'migration', requestedAt: '2026-01-01T00:00:01.000Z', deadlineAt: '2026-01-01T00:00:31.000Z' };
    adoptEscalation(mine, record({ statusMessage: 'from the API', isStatusMessageTerminal: true }, { statusMessageSetAt: '2026-01-01T00:00:02.000Z', migration }));
    assert.deepEqual([mine.statusMessage, mine.isStatusMessageTerminal, mine.greenroom.migration?.kind], ['from the API', true, 'migration']);
    const newer = record({ statusMessage: 'newer' }, { statusMessageSetAt: '2026-01-01T00:00:03.000Z' });
    adoptEscalation(newer, record({ statusMessage: 'older' }, { statusMessageSetAt: '2026-01-01T00:00:02.000Z' }));
    assert.equal(newer.statusMessage, 'newer');
  });

  it('keeps its own handled migration and its own final record', () => {
    const request = { kind: 'migration' as const, requestedAt: '2026-01-01T00:00:01.000Z', deadlineAt: '2026-01-01T00:00:31.000Z' };
    const mine = record({}, { migration: { ...request, handledAt: '2026-01-01T00:00:05.000Z' } });
    adoptEscalation(mine, record({}, { migration: request }));
    assert.equal(mine.greenroom.migration?.handledAt, '2026-01-01T00:00:05.000Z');
    const finished = record({ status: 'SUCCEEDED', statusMessage: 'Finished' });
    adoptEscalation(finished, record({ statusMessage: 'from the API' }, { statusMessageSetAt: '2026-01-01T00:00:02.000Z' }));
    assert.equal(finished.statusMessage, 'Finished');
  });
});
