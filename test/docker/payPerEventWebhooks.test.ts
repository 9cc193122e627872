/**
 * Pay-per-event and webhooks at home, with the real Apify SDK (test/fixtures/engine/ppe-webhooks-actor): pricing
 * from the Actor's committed `.actor/pay_per_event.json`, `Actor.charge()` and priced `pushData` held to
 * maxTotalChargeUsd by the SDK, the synthetic start event; webhooks from `.actor/webhooks.json`, the run option and
 * `Actor.addWebhook()`, delivered to a loopback HTTP server and recorded as dispatches.
 */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ActorEngine, BuildRecord, DockerClient, SecretsStore } from '../../src/engine';
import { LOCAL_CHARGING_LOG_DATASET, runCharges } from '../../src/engine/chargeLedger';
import { eventsChannel, newUserToken, PlatformServer, startPlatformServer } from '../../src/platform';
import { dockerBridgeGateway } from '../../src/platform/bridgeGateway';
import { API_REWRITES, API_ROUTES } from '../../src/platform/routes';
import { readDispatches } from '../../src/platform/webhooks/webhooks';
import { ActorWorkspace } from '../../src/workspace';
import { copyFixture } from './fixtures';
import { GRACEFUL_MS, SECRETS_FILE } from './helpers';
import { serverPlatformLink } from './platformLink';

interface Delivery {
  path: string;
  body: Record<string, unknown>;
}

describe('engine: pay-per-event and webhooks at home (real SDK)', function () {
  this.timeout(480_000);
  let root: string;
  let server: PlatformServer;
  let engine: ActorEngine;
  let build: BuildRecord;
  let receiver: Server;
  let hookBase: string;
  const deliveries: Delivery[] = [];

  before(async function () {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        deliveries.push({ path: request.url ?? '', body: JSON.parse(body) as Record<string, unknown> });
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    // `localhost`: the webhooks are sent from this machine, so it names the developer's machine.
    hookBase = `http://localhost:${(receiver.address() as AddressInfo).port}`;
    root = copyFixture('ppe-webhooks-actor');
    writeFileSync(join(root, '.actor', 'webhooks.json'), JSON.stringify([{ eventTypes: ['ACTOR.RUN.CREATED', 'ACTOR.RUN.SUCCEEDED', 'ACTOR.BUILD.SUCCEEDED'], requestUrl: `${hookBase}/actor-hook` }]));
    const answer = await dockerBridgeGateway(new DockerClient());
    if (!('gateway' in answer)) throw new Error(`No Docker bridge gateway: ${answer.reason}`);
    const workspace = new ActorWorkspace({
      roots: () => [root],
      engineSettings: () => ({ origin: 'DEVELOPMENT', gracefulAbortMs: GRACEFUL_MS, secrets: new SecretsStore(SECRETS_FILE, []), platform: serverPlatformLink(server, answer.gateway) }),
    });
    server = await startPlatformServer({ workspace, userToken: newUserToken(), hosts: ['127.0.0.1', answer.gateway], routes: API_ROUTES, rewrites: API_REWRITES, upgradeHandlers: [eventsChannel] });
    engine = workspace.engineFor(root);
    build = await engine.build().finished;
    assert.equal(build.status, 'SUCCEEDED', engine.readBuildLog(build.id));
  });
  after(async () => {
    engine?.dispose();
    await server?.close();
    receiver?.close();
  });

  it('charges within maxTotalChargeUsd as the SDK decides, and sends every webhook of the run', async () => {
    const handle = await engine.run({
      memoryMbytes: 1024,
      maxTotalChargeUsd: 1,
      input: { pages: 3, results: 100, hookUrl: `${hookBase}/sdk-hook` },
      webhooks: [{ eventTypes: ['ACTOR.RUN.SUCCEEDED'], requestUrl: `${hookBase}/option-hook`, payloadTemplate: '{"dataset": {{resource.defaultDatasetId}}}' }],
    });
    const run = await handle.finished;
    assert.equal(run.status, 'SUCCEEDED', engine.readRunLog(run.id));
    await engine.webhooksIdle();

    // 1 USD: the start (0.5), 3 pages (0.3), then results at 0.01 while they fit: 20.
    const cost = runCharges(engine.layout, run)!;
    assert.deepEqual(cost.chargedEventCounts, { 'apify-actor-start': 1, page: 3, result: 20 });
    assert.deepEqual(cost.accountedChargedEventCounts, cost.chargedEventCounts);
    assert.equal(cost.accountedTotalUsd, 1);
    assert.equal(engine.storages(run.id).datasetItemCount(run.defaultDatasetId), 20);
    const seen = JSON.parse(engine.storages(run.id).readRecord(run.defaultKeyValueStoreId, 'CHARGES')!.value.toString());
    assert.equal(seen.pricing.isPayPerEvent, true);
    assert.equal(seen.pricing.maxTotalChargeUsd, 1);
    assert.equal(seen.charge.chargedCount, 3);

    const paths = deliveries.map((d) => d.path).sort();
    assert.deepEqual(paths, ['/actor-hook', '/actor-hook', '/actor-hook', '/option-hook', '/sdk-hook']);
    const created = deliveries.find((d) => d.path === '/actor-hook' && d.body.eventType === 'ACTOR.RUN.CREATED')!;
    assert.deepEqual(Object.keys(created.body), ['userId', 'createdAt', 'eventType', 'eventData', 'resource']);
    assert.equal((created.body.eventData as Record<string, string>).actorRunId, run.id);
    assert.ok(deliveries.some((d) => d.path === '/actor-hook' && d.body.eventType === 'ACTOR.BUILD.SUCCEEDED'));
    assert.deepEqual(deliveries.find((d) => d.path === '/option-hook')!.body, { dataset: run.defaultDatasetId });
    assert.deepEqual(deliveries.find((d) => d.path === '/sdk-hook')!.body, { runId: run.id, charged: cost.chargedEventCounts, text: `run ${run.id}` });

    const dispatches = readDispatches(engine.layout, 'run', run.id);
    assert.deepEqual(dispatches.map((d) => [d.eventType, d.status]).sort(), [
      ['ACTOR.RUN.CREATED', 'SUCCEEDED'],
      ['ACTOR.RUN.SUCCEEDED', 'SUCCEEDED'],
      ['ACTOR.RUN.SUCCEEDED', 'SUCCEEDED'],
      ['ACTOR.RUN.SUCCEEDED', 'SUCCEEDED'],
    ]);
    assert.equal(readDispatches(engine.layout, 'build', build.id)[0].status, 'SUCCEEDED');
  });

  it('sends the build webhooks of the build a first run makes, as for an explicit build', async () => {
    const fresh = copyFixture('ppe-webhooks-actor');
    writeFileSync(join(fresh, '.actor', 'webhooks.json'), JSON.stringify([{ eventTypes: ['ACTOR.BUILD.CREATED', 'ACTOR.BUILD.SUCCEEDED'], requestUrl: `${hookBase}/first-build-hook` }]));
    // Local mode: the build a run makes is the engine's, whichever way the run is started.
    const local = new ActorEngine({ actorRoot: fresh, origin: 'DEVELOPMENT', gracefulAbortMs: GRACEFUL_MS, secrets: new SecretsStore(SECRETS_FILE, []) });
    try {
      assert.equal(local.listBuilds().length, 0);
      const run = await (await local.run({ input: {} })).finished;
      assert.equal(run.status, 'SUCCEEDED', local.readRunLog(run.id));
      await local.webhooksIdle();
      const sent = deliveries.filter((d) => d.path === '/first-build-hook');
      assert.deepEqual(sent.map((d) => d.body.eventType).sort(), ['ACTOR.BUILD.CREATED', 'ACTOR.BUILD.SUCCEEDED']);
      for (const delivery of sent) assert.equal((delivery.body.eventData as Record<string, string>).actorBuildId, run.buildId);
      assert.deepEqual(readDispatches(local.layout, 'build', run.buildId).map((d) => [d.eventType, d.status]).sort(), [
        ['ACTOR.BUILD.CREATED', 'SUCCEEDED'],
        ['ACTOR.BUILD.SUCCEEDED', 'SUCCEEDED'],
      ]);
    } finally {
      local.dispose();
    }
  });

  it("in local mode, the charges the SDK logs (its charging_log dataset) are the run's; its local budget prices every event at 1 USD", async () => {
    const local = new ActorEngine({ actorRoot: copyFixture('ppe-webhooks-actor'), origin: 'DEVELOPMENT', gracefulAbortMs: GRACEFUL_MS, secrets: new SecretsStore(SECRETS_FILE, []) });
    const charged = async (options: { maxTotalChargeUsd?: number }) => {
      const run = await (await local.run({ memoryMbytes: 1024, input: { pages: 3, results: 100 }, ...options })).finished;
      assert.equal(run.status, 'SUCCEEDED', local.readRunLog(run.id));
      assert.notEqual(run.greenroom.atHome, true, 'a local-mode run');
      const logged = JSON.stringify([...local.storages(run.id).datasetItems(LOCAL_CHARGING_LOG_DATASET)]);
      return { run, cost: runCharges(local.layout, run)!, logged };
    };
    try {
      const free = await charged({});
      assert.deepEqual(free.cost.chargedEventCounts, { 'apify-actor-start': 1, page: 3, result: 100 }, free.logged);
      assert.equal(free.cost.accountedTotalUsd, 1.8, 'the prices of .actor/pay_per_event.json');
      assert.equal(local.storages(free.run.id).datasetItemCount(free.run.defaultDatasetId), 100);
      // The SDK in local mode budgets each event at 1 USD: with 0.5 of 1 spent on the start, it charges one event
      // over the limit (its overcharge) of each kind, and pushes one item.
      const capped = await charged({ maxTotalChargeUsd: 1 });
      assert.deepEqual(capped.cost.chargedEventCounts, { 'apify-actor-start': 1, page: 1, result: 1 }, capped.logged);
      assert.equal(local.storages(capped.run.id).datasetItemCount(capped.run.defaultDatasetId), 1);
    } finally {
      local.dispose();
    }
  });
});
