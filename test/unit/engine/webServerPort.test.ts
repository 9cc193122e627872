import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { ContainerInspectInfo } from 'dockerode';
import { resolveDockerEndpoint } from '../../../src/engine/endpoint';
import { findFreeLocalPort, publishedHostPort, webServerBinding, webServerUrl } from '../../../src/engine/webServerPort';

function bindingFor(host: string) {
  return webServerBinding(resolveDockerEndpoint({ host, env: {} }).modemOptions);
}

describe('engine: web server port publishing', () => {
  it('binds to 127.0.0.1 with a URL on 127.0.0.1 for local endpoints: unix socket, socket path, loopback tcp/ssh', () => {
    const local = { kind: 'local', hostIp: '127.0.0.1', urlHost: '127.0.0.1' };
    assert.deepEqual(bindingFor('unix:///var/run/docker.sock'), local);
    assert.deepEqual(webServerBinding(resolveDockerEndpoint({ socketPath: '/run/user/1000/podman/podman.sock', env: {} }).modemOptions), local);
    assert.deepEqual(bindingFor('tcp://localhost:2375'), local);
    assert.deepEqual(bindingFor('tcp://127.0.0.1:2375'), local);
    assert.deepEqual(bindingFor('tcp://[::1]:2375'), local);
    assert.deepEqual(bindingFor('ssh://me@localhost'), local);
  });

  it("lets a remote engine choose the port on its interfaces and builds the URL from the endpoint's host", () => {
    assert.deepEqual(bindingFor('tcp://docker.example.com:2376'), { kind: 'remote', hostIp: '', urlHost: 'docker.example.com' });
    assert.deepEqual(bindingFor('ssh://me@10.0.0.5'), { kind: 'remote', hostIp: '', urlHost: '10.0.0.5' });
    assert.deepEqual(bindingFor('192.168.1.20:2375'), { kind: 'remote', hostIp: '', urlHost: '192.168.1.20' });
  });

  it('writes URLs with IPv6 hosts in brackets', () => {
    assert.equal(webServerUrl('127.0.0.1', 49153), 'http://127.0.0.1:49153');
    assert.equal(webServerUrl('docker.example.com', 32768), 'http://docker.example.com:32768');
    assert.equal(webServerUrl('fd00::5', 32768), 'http://[fd00::5]:32768');
    assert.equal(webServerUrl('[fd00::5]', 32768), 'http://[fd00::5]:32768');
  });

  it("reads the host port Docker chose from the container's port map", () => {
    const inspected = (Ports: unknown) => ({ NetworkSettings: { Ports } }) as unknown as ContainerInspectInfo;
    assert.equal(publishedHostPort(inspected({ '4321/tcp': [{ HostIp: '0.0.0.0', HostPort: '32769' }, { HostIp: '::', HostPort: '32769' }] })), 32769);
    assert.equal(publishedHostPort(inspected({ '4321/tcp': null })), undefined);
    assert.equal(publishedHostPort(inspected({})), undefined);
    assert.equal(publishedHostPort(inspected(undefined)), undefined);
  });

  it('finds a local port that can be bound', async () => {
    const port = await findFreeLocalPort();
    assert.ok(port > 0 && port < 65536);
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
  });
});
