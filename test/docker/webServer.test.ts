import * as assert from 'node:assert/strict';
import { createServer, Server } from 'node:net';
import { ActorEngine, EngineEvent, RunRecord } from '../../src/engine';
import * as webServerPort from '../../src/engine/webServerPort';
import { copyFixture } from './fixtures';
import { makeEngine, recordEvents, waitFor } from './helpers';

describe("engine: the Actor's web server port", function () {
  let engine: ActorEngine;
  let events: ReturnType<typeof recordEvents>;

  before(async function () {
    engine = makeEngine(copyFixture('shell-actor'));
    events = recordEvents(engine);
    assert.equal((await engine.build().finished).status, 'SUCCEEDED');
  });
  after(() => engine.dispose());

  /** Waits until the run's web server listens (events from `fromEvent` on), fetches its container URL from the host. */
  async function askWebServer(runId: string, fromEvent: number): Promise<{ run: RunRecord; answer: { url: string | null } }> {
    const listening = (e: EngineEvent) => e.type === 'run-log' && e.runId === runId && e.lines.includes('web server listening');
    await waitFor('the web server to listen', () => events.events.slice(fromEvent).some(listening));
    const run = engine.getRun(runId)!;
    assert.match(run.containerUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+$/, 'published on the loopback interface only');
    const response = await fetch(run.containerUrl!);
    return { run, answer: (await response.json()) as { url: string | null } };
  }

  it('publishes ACTOR_WEB_SERVER_PORT at containerUrl, which the Actor also finds in ACTOR_WEB_SERVER_URL', async function () {
    const handle = await engine.run({ env: { MODE: 'serve' } });
    const { run, answer } = await askWebServer(handle.id, 0);
    assert.equal(answer.url, run.containerUrl, 'ACTOR_WEB_SERVER_URL inside equals containerUrl');
    const finished = await handle.finished;
    assert.equal(finished.status, 'SUCCEEDED', engine.readRunLog(finished.id));
    assert.equal(finished.containerUrl, run.containerUrl, 'the ended run keeps its URL in the record');

    const eventsBefore = events.events.length;
    const resurrected = await engine.resurrect(finished.id);
    const again = await askWebServer(resurrected.id, eventsBefore);
    assert.equal(again.answer.url, again.run.containerUrl, 'the resurrected container has a URL of its own');
    assert.equal((await resurrected.finished).status, 'SUCCEEDED');
  });

  it('runs without a container URL, saying why in the log, when the port cannot be published', async function () {
    // Hold a port and make the engine choose it: Docker cannot bind it, as with a port another program took.
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const takenPort = (holder.address() as { port: number }).port;
    const chooseFreePort = webServerPort.findFreeLocalPort;
    (webServerPort as { findFreeLocalPort: () => Promise<number> }).findFreeLocalPort = async () => takenPort;
    try {
      const run = await (await engine.run()).finished;
      assert.equal(run.status, 'SUCCEEDED', engine.readRunLog(run.id));
      assert.equal(run.containerUrl, null);
      const log = engine.readRunLog(run.id);
      assert.match(log, new RegExp(`the web server port 4321 could not be published \\(.*${takenPort}.*\\); the run continues without a container URL\\n`));
      assert.match(log, /\[Status message\]: all good/, "the container's own log follows");
      assert.equal(log.match(/could not be published/g)?.length, 1, 'one line');
    } finally {
      (webServerPort as { findFreeLocalPort: () => Promise<number> }).findFreeLocalPort = chooseFreePort;
      holder.close();
    }
  });
});
