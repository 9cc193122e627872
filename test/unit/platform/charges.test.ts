/**
 * Pay-per-event through the local API, driven by the stock apify-client over records written as the engine writes
 * them (no Docker): pricing set with `actor.update({pricingInfos})`, `run.charge()` with its idempotency key,
 * default-dataset items charged as they are pushed, the run's counts and cost, and the refusals.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApifyClient } from 'apify-client';
import type { RunRecord } from '../../../src/engine';
import { actorIdOf } from '../../../src/engine/platformLink';
import type { PayPerEventPricing } from '../../../src/engine/pricing';
import { newRunToken, newUserToken, PlatformServer, startPlatformServer } from '../../../src/platform';
import { API_REWRITES, API_ROUTES } from '../../../src/platform/routes';
import { createStorages } from '../../../src/storage';
import { ActorWorkspace } from '../../../src/workspace';
import { runRecordFixture } from '../runRecordFixture';
import { makeScratchActor } from './scratchActor';

const PRICING: PayPerEventPricing = {
  pricingModel: 'PAY_PER_EVENT',
  pricingPerEvent: {
    actorChargeEvents: {
      'apify-default-dataset-item': { eventTitle: 'Item', eventPriceUsd: 0.005 },
      foobar: { eventTitle: 'Foo bar', eventPriceUsd: 0.1 },
    },
  },
};

describe('platform pay-per-event', () => {
  let root: string;
  let actorRoot: string;
  let server: PlatformServer;
  let workspace: ActorWorkspace;
  let baseUrl: string;
  let user: ApifyClient;

  function writeRun(id: string, fields: Partial<RunRecord>): ApifyClient {
    const token = newRunToken(id);
    const record = runRecordFixture(id, path.join(actorRoot, '.greenroom', 'storage'), { actId: 'ppe-actor', status: 'RUNNING', exitCode: null, defaultDatasetId: `${id}-dataset`, ...fields }, { apiToken: token });
    fs.writeFileSync(path.join(actorRoot, '.greenroom', 'runs', `${id}.json`), JSON.stringify(record));
    createStorages(record.greenroom.storageDir, { datasetId: record.defaultDatasetId, keyValueStoreId: record.defaultKeyValueStoreId, requestQueueId: record.defaultRequestQueueId });
    return new ApifyClient({ token, baseUrl, maxRetries: 0 });
  }

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-platform-charges-'));
    actorRoot = path.join(root, 'ppe-actor');
    makeScratchActor(actorRoot, 'ppe-actor');
    workspace = new ActorWorkspace({ roots: () => [root], engineSettings: () => ({ origin: 'CLI' }) });
    const userToken = newUserToken();
    server = await startPlatformServer({ workspace, userToken, hosts: ['127.0.0.1'], routes: API_ROUTES, rewrites: API_REWRITES });
    baseUrl = server.baseUrl('127.0.0.1');
    user = new ApifyClient({ token: userToken, baseUrl, maxRetries: 0 });
  });
  after(async () => {
    await server.close();
    workspace.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('keeps pricingInfos set through actor.update() and shows them on the Actor', async () => {
    const actor = user.actor(actorIdOf('ppe-actor'));
    const updated = await actor.update({ pricingInfos: [PRICING] } as never);
    assert.deepEqual(updated.pricingInfos, [PRICING]);
    assert.deepEqual((await actor.get())?.pricingInfos, [PRICING]);
    await assert.rejects(actor.update({ title: 'x' } as never), /Only pricingInfos/);
    await assert.rejects(actor.update({ pricingInfos: [{ pricingModel: 'PAY_PER_EVENT' }] } as never), /pricingPerEvent/);
  });

  it('charges events with an idempotency key counted once, and items pushed to the default dataset', async () => {
    const client = writeRun('ppeRunAaaaaaaaaaa', { pricingInfo: PRICING, options: { build: 'latest', timeoutSecs: 0, memoryMbytes: 1024, maxTotalChargeUsd: 0.25 } });
    const run = client.run('ppeRunAaaaaaaaaaa');
    await run.charge({ eventName: 'foobar', count: 2, idempotencyKey: 'once' });
    await run.charge({ eventName: 'foobar', count: 2, idempotencyKey: 'once' });
    await run.charge({ eventName: 'foobar' });
    await client.dataset('ppeRunAaaaaaaaaaa-dataset').pushItems([{ a: 1 }, { a: 2 }]);
    const got = (await user.run('ppeRunAaaaaaaaaaa').get()) as unknown as Record<string, unknown>;
    assert.deepEqual(got.chargedEventCounts, { foobar: 3, 'apify-default-dataset-item': 2 });
    // 0.25: two foobars (0.2), the third is over; both items (0.01) still fit after it.
    assert.deepEqual(got.accountedChargedEventCounts, { foobar: 2, 'apify-default-dataset-item': 2 });
    assert.equal(got.usageTotalUsd, 0.21);
    assert.deepEqual(got.pricingInfo, PRICING);
    assert.equal((got.options as Record<string, unknown>).maxTotalChargeUsd, 0.25);
  });

  it('refuses what the platform refuses: an event not priced, a synthetic event, a bad count, a free run, another run', async () => {
    const client = writeRun('ppeRunBbbbbbbbbbb', { pricingInfo: PRICING });
    const run = client.run('ppeRunBbbbbbbbbbb');
    await assert.rejects(run.charge({ eventName: 'nope' }), /not in the run's pricing \(its events: apify-default-dataset-item, foobar\)/);
    await assert.rejects(run.charge({ eventName: 'apify-default-dataset-item' }), /charged by the platform itself/);
    await assert.rejects(run.charge({ eventName: 'foobar', count: 0 }), /whole number ≥ 1/);
    await assert.rejects(client.run('ppeRunAaaaaaaaaaa').charge({ eventName: 'foobar' }), /does not give access/);
    const free = writeRun('freeRunCccccccccc', {});
    await assert.rejects(free.run('freeRunCccccccccc').charge({ eventName: 'foobar' }), /not pay-per-event/);
    const got = (await user.run('freeRunCccccccccc').get()) as unknown as Record<string, unknown>;
    assert.equal('chargedEventCounts' in got, false);
  });
});
