import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerClient, DockerUnavailableError, resolveDockerEndpoint } from '../../src/engine';
import { copyFixture } from './fixtures';
import { makeEngine } from './helpers';

describe('engine: Docker endpoint', function () {
  const home = mkdtempSync(join(tmpdir(), 'greenroom-home-'));

  it('resolves option, DOCKER_HOST (unix, tcp, TLS, ssh), Docker context, default socket, in that order', function () {
    const certs = mkdtempSync(join(tmpdir(), 'greenroom-certs-'));
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(certs, f), `-- ${f} --`);
    const env = (vars: NodeJS.ProcessEnv) => ({ env: vars, homeDir: home });

    assert.deepEqual(resolveDockerEndpoint(env({})).modemOptions.socketPath, '/var/run/docker.sock');
    assert.match(resolveDockerEndpoint(env({})).description, /default socket/);
    assert.equal(resolveDockerEndpoint(env({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' })).modemOptions.socketPath, '/run/user/1000/docker.sock');
    const tcp = resolveDockerEndpoint(env({ DOCKER_HOST: 'tcp://10.0.0.5:2375' })).modemOptions;
    assert.deepEqual([tcp.host, tcp.port, tcp.protocol, tcp.socketPath], ['10.0.0.5', '2375', 'http', undefined]);
    const tls = resolveDockerEndpoint(env({ DOCKER_HOST: 'tcp://docker.example:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs })).modemOptions;
    assert.equal(tls.protocol, 'https');
    assert.equal(String(tls.ca), '-- ca.pem --');
    const ssh = resolveDockerEndpoint(env({ DOCKER_HOST: 'ssh://dev@build-box:2222' })).modemOptions;
    assert.deepEqual([ssh.protocol, ssh.username, ssh.host, ssh.port], ['ssh', 'dev', 'build-box', '2222']);
    // an explicit option beats DOCKER_HOST; a socket path (Podman) beats everything
    assert.equal(resolveDockerEndpoint({ ...env({ DOCKER_HOST: 'tcp://x:1' }), host: 'unix:///opt/d.sock' }).modemOptions.socketPath, '/opt/d.sock');
    const podman = resolveDockerEndpoint({ ...env({ DOCKER_HOST: 'tcp://x:1' }), socketPath: '/run/user/1000/podman/podman.sock' });
    assert.equal(podman.modemOptions.socketPath, '/run/user/1000/podman/podman.sock');

    // the current Docker context (config.json currentContext → contexts/meta/<sha256(name)>/meta.json)
    const digest = createHash('sha256').update('remote').digest('hex');
    mkdirSync(join(home, '.docker', 'contexts', 'meta', digest), { recursive: true });
    writeFileSync(join(home, '.docker', 'config.json'), JSON.stringify({ currentContext: 'remote' }));
    writeFileSync(join(home, '.docker', 'contexts', 'meta', digest, 'meta.json'), JSON.stringify({ Name: 'remote', Endpoints: { docker: { Host: 'tcp://192.168.1.9:2375' } } }));
    const fromContext = resolveDockerEndpoint(env({}));
    assert.equal(fromContext.modemOptions.host, '192.168.1.9');
    assert.match(fromContext.description, /Docker context "remote"/);
    assert.equal(resolveDockerEndpoint(env({ DOCKER_HOST: 'tcp://1.2.3.4:2375' })).modemOptions.host, '1.2.3.4', 'DOCKER_HOST beats the context');
  });

  it('says clearly that Docker is not running, naming the endpoint tried', async function () {
    const missing = join(tmpdir(), 'greenroom-no-such-docker.sock');
    const client = new DockerClient({ socketPath: missing });
    await assert.rejects(client.ping(), (error: unknown) => {
      assert.ok(error instanceof DockerUnavailableError);
      assert.match(error.message, /Docker isn't running or isn't installed/);
      assert.ok(error.message.includes(missing));
      return true;
    });
    const refused = new DockerClient({ host: 'tcp://127.0.0.1:1' });
    await assert.rejects(refused.ping(), /nothing answers at tcp:\/\/127\.0\.0\.1:1/);
    const engine = makeEngine(copyFixture('shell-actor'), { docker: { socketPath: missing } });
    await assert.rejects(engine.run(), DockerUnavailableError, 'a run against a down daemon fails with the same clear error');
    engine.dispose();
  });

  it('times out a call to an engine that does not answer', async function () {
    const accepted: Socket[] = [];
    const silent: Server = createServer((socket) => accepted.push(socket)).listen(0, '127.0.0.1');
    await new Promise((r) => silent.once('listening', r));
    const port = (silent.address() as { port: number }).port;
    const client = new DockerClient({ host: `tcp://127.0.0.1:${port}` }, 500);
    await assert.rejects(client.ping(), /did not answer "ping" within 0.5 s/);
    for (const socket of accepted) socket.destroy();
    silent.close();
  });

  it('builds and runs through a TCP endpoint on loopback', async function () {
    // A plain TCP → unix-socket relay stands in for `dockerd -H tcp://127.0.0.1:…`, whichever daemon is running.
    const connections = new Set<Socket>();
    const relay = createServer((client) => {
      connections.add(client);
      const upstream = createConnection('/var/run/docker.sock');
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    }).listen(0, '127.0.0.1');
    await new Promise((r) => relay.once('listening', r));
    const port = (relay.address() as { port: number }).port;
    try {
      const engine = makeEngine(copyFixture('shell-actor'), { docker: { host: `tcp://127.0.0.1:${port}` } });
      assert.match(engine.docker.endpoint.description, new RegExp(`tcp://127.0.0.1:${port}`));
      const run = await (await engine.run()).finished;
      assert.equal(run.status, 'SUCCEEDED', engine.readRunLog(run.id));
      assert.match(engine.readRunLog(run.id), /shell actor mode=ok/);
      engine.dispose();
    } finally {
      // keep-alive connections of the HTTP agent would otherwise hold the relay open
      for (const socket of connections) socket.destroy();
      relay.close();
    }
  });
});
