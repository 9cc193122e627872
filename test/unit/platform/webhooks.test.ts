/**
 * Webhooks: payload and headers templates, the dispatcher's requests, retries with backoff (a fake clock) and the
 * dispatches it records, delivered to a loopback HTTP server; the API's webhooks and dispatches (no Docker).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApifyClient } from 'apify-client';
import type { RunRecord } from '../../../src/engine';
import { ActorLayout } from '../../../src/engine/recordStore';
import { newRunToken, newUserToken, startPlatformServer } from '../../../src/platform';
import { API_REWRITES, API_ROUTES } from '../../../src/platform/routes';
import { Clock, retryDelayMs, WebhookDispatcher } from '../../../src/platform/webhooks/dispatcher';
import { DEFAULT_PAYLOAD_TEMPLATE, renderHeaders, renderTemplate, WebhookTemplateError } from '../../../src/platform/webhooks/template';
import { actorWebhooks, readDispatches } from '../../../src/platform/webhooks/webhooks';
import { ActorWorkspace } from '../../../src/workspace';
import { runRecordFixture } from '../runRecordFixture';
import { makeScratchActor } from './scratchActor';

describe('webhook templates', () => {
  const variables = { userId: 'u1', eventType: 'ACTOR.RUN.SUCCEEDED', eventData: { actorRunId: 'R1' }, resource: { id: 'R1', defaultDatasetId: 'D1', exitCode: 0 } };

  it('the default payload: userId, createdAt, eventType, eventData, resource', () => {
    const payload = JSON.parse(renderTemplate(DEFAULT_PAYLOAD_TEMPLATE, { ...variables, createdAt: '2026-01-01T00:00:00.000Z' }));
    assert.deepEqual(Object.keys(payload), ['userId', 'createdAt', 'eventType', 'eventData', 'resource']);
    assert.deepEqual(payload.resource, variables.resource);
  });

  it('fills variables and dotted paths as JSON values; a path naming nothing is null', () => {
    const text = renderTemplate('{"run": {{resource.id}}, "data": {{eventData}}, "code": {{resource.exitCode}}, "none": {{resource.nothing.deeper}}}', variables);
    assert.deepEqual(JSON.parse(text), { run: 'R1', data: { actorRunId: 'R1' }, code: 0, none: null });
  });

  it('leaves {{…}} inside strings alone unless shouldInterpolateStrings', () => {
    const template = '{"text": "run {{resource.id}} done, code {{resource.exitCode}}", "brace": "a } b"}';
    assert.equal(JSON.parse(renderTemplate(template, variables)).text, 'run {{resource.id}} done, code {{resource.exitCode}}');
    assert.equal(JSON.parse(renderTemplate(template, variables, { interpolateStrings: true })).text, 'run R1 done, code 0');
  });

  it('refuses a template that cannot give JSON, saying why', () => {
    assert.throws(() => renderTemplate('{"a": {{resource.id}', variables), (e: Error) => e instanceof WebhookTemplateError && /without its "}}"/.test(e.message));
    assert.throws(() => renderTemplate('{"a": {{1x}}}', variables), /names no variable/);
    assert.throws(() => renderTemplate('{"a": {{resource.id}} {{resource.id}}}', variables), /does not give valid JSON/);
    assert.throws(() => renderTemplate('{"a": "open}', variables), /never ends/);
  });

  it('headers: an object whose values become strings', () => {
    assert.deepEqual(renderHeaders('{"X-Run": {{resource.id}}, "X-Code": {{resource.exitCode}}}', variables), { 'X-Run': 'R1', 'X-Code': '0' });
    assert.throws(() => renderHeaders('[1]', variables), /JSON object of headers/);
  });
});

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  url: string;
}

/** A loopback HTTP server answering with the next status of `statuses` (the last one repeats). */
async function receiver(statuses: number[]): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body, url: request.url ?? '' });
      response.statusCode = statuses[Math.min(received.length - 1, statuses.length - 1)];
      response.end(`answer ${received.length}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://localhost:${(server.address() as AddressInfo).port}`, received, server };
}

/** Sleeps resolve only when the test lets time pass: the dispatcher's retries without waiting. */
class FakeClock implements Clock {
  time = Date.parse('2026-01-01T00:00:00.000Z');
  readonly sleeps: number[] = [];
  now(): number {
    return this.time;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
  }
}

describe('webhook dispatcher', () => {
  let root: string;
  let actorRoot: string;
  let layout: ActorLayout;
  let run: RunRecord;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-webhooks-'));
    actorRoot = path.join(root, 'hook-actor');
    makeScratchActor(actorRoot, 'hook-actor');
    fs.mkdirSync(path.join(actorRoot, '.greenroom', 'builds'), { recursive: true });
    layout = new ActorLayout(actorRoot);
    run = runRecordFixture('hookRunAaaaaaaaaa', path.join(actorRoot, '.greenroom', 'storage'), { actId: 'hook-actor' }, { apiToken: newRunToken('hookRunAaaaaaaaaa') });
    fs.writeFileSync(layout.runFile(run.id), JSON.stringify(run));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const writeActorWebhooks = (webhooks: unknown) => fs.writeFileSync(path.join(actorRoot, '.actor', 'webhooks.json'), JSON.stringify(webhooks));

  it('posts the default payload with the platform headers to localhost, once, and records the dispatch', async () => {
    const target = await receiver([200]);
    try {
      writeActorWebhooks([{ eventTypes: ['ACTOR.RUN.SUCCEEDED'], requestUrl: `${target.url}/hook?secret=1` }, { eventTypes: ['ACTOR.RUN.FAILED'], requestUrl: `${target.url}/other` }]);
      const dispatcher = new WebhookDispatcher({ clock: new FakeClock() });
      const [dispatch] = dispatcher.trigger({ kind: 'run', actorRoot, record: run }, 'ACTOR.RUN.SUCCEEDED');
      await dispatcher.idle();
      assert.equal(target.received.length, 1);
      const [request] = target.received;
      assert.equal(request.url, '/hook?secret=1');
      assert.equal(request.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(request.headers['x-apify-webhook'], actorWebhooks(actorRoot, 'hook-actor')[0].id);
      assert.equal(request.headers['x-apify-webhook-dispatch-id'], dispatch.id);
      const payload = JSON.parse(request.body);
      assert.equal(payload.eventType, 'ACTOR.RUN.SUCCEEDED');
      assert.equal(payload.eventData.actorRunId, run.id);
      assert.equal(payload.resource.id, run.id);
      assert.equal(payload.resource.greenroom, undefined, "the platform's run object, without Greenroom's internals");
      const [recorded] = readDispatches(layout, 'run', run.id);
      assert.equal(recorded.status, 'SUCCEEDED');
      assert.equal(recorded.calls.length, 1);
      assert.equal(recorded.calls[0].responseStatus, 200);
      assert.equal(recorded.calls[0].responseBody, 'answer 1');
    } finally {
      target.server.close();
    }
  });

  it('retries a failing endpoint with exponential backoff until it answers 2xx', async () => {
    const target = await receiver([500, 503, 200]);
    try {
      writeActorWebhooks([{ eventTypes: ['ACTOR.RUN.SUCCEEDED'], requestUrl: target.url, payloadTemplate: '{"run": {{resource.id}}}', headersTemplate: '{"Authorization": "Bearer {{eventData.actorRunId}}"}', shouldInterpolateStrings: true }]);
      const clock = new FakeClock();
      const dispatcher = new WebhookDispatcher({ clock, policy: { retries: 5, firstRetryMs: 1000, timeoutMs: 5000 } });
      dispatcher.trigger({ kind: 'run', actorRoot, record: run }, 'ACTOR.RUN.SUCCEEDED');
      await dispatcher.idle();
      assert.deepEqual(clock.sleeps, [1000, 2000]);
      assert.equal(target.received.length, 3);
      assert.deepEqual(JSON.parse(target.received[2].body), { run: run.id });
      assert.equal(target.received[0].headers.authorization, `Bearer ${run.id}`);
      const [recorded] = readDispatches(layout, 'run', run.id);
      assert.equal(recorded.status, 'SUCCEEDED');
      assert.deepEqual(recorded.calls.map((c) => c.responseStatus), [500, 503, 200]);
      assert.equal(recorded.calls[0].errorMessage, 'The endpoint answered 500');
    } finally {
      target.server.close();
    }
  });

  it('gives up after the last retry (or at once with doNotRetry), and records an unreachable endpoint', async () => {
    const target = await receiver([500]);
    target.server.close();
    writeActorWebhooks([
      { eventTypes: ['ACTOR.RUN.FAILED'], requestUrl: target.url },
      { eventTypes: ['ACTOR.RUN.FAILED'], requestUrl: target.url, doNotRetry: true },
    ]);
    const clock = new FakeClock();
    const dispatcher = new WebhookDispatcher({ clock, policy: { retries: 3, firstRetryMs: 60_000, timeoutMs: 1000 } });
    dispatcher.trigger({ kind: 'run', actorRoot, record: run }, 'ACTOR.RUN.FAILED');
    await dispatcher.idle();
    assert.deepEqual(clock.sleeps, [60_000, 120_000, 240_000]);
    const dispatches = readDispatches(layout, 'run', run.id);
    assert.deepEqual(dispatches.map((d) => [d.status, d.calls.length]), [['FAILED', 4], ['FAILED', 1]]);
    assert.equal(dispatches[0].calls[0].responseStatus, null);
    assert.match(dispatches[0].calls[0].errorMessage ?? '', /fetch failed/);
    assert.deepEqual([1, 2, 3, 11].map((n) => retryDelayMs({ retries: 11, firstRetryMs: 60_000, timeoutMs: 0 }, n)), [60_000, 120_000, 240_000, 61_440_000]);
  });

  it('reads ad-hoc webhooks given with the run and refuses a malformed .actor/webhooks.json by name', () => {
    const withOption = { ...run, greenroom: { ...run.greenroom, webhooks: [{ eventTypes: ['ACTOR.RUN.CREATED'], requestUrl: 'http://localhost:1/x' }] } } as RunRecord;
    const dispatcher = new WebhookDispatcher({ clock: new FakeClock(), policy: { retries: 0, firstRetryMs: 1, timeoutMs: 1000 } });
    assert.equal(dispatcher.trigger({ kind: 'run', actorRoot, record: withOption }, 'ACTOR.RUN.CREATED').length, 1);
    writeActorWebhooks([{ eventTypes: ['ACTOR.RUN.NOPE'], requestUrl: 'http://localhost/' }]);
    assert.throws(() => actorWebhooks(actorRoot, 'hook-actor'), /webhooks\.json \[0\]: unknown event type "ACTOR\.RUN\.NOPE"/);
    writeActorWebhooks([{ eventTypes: ['ACTOR.RUN.CREATED'], requestUrl: 'ftp://x' }]);
    assert.throws(() => actorWebhooks(actorRoot, 'hook-actor'), /requestUrl must be an http/);
    return dispatcher.idle();
  });

  it('through the API: a run adds an ad-hoc webhook (idempotent), and its dispatches are listed per webhook and in all', async () => {
    const workspace = new ActorWorkspace({ roots: () => [root], engineSettings: () => ({ origin: 'CLI' }) });
    const userToken = newUserToken();
    const server = await startPlatformServer({ workspace, userToken, hosts: ['127.0.0.1'], routes: API_ROUTES, rewrites: API_REWRITES });
    const target = await receiver([200]);
    try {
      const baseUrl = server.baseUrl('127.0.0.1');
      const asRun = new ApifyClient({ token: run.greenroom.apiToken, baseUrl, maxRetries: 0 });
      const user = new ApifyClient({ token: userToken, baseUrl, maxRetries: 0 });
      const options = { isAdHoc: true, eventTypes: ['ACTOR.RUN.SUCCEEDED'], requestUrl: target.url, idempotencyKey: 'k1', condition: { actorRunId: run.id } };
      const created = await asRun.webhooks().create(options as never);
      const again = await asRun.webhooks().create(options as never);
      assert.equal(again.id, created.id);
      await assert.rejects(asRun.webhooks().create({ ...options, idempotencyKey: 'k2', eventTypes: ['NOPE'] } as never), /unknown event type/);
      await assert.rejects(user.webhooks().create({ eventTypes: ['ACTOR.RUN.SUCCEEDED'], requestUrl: target.url, condition: { actorId: 'x' } } as never), /\.actor\/webhooks\.json/);
      const dispatcher = new WebhookDispatcher();
      dispatcher.trigger({ kind: 'run', actorRoot, record: run }, 'ACTOR.RUN.SUCCEEDED');
      await dispatcher.idle();
      assert.equal(target.received.length, 1);
      const byWebhook = await user.webhook(created.id).dispatches().list();
      assert.equal(byWebhook.items.length, 1);
      assert.equal(byWebhook.items[0].status, 'SUCCEEDED');
      const all = await user.webhookDispatches().list();
      assert.deepEqual(all.items.map((d) => d.id), byWebhook.items.map((d) => d.id));
      assert.equal((await user.webhookDispatch(all.items[0].id).get())?.webhookId, created.id);
      assert.equal((await user.webhooks().list()).items.length, 1);
    } finally {
      target.server.close();
      await server.close();
      workspace.dispose();
    }
  });
});
