/**
 * Who serves a workspace's local API (WorkspacePlatform, the platform file) and what every server refuses: a
 * request without a token on any route, a body over the platform's limit. No Docker: the engine endpoint points
 * at nothing, so the server listens on loopback only and runs are told why they stay local.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { newUserToken, PlatformServer, startPlatformServer } from '../../../src/platform';
import { platformFilePath, readPlatformFile } from '../../../src/platform/platformFile';
import { API_REWRITES, API_ROUTES } from '../../../src/platform/routes';
import { WorkspacePlatform } from '../../../src/platform/workspacePlatform';
import { ActorWorkspace } from '../../../src/workspace';

function tempWorkspace(): { root: string; workspace: ActorWorkspace; noDocker: { socketPath: string } } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'greenroom-serving-'));
  fs.mkdirSync(path.join(root, 'actor', '.actor'), { recursive: true });
  fs.writeFileSync(path.join(root, 'actor', '.actor', 'actor.json'), JSON.stringify({ actorSpecification: 1, name: 'served', version: '0.1' }));
  fs.writeFileSync(path.join(root, 'actor', 'Dockerfile'), 'FROM scratch\n');
  const noDocker = { socketPath: path.join(root, 'no-docker.sock') };
  return { root, noDocker, workspace: new ActorWorkspace({ roots: () => [root], engineSettings: () => ({ origin: 'CLI', docker: noDocker }) }) };
}

describe('platform: who serves a workspace', () => {
  it('records the server in a 0600 platform file, lets a second user find it, and removes the file on close', async () => {
    const { root, workspace, noDocker } = tempWorkspace();
    const first = new WorkspacePlatform({ workspaceRoot: root, workspace: () => workspace, docker: noDocker, useServing: false });
    const served = await first.serve();
    try {
      assert.equal(served.hosts.join(), '127.0.0.1', 'no gateway known: loopback only, never every interface');
      assert.match(served.containerProblem ?? '', /bridge network could not be read/);
      const recorded = readPlatformFile(root);
      assert.deepEqual(recorded, { url: served.url, port: served.port, hosts: ['127.0.0.1'], pid: process.pid, token: served.token });
      assert.equal(fs.statSync(platformFilePath(root)).mode & 0o777, 0o600);
      const me = await fetch(`${served.url}/v2/users/me`, { headers: { authorization: `Bearer ${served.token}` } });
      assert.equal(me.status, 200);

      const second = new WorkspacePlatform({ workspaceRoot: root, workspace: () => workspace, docker: noDocker });
      const found = await second.serve();
      assert.deepEqual([found.url, found.token, found.pid], [served.url, served.token, process.pid], 'a live server is used, not a second one started');
      assert.equal(second.servesItself, false);
      const third = new WorkspacePlatform({ workspaceRoot: root, workspace: () => workspace, docker: noDocker, useServing: false });
      await assert.rejects(third.serve(), /already served at http:\/\/127\.0\.0\.1:\d+ by process \d+/);

      const choice = await second.forRun({ actorRoot: path.join(root, 'actor'), runId: 'R', runToken: 't' });
      assert.deepEqual(choice.atHome, false);
      assert.match((choice as { reason: string }).reason, /the local API at http:\/\/127\.0\.0\.1:\d+ \(process \d+\) does not listen where containers reach it/);
    } finally {
      await first.close();
    }
    assert.equal(fs.existsSync(platformFilePath(root)), false);
    const refused = await fetch(`${served.url}/v2/users/me`).catch(() => undefined);
    assert.equal(refused, undefined, 'closed: nothing listens any more');
  });

  it("serves a standby Actor's URL with the API, records it for other processes, and keeps its port for the next server", async () => {
    const { root, workspace, noDocker } = tempWorkspace();
    const actorRoot = path.join(root, 'actor');
    fs.writeFileSync(path.join(actorRoot, '.actor', 'actor.json'), JSON.stringify({ actorSpecification: 1, name: 'served', version: '0.1', usesStandbyMode: true }));
    const first = new WorkspacePlatform({ workspaceRoot: root, workspace: () => workspace, docker: noDocker, useServing: false });
    let url: string;
    try {
      url = await first.standbyUrl(actorRoot);
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      assert.deepEqual(readPlatformFile(root)?.standby, { [actorRoot]: url });
      const other = new WorkspacePlatform({ workspaceRoot: root, workspace: () => workspace, docker: noDocker });
      assert.equal(await other.standbyUrl(actorRoot), url, "another process gets the serving one's URL");
      await assert.rejects(other.standbyUrl(path.join(root, 'elsewhere')), /serves no standby URL for .*elsewhere: restart that server/);
    } finally {
      await first.close();
    }
    await assert.rejects(fetch(url), 'closed with the API');
    fs.mkdirSync(path.dirname(platformFilePath(root)), { recursive: true });
    // The file of a server whose process died: its standby port is tried first.
    fs.writeFileSync(platformFilePath(root), JSON.stringify({ url: 'http://127.0.0.1:1', port: 1, hosts: ['127.0.0.1'], pid: 2 ** 22 + 12345, token: 't', standby: { [actorRoot]: url } }), { mode: 0o600 });
    const next = new WorkspacePlatform({ workspaceRoot: root, workspace: () => workspace, docker: noDocker, useServing: false });
    try {
      assert.equal(await next.standbyUrl(actorRoot), url);
    } finally {
      await next.close();
    }
  });

  it('reuses the recorded port of a server that is gone; ignores a platform file it did not write', async () => {
    const { root, workspace, noDocker } = tempWorkspace();
    const first = new WorkspacePlatform({ workspaceRoot: root, workspace: () => workspace, docker: noDocker });
    const { port } = await first.serve();
    const recorded = readPlatformFile(root)!;
    await first.close();
    // The file of a server whose process died: same port next time.
    fs.writeFileSync(platformFilePath(root), JSON.stringify({ ...recorded, pid: 2 ** 22 + 12345 }), { mode: 0o600 });
    const next = new WorkspacePlatform({ workspaceRoot: root, workspace: () => workspace, docker: noDocker });
    const again = await next.serve();
    try {
      assert.equal(again.port, port);
      assert.notEqual(again.token, recorded.token, 'a new server has a new user token');
      assert.equal(next.servesItself, true);
    } finally {
      await next.close();
    }
    fs.mkdirSync(path.dirname(platformFilePath(root)), { recursive: true });
    fs.writeFileSync(platformFilePath(root), '{"not": "ours"}');
    assert.equal(readPlatformFile(root), undefined);
  });
});

describe('platform: every route needs a token, bodies are limited', () => {
  let server: PlatformServer;
  const routes: { method: string; url: string }[] = [];
  const token = newUserToken();

  before(async () => {
    const { workspace } = tempWorkspace();
    const collect = (app: FastifyInstance) => {
      app.addHook('onRoute', (route) => {
        for (const method of [route.method].flat()) if (['GET', 'POST', 'PUT', 'DELETE'].includes(method)) routes.push({ method, url: route.url });
      });
    };
    server = await startPlatformServer({ workspace, userToken: token, hosts: ['127.0.0.1'], routes: [collect, ...API_ROUTES], rewrites: API_REWRITES });
  });
  after(() => server.close());

  it('answers 401 on every route without a token, and with a wrong one', async () => {
    assert.ok(routes.length > 20, `routes found: ${routes.length}`);
    for (const { method, url } of routes) {
      const concrete = url.replace(/:[A-Za-z]+/g, 'someId').replace('*', 'rest');
      for (const query of ['', '?token=greenroom_api_wrong']) {
        const response = await fetch(`${server.baseUrl('127.0.0.1')}${concrete}${query}`, { method, ...(method === 'GET' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' }) });
        assert.equal(response.status, 401, `${method} ${concrete}${query}`);
      }
    }
  });

  it('refuses a body over the limit with 413, in the platform shape', async () => {
    const response = await fetch(`${server.baseUrl('127.0.0.1')}/v2/acts/served/runs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ big: 'x'.repeat(10 * 1024 * 1024) }),
    });
    assert.equal(response.status, 413);
    assert.equal(((await response.json()) as { error: { type: string } }).error.type, 'request-too-large');
  });
});
