/** The per-route latency recorder the platform benchmark prints. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { newUserToken, RouteLatency, startPlatformServer } from '../../../src/platform';
import { userRoutes } from '../../../src/platform/routes/users';
import { ActorWorkspace } from '../../../src/workspace';

describe('platform route latency', () => {
  it('counts responses by method and route pattern, refusals included', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-latency-'));
    const workspace = new ActorWorkspace({ roots: () => [root], engineSettings: () => ({ origin: 'CLI' }) });
    const token = newUserToken();
    const routeLatency = new RouteLatency();
    const server = await startPlatformServer({
      workspace,
      userToken: token,
      hosts: ['127.0.0.1'],
      routeLatency,
      routes: [userRoutes, (app) => app.get('/v2/test/things/:thingId', async () => ({ data: {} }))],
    });
    try {
      const base = server.baseUrl('127.0.0.1');
      const auth = { headers: { authorization: `Bearer ${token}` } };
      for (const id of ['a', 'b', 'c']) assert.equal((await fetch(`${base}/v2/test/things/${id}`, auth)).status, 200);
      assert.equal((await fetch(`${base}/v2/users/me`)).status, 401);
      const summary = routeLatency.summary();
      assert.deepEqual(
        summary.map((s) => [s.route, s.count]),
        [
          ['GET /v2/test/things/:thingId', 3],
          ['GET /v2/users/me', 1],
        ],
      );
      for (const s of summary) assert.ok(s.p50Ms >= 0 && s.p50Ms <= s.p99Ms && s.p99Ms <= s.maxMs, JSON.stringify(s));
    } finally {
      await server.close();
    }
  });
});
