import * as assert from 'node:assert/strict';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeActor } from '../engine/invalidActor';
import { greenroom } from './greenroom';

describe('CLI: clear refusals', () => {
  let root: string;
  before(() => {
    root = writeActor({ actorSpecification: 1, name: 'cli-actor', version: '0.1', maxMemoryMbytes: 1024 });
  });

  it('says a negative --timeout is not a number of seconds, however it is written', async () => {
    for (const args of [['--timeout', '-1'], ['--timeout=-1']]) {
      const result = await greenroom(['run', root, ...args], root);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /^greenroom run: --timeout must be a number of seconds ≥ 0, got -1\n/);
    }
    const build = await greenroom(['build', root, '--timeout', '-5'], root);
    assert.match(build.stderr, /^greenroom build: --timeout must be a number of seconds ≥ 0, got -5\n/);
    const notNumber = await greenroom(['run', root, '--timeout', 'soon'], root);
    assert.match(notNumber.stderr, /^greenroom run: --timeout must be a number of seconds ≥ 0, got soon\n/);
  });

  it("refuses --memory outside actor.json's range, naming the range", async () => {
    const result = await greenroom(['run', root, '--memory', '2048'], root);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, 'greenroom run: Memory must be a power of two between 128 and 1024 MB (actor.json maxMemoryMbytes), got 2048\n');
  });

  it('says "No run X" in the same words in every command', async () => {
    const runsDir = `${root}/.greenroom/runs`;
    for (const command of [['log', 'nope'], ['items', 'nope'], ['abort', 'nope'], ['resurrect', 'nope']]) {
      const result = await greenroom([...command, '--actor', root], root);
      assert.equal(result.code, 1, `${command[0]}: ${result.stderr}`);
      assert.equal(result.stderr, `greenroom ${command[0]}: No run nope in ${runsDir}\n`);
    }
  });

  describe('an endpoint that answers HTTP but is not Docker', () => {
    let server: Server;
    let host: string;
    let status = 404;
    before(async () => {
      server = createServer((_request, response) => {
        response.writeHead(status, { 'content-type': 'text/html' });
        response.end('<html><body><h1>Hello</h1></body></html>');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      host = `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => server.close());

    it('gets one line naming the endpoint, no stack trace', async () => {
      const env = { DOCKER_HOST: host, GREENROOM_DOCKER_SOCKET: undefined };
      for (const command of ['run', 'build']) {
        const result = await greenroom([command, root], root, env);
        assert.equal(result.code, 1, result.stderr);
        assert.equal(result.stderr, `greenroom ${command}: ${host} (DOCKER_HOST) answers HTTP 404 to Docker's /_ping: it is not a Docker engine's API. Point Greenroom at Docker's socket or port.\n`);
      }
      status = 200;
      const ok = await greenroom(['run', root], root, env);
      assert.equal(ok.stderr, `greenroom run: ${host} (DOCKER_HOST) answers HTTP but not as Docker does to /_ping: it is not a Docker engine's API. Point Greenroom at Docker's socket or port.\n`);
    });
  });
});
