/** Standby mode's pure pieces (settings, routing) and its proxy and readiness probe against a local HTTP server. */
import * as assert from 'node:assert/strict';
import { createServer, IncomingMessage, request as httpRequest, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { forwardedRequestHeaders, forwardRequest, forwardUpgrade, READINESS_PROBE_HEADER, withoutHopByHop } from '../../../src/platform/standby/proxy';
import { waitUntilReady } from '../../../src/platform/standby/readiness';
import { needsAnotherRun, pickRun, RunLoad } from '../../../src/platform/standby/routing';
import { STANDBY_DEFAULTS, standbySettings } from '../../../src/platform/standby/settings';
import { firstData, upgrade } from './upgradeClient';

async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('platform: standby settings (actor.json actorStandby)', () => {
  it("defaults to the Console's settings; desired never exceeds a smaller max", () => {
    assert.deepEqual(standbySettings(undefined), STANDBY_DEFAULTS);
    assert.deepEqual(standbySettings({}), STANDBY_DEFAULTS);
    assert.deepEqual(standbySettings({ maxRequestsPerActorRun: 1 }), { maxRequestsPerActorRun: 1, desiredRequestsPerActorRun: 1, idleTimeoutSecs: 300 });
    assert.deepEqual(standbySettings({ idleTimeoutSecs: 5, build: 'beta', memoryMbytes: 256 }), { ...STANDBY_DEFAULTS, idleTimeoutSecs: 5, build: 'beta', memoryMbytes: 256 });
  });

  it('refuses wrong settings, naming the key and the value', () => {
    assert.throws(() => standbySettings([]), /actor\.json "actorStandby" must be an object, got \[\]/);
    assert.throws(() => standbySettings({ idleTimeout: 5, shouldPassActorInput: true }), /unknown keys "idleTimeout", "shouldPassActorInput"; known: maxRequestsPerActorRun, desiredRequestsPerActorRun, idleTimeoutSecs, build, memoryMbytes/);
    assert.throws(() => standbySettings({ idleTimeoutSecs: 0.5 }), /"actorStandby\.idleTimeoutSecs" must be a whole number ≥ 1, got 0\.5/);
    assert.throws(() => standbySettings({ maxRequestsPerActorRun: 2, desiredRequestsPerActorRun: 3 }), /desiredRequestsPerActorRun" \(3\) must not exceed maxRequestsPerActorRun \(2\)/);
    assert.throws(() => standbySettings({ build: '' }), /"actorStandby\.build" must be a build tag or number, got ""/);
    assert.throws(() => standbySettings({ memoryMbytes: '1 GB' }), /"actorStandby\.memoryMbytes" must be a whole number ≥ 1, got "1 GB"/);
  });
});

describe('platform: which standby run takes a request', () => {
  const load = (ready: boolean, assigned: number, maxRequests = 2, desiredRequests = 1): RunLoad => ({ ready, assigned, maxRequests, desiredRequests });

  it('the least loaded ready run with room, else a starting one with room, else none (start a run)', () => {
    const [busy, calm, starting] = [load(true, 1), load(true, 0), load(false, 0)];
    assert.equal(pickRun([busy, calm, starting]), calm);
    assert.equal(pickRun([load(true, 2), starting]), starting, 'a full run is passed over');
    assert.equal(pickRun([load(true, 2), load(false, 2)]), undefined);
    assert.equal(pickRun([]), undefined);
  });

  it('starts a run ahead of need only when every run is ready and has its desired load', () => {
    assert.equal(needsAnotherRun([load(true, 1), load(true, 2)]), true);
    assert.equal(needsAnotherRun([load(true, 1), load(true, 0)]), false);
    assert.equal(needsAnotherRun([load(true, 1), load(false, 1)]), false, 'one is starting already');
    assert.equal(needsAnotherRun([]), false, 'no run: the request itself starts one');
  });
});

describe('platform: the standby proxy and readiness probe', () => {
  it('drops hop-by-hop headers (and those Connection names), adds X-Forwarded-*, keeps Host', () => {
    const headers = { host: '127.0.0.1:9', connection: 'keep-alive, x-secret-hop', 'keep-alive': 'timeout=5', 'x-secret-hop': '1', 'transfer-encoding': 'chunked', accept: 'text/event-stream' };
    assert.deepEqual(withoutHopByHop(headers), { host: '127.0.0.1:9', accept: 'text/event-stream' });
    const forwarded = forwardedRequestHeaders({ headers, socket: { remoteAddress: '127.0.0.1' } } as unknown as IncomingMessage);
    assert.deepEqual(forwarded, { host: '127.0.0.1:9', accept: 'text/event-stream', 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'http', 'x-forwarded-host': '127.0.0.1:9' });
  });

  it("streams the answer chunk by chunk, with the request's method, path, body and the answer's status and headers", async () => {
    let releaseSecond!: () => void;
    const secondAllowed = new Promise<void>((resolve) => (releaseSecond = resolve));
    const actor = await serve((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', async () => {
        response.writeHead(207, { 'x-seen': `${request.method} ${request.url} ${body}`, 'set-cookie': ['a=1', 'b=2'] });
        response.write('one\n');
        await secondAllowed;
        response.end('two\n');
      });
    });
    const proxy = await serve((request, response) => void forwardRequest(request, response, actor.url));
    try {
      const answer = await fetch(`${proxy.url}/path?q=1`, { method: 'PUT', body: 'payload' });
      assert.equal(answer.status, 207);
      assert.equal(answer.headers.get('x-seen'), 'PUT /path?q=1 payload');
      assert.equal(answer.headers.get('set-cookie'), 'a=1, b=2');
      const reader = answer.body!.getReader();
      assert.equal(new TextDecoder().decode((await reader.read()).value), 'one\n', 'the first chunk arrives before the Actor ends the response');
      releaseSecond();
      let rest = '';
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
      assert.equal(rest, 'two\n');
    } finally {
      await Promise.all([close(proxy.server), close(actor.server)]);
    }
  });

  it('passes an upgrade on: after the switch, bytes flow both ways; a refused upgrade gets the server\'s answer', async () => {
    const actor = await serve((_request, response) => response.writeHead(426, { 'x-why': 'upgrade only' }).end('no'));
    actor.server.on('upgrade', (request: IncomingMessage, socket: Duplex) => {
      if (request.url === '/refuse') return void socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\nX-Path: ${request.url}\r\n\r\n`);
      socket.pipe(socket);
    });
    const proxy = await serve(() => undefined);
    proxy.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => void forwardUpgrade(request, socket, head, actor.url));
    try {
      const { answer, socket } = await upgrade(`${proxy.url}/ws?x=1`);
      assert.deepEqual([answer.statusCode, answer.headers['x-path']], [101, '/ws?x=1']);
      socket.write('ping');
      assert.equal(await firstData(socket), 'ping');
      socket.destroy();
      const refused = await new Promise<IncomingMessage>((resolve) => httpRequest(`${proxy.url}/refuse`, { headers: { connection: 'upgrade', upgrade: 'echo' } }).on('response', resolve).end());
      assert.equal(refused.statusCode, 403);
    } finally {
      await Promise.all([close(proxy.server), close(actor.server)]);
    }
  });

  it('answers 502 naming the server when it cannot be reached', async () => {
    const gone = await serve(() => undefined);
    await close(gone.server);
    const proxy = await serve((request, response) => void forwardRequest(request, response, gone.url));
    try {
      const answer = await fetch(proxy.url);
      assert.equal(answer.status, 502);
      assert.match(await answer.text(), new RegExp(`^Greenroom standby: The Actor's standby server at ${gone.url} did not answer: .*ECONNREFUSED`));
    } finally {
      await close(proxy.server);
    }
  });

  it('waits until GET / with the probe header gets a status below 500', async () => {
    const probes: string[] = [];
    const actor = await serve((request, response) => {
      probes.push(`${request.method} ${request.url} ${request.headers[READINESS_PROBE_HEADER]}`);
      response.writeHead(probes.length < 3 ? 503 : 404).end();
    });
    try {
      await waitUntilReady(actor.url, new AbortController().signal);
      assert.deepEqual(probes, ['GET / 1', 'GET / 1', 'GET / 1']);
      const stop = new AbortController();
      stop.abort(new Error('the run ended'));
      await assert.rejects(waitUntilReady(actor.url, stop.signal), /the run ended/);
    } finally {
      await close(actor.server);
    }
  });
});
