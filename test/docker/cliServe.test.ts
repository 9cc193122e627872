/**
 * Who serves, from the command line: `greenroom serve` prints its URL and token, records itself in the workspace's
 * platform file, serves runs started through the API and stops on Ctrl+C (the file removed); `greenroom run` serves
 * in-process for its run when nothing serves yet, and uses the serving one otherwise.
 */
import * as assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { ApifyClient } from 'apify-client';
import { platformFilePath, readPlatformFile } from '../../src/platform/platformFile';
import { copyFixture } from './fixtures';
import { runCli } from './helpers';

describe('CLI: greenroom serve, and greenroom run at home', function () {
  this.timeout(180_000);
  let root: string;

  before(async function () {
    root = copyFixture('sdk-actor');
    const build = await runCli(['build', root, '--workspace', root]);
    assert.equal(build.code, 0, build.stderr);
  });

  it('greenroom run serves the API in-process for its run when nothing serves, and removes the platform file after', async () => {
    const result = await runCli(['run', root, '--workspace', root, '--input', '{"count": 2}', '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Serving the local Apify API for this run at http:\/\/127\.0\.0\.1:\d+/);
    const run = JSON.parse(result.stdout);
    assert.equal(run.greenroom.atHome, true, result.stderr);
    assert.equal(existsSync(platformFilePath(root)), false);
  });

  it('greenroom serve: prints URL and token, serves runs started through the API and greenroom run, stops on Ctrl+C', async () => {
    const serving = runCli(['serve', '--workspace', root]);
    let stdout = '';
    serving.child.stdout!.on('data', (chunk) => (stdout += chunk));
    for (let i = 0; !/Token: /.test(stdout); i++) {
      if (i > 300) throw new Error(`greenroom serve printed no token: ${stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const url = /URL: +(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    const token = /Token: +(greenroom_api_\S+)/.exec(stdout)?.[1];
    assert.ok(url && token, stdout);
    assert.match(stdout, /Containers reach it at http:\/\/\d+\.\d+\.\d+\.\d+:\d+/);
    const recorded = readPlatformFile(root);
    assert.deepEqual([recorded?.url, recorded?.token, recorded?.pid], [url, token, serving.child.pid]);
    assert.equal(statSync(platformFilePath(root)).mode & 0o777, 0o600);

    const client = new ApifyClient({ baseUrl: url, token, maxRetries: 0 });
    const viaApi = await client.actor('sdk-actor').call({ count: 1, greeting: 'served' }, { log: null });
    assert.equal(viaApi.status, 'SUCCEEDED');
    assert.equal(viaApi.meta.origin, 'API');

    const viaCli = await runCli(['run', root, '--workspace', root, '--input', '{"count": 1}', '--json']);
    assert.equal(viaCli.code, 0, viaCli.stderr);
    assert.doesNotMatch(viaCli.stderr, /Serving the local Apify API/, 'the serving one is used');
    assert.equal(JSON.parse(viaCli.stdout).greenroom.atHome, true);
    assert.equal((await client.run(JSON.parse(viaCli.stdout).id).get())?.status, 'SUCCEEDED', 'the server sees the CLI\'s run');

    const second = await runCli(['serve', '--workspace', root]);
    assert.equal(second.code, 1);
    assert.match(second.stderr, /already served at http:\/\/127\.0\.0\.1:\d+ by process \d+/);

    serving.child.kill('SIGINT');
    const stopped = await serving;
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.equal(existsSync(platformFilePath(root)), false, 'the platform file is removed');
    await assert.rejects(fetch(`${url}/v2/users/me`), 'nothing listens any more');
  });

  it('greenroom serve refuses a bad --port', async () => {
    const result = await runCli(['serve', '--workspace', root, '--port', '70000']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--port must be a port number 1–65535, got 70000/);
  });
});
