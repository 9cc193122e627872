// An Actor plants links in its storage folder from inside its container: Greenroom, on the host, must not follow
// them (`greenroom items` printed a host file; the next run wrote INPUT.json into a host folder).
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActorEngine } from '../../src/engine';
import { StorageFileError } from '../../src/storage';
import { copyFixture } from './fixtures';
import { makeEngine, runCli } from './helpers';

const HOST_SECRET = 'HOST-SECRET-never-to-be-printed';

describe('engine: links an Actor planted in its storage', function () {
  let root: string;
  let engine: ActorEngine;
  let host: string;

  before(async function () {
    root = copyFixture('shell-actor');
    engine = makeEngine(root);
    assert.equal((await engine.build().finished).status, 'SUCCEEDED');
    host = mkdtempSync(join(tmpdir(), 'greenroom-host-'));
    writeFileSync(join(host, 'secret.json'), JSON.stringify({ secret: HOST_SECRET }));
  });
  after(() => {
    engine.dispose();
    rmSync(host, { recursive: true, force: true });
  });

  it('greenroom items refuses the linked item and the next run refuses to write INPUT into the host folder', async function () {
    const planted = await (await engine.run({ env: { MODE: 'plant', HOST_FILE: join(host, 'secret.json'), HOST_DIR: host } })).finished;
    assert.equal(planted.status, 'SUCCEEDED', engine.readRunLog(planted.id));

    const items = await runCli(['items', planted.id, '--actor', root]);
    assert.equal(items.code, 1, items.stdout);
    assert.match(items.stderr, /Item 2 \(000000002\.json\) cannot be read: datasets\/\w+\/000000002\.json \(in the storage folder .*\) is a symbolic link/);
    assert.doesNotMatch(items.stdout + items.stderr, new RegExp(HOST_SECRET));

    await assert.rejects(
      async () => (await engine.run({ input: { any: 'thing' } })).finished,
      (error: Error) => error instanceof StorageFileError && /^key_value_stores \(in the storage folder .*\) is a symbolic link/.test(error.message),
    );
    assert.deepEqual(readdirSync(host), ['secret.json'], 'nothing written into the host folder');
  });
});
