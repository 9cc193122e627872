/**
 * The events channel without Docker: it answers from the run record alone, so another process writing the record
 * (the CLI following the run while the extension serves) is all it takes. Docker's stats are in test/docker/atHome.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WebSocket } from 'ws';
import { newRunToken, newUserToken, PlatformServer, startPlatformServer } from '../../../src/platform';
import { eventsChannel, runEventsUrl } from '../../../src/platform/events';
import { ActorWorkspace } from '../../../src/workspace';

interface Received {
  messages: { name: string; data: unknown }[];
  closed: Promise<{ code: number; reason: string }>;
  next(name: string): Promise<{ name: string; data: unknown }>;
}

function connect(url: string): Promise<Received> {
  const ws = new WebSocket(url);
  const messages: Received['messages'] = [];
  const waiting: { name: string; resolve: (m: Received['messages'][number]) => void }[] = [];
  ws.on('message', (raw) => {
    const message = JSON.parse(String(raw)) as Received['messages'][number];
    messages.push(message);
    for (const w of waiting.filter((w) => w.name === message.name)) w.resolve(message);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('open', () =>
      resolve({
        messages,
        closed,
        next: (name) => {
          const seen = messages.find((m) => m.name === name);
          return seen ? Promise.resolve(seen) : new Promise((r) => waiting.push({ name, resolve: r }));
        },
      }),
    );
  });
}

describe('platform: the events channel', () => {
  let server: PlatformServer;
  let root: string;
  const runId = 'eventsRun00000001';
  const token = newRunToken(runId);
  const runFile = () => path.join(root, '.greenroom', 'runs', `${runId}.json`);
  const writeRun = (over: Record<string, unknown>, greenroom: Record<string, unknown> = {}) =>
    fs.writeFileSync(
      runFile(),
      JSON.stringify({
        id: runId,
        actId: 'events-actor',
        status: 'RUNNING',
        startedAt: new Date().toISOString(),
        buildId: 'b',
        buildNumber: '0.0.1',
        options: {},
        stats: {},
        defaultDatasetId: 'd',
        defaultKeyValueStoreId: 'k',
        defaultRequestQueueId: 'q',
        ...over,
        greenroom: { storageDir: path.join(root, '.greenroom', 'storage'), containerId: null, apiToken: token, atHome: true, ...greenroom },
      }),
    );
  const url = (withToken = token) => runEventsUrl(server.baseUrl('127.0.0.1'), runId, withToken);

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-events-'));
    fs.mkdirSync(path.join(root, '.actor'));
    fs.writeFileSync(path.join(root, '.actor', 'actor.json'), JSON.stringify({ actorSpecification: 1, name: 'events-actor', version: '0.0' }));
    fs.mkdirSync(path.join(root, '.greenroom', 'runs'), { recursive: true });
    const workspace = new ActorWorkspace({ roots: () => [root], engineSettings: () => ({ origin: 'CLI' }) });
    server = await startPlatformServer({ workspace, userToken: newUserToken(), hosts: ['127.0.0.1'], routes: [], upgradeHandlers: [eventsChannel] });
  });
  after(async () => {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("refuses another run's token, a made-up one and an unknown run alike: the handshake completes, then 1008", async () => {
    writeRun({});
    for (const wrong of [newRunToken(runId), newRunToken('otherRun'), 'greenroom_api_x', '']) {
      const channel = await connect(url(wrong));
      const closed = await channel.closed;
      assert.equal(closed.code, 1008);
      assert.deepEqual(channel.messages, []);
    }
    const unknown = await connect(runEventsUrl(server.baseUrl('127.0.0.1'), 'noSuchRun', newRunToken('noSuchRun')));
    assert.equal((await unknown.closed).code, 1008);
  });

  it('sends aborting once on ABORTING, migrating with the time left for a migration, and closes when the run ends', async () => {
    writeRun({});
    const channel = await connect(url());
    const deadlineAt = new Date(Date.now() + 20_000).toISOString();
    writeRun({}, { migration: { kind: 'migration', requestedAt: new Date().toISOString(), deadlineAt } });
    const migrating = await channel.next('migrating');
    const remaining = (migrating.data as { timeRemainingSecs: number }).timeRemainingSecs;
    assert.ok(remaining > 15 && remaining <= 20, `time remaining ${remaining}`);
    writeRun({ status: 'ABORTING' });
    assert.deepEqual(await channel.next('aborting'), { name: 'aborting', data: {} });
    writeRun({ status: 'ABORTED' });
    assert.equal((await channel.closed).code, 1000);
    assert.deepEqual(channel.messages.map((m) => m.name), ['migrating', 'aborting'], 'each once');
  });

  it('tells a container that connects while the run is timing out at once; a reboot sends no migrating', async () => {
    writeRun({ status: 'TIMING-OUT' }, { migration: { kind: 'reboot', requestedAt: new Date().toISOString(), deadlineAt: new Date().toISOString() } });
    const channel = await connect(url());
    await channel.next('aborting');
    writeRun({ status: 'TIMED-OUT' });
    await channel.closed;
    assert.deepEqual(channel.messages.map((m) => m.name), ['aborting']);
  });

  it('closes a finished run at once', async () => {
    writeRun({ status: 'SUCCEEDED' });
    assert.equal((await (await connect(url())).closed).code, 1000);
  });

  it("ends open channels when the server closes (an upgraded socket is not the HTTP server's)", async () => {
    writeRun({});
    const workspace = new ActorWorkspace({ roots: () => [root], engineSettings: () => ({ origin: 'CLI' }) });
    const own = await startPlatformServer({ workspace, userToken: newUserToken(), hosts: ['127.0.0.1'], routes: [], upgradeHandlers: [eventsChannel] });
    const channel = await connect(runEventsUrl(own.baseUrl('127.0.0.1'), runId, token));
    await own.close();
    await channel.closed;
  });
});
