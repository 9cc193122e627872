/** The local platform's HTTP core: addresses, tokens, the platform's error shape, compressed bodies. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ApifyClient } from 'apify-client';
import { newUserToken, PlatformServer, startPlatformServer } from '../../../src/platform';
import { userRoutes } from '../../../src/platform/routes/users';
import { ActorWorkspace } from '../../../src/workspace';

describe('platform server', () => {
  let server: PlatformServer;
  const token = newUserToken();

  before(async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-platform-'));
    const workspace = new ActorWorkspace({ roots: () => [root], engineSettings: () => ({ origin: 'CLI' }) });
    server = await startPlatformServer({
      workspace,
      userToken: token,
      hosts: ['127.0.0.1'],
      routes: [
        userRoutes,
        (app) => app.post('/v2/test/echo', async (request) => ({ data: request.body })),
      ],
    });
  });
  after(() => server.close());

  it('answers apify-client with the token', async () => {
    const client = new ApifyClient({ token, baseUrl: server.baseUrl('127.0.0.1') });
    const me = await client.user('me').get();
    assert.equal(me?.username, 'local');
  });

  it('refuses a request without a token or with a wrong one, in the platform error shape', async () => {
    const base = server.baseUrl('127.0.0.1');
    const without = await fetch(`${base}/v2/users/me`);
    assert.equal(without.status, 401);
    assert.equal(((await without.json()) as { error: { type: string } }).error.type, 'token-not-provided');
    const wrong = await fetch(`${base}/v2/users/me?token=greenroom_api_nope`);
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as { error: { type: string } }).error.type, 'token-not-valid');
  });

  it('names an unknown route in a 404', async () => {
    const response = await fetch(`${server.baseUrl('127.0.0.1')}/v2/nothing-here`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.status, 404);
    assert.match(((await response.json()) as { error: { message: string } }).error.message, /GET \/v2\/nothing-here/);
  });

  it('reads gzip-compressed JSON bodies', async () => {
    const response = await fetch(`${server.baseUrl('127.0.0.1')}/v2/test/echo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ hello: 'world' })),
    });
    assert.deepEqual(await response.json(), { data: { hello: 'world' } });
  });
});
