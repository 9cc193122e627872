/**
 * The Actor's web server (ACTOR_WEB_SERVER_PORT) published on the Docker host, so the run has a
 * `containerUrl` as on the platform. On a local engine the port is bound to 127.0.0.1 only (nothing is
 * exposed on the network) and chosen by us first, so ACTOR_WEB_SERVER_URL can go into the environment at
 * create time. On a remote engine we cannot know which of its ports are free: Docker chooses one on all of
 * its interfaces and only containerUrl is filled, after start, from the container's port map.
 */
import { createServer } from 'node:net';
import type { ContainerInspectInfo, DockerOptions } from 'dockerode';
import type { RunRecord } from './types';

/** ACTOR_WEB_SERVER_PORT: where the Actor's web server listens inside the container. */
export const WEB_SERVER_PORT = 4321;
const CONTAINER_PORT = `${WEB_SERVER_PORT}/tcp`;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Where the web server port goes for one Docker endpoint. */
export type WebServerBinding =
  /** Local engine: bind 127.0.0.1:<a free local port>, URL known before create. */
  | { kind: 'local'; hostIp: '127.0.0.1'; urlHost: '127.0.0.1' }
  /** Remote engine: Docker picks the port on every interface; the URL uses the endpoint's host name. */
  | { kind: 'remote'; hostIp: ''; urlHost: string };

export function webServerBinding(modemOptions: DockerOptions): WebServerBinding {
  const remoteHost = modemOptions.socketPath ? undefined : modemOptions.host;
  if (!remoteHost || LOOPBACK_HOSTS.has(remoteHost)) return { kind: 'local', hostIp: '127.0.0.1', urlHost: '127.0.0.1' };
  return { kind: 'remote', hostIp: '', urlHost: remoteHost };
}

export function webServerUrl(urlHost: string, hostPort: number): string {
  const host = urlHost.includes(':') && !urlHost.startsWith('[') ? `[${urlHost}]` : urlHost;
  return `http://${host}:${hostPort}`;
}

/** The host port Docker bound the web server port to, from `docker inspect`; undefined when none. */
export function publishedHostPort(info: Pick<ContainerInspectInfo, 'NetworkSettings'>): number | undefined {
  const bindings = (info.NetworkSettings.Ports as Record<string, { HostPort: string }[] | null> | undefined)?.[CONTAINER_PORT];
  const port = Number(bindings?.[0]?.HostPort);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/** A port nobody listens on at 127.0.0.1 right now (the OS picks it); Docker binds it moments later. */
export function findFreeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('No local port was assigned'))));
    });
  });
}

/** The URL to offer for opening: only while the run is RUNNING (an ended run keeps containerUrl in its record, as on the platform). */
export function liveContainerUrl(run: RunRecord): string | undefined {
  return run.status === 'RUNNING' && run.containerUrl ? run.containerUrl : undefined;
}
