/**
 * Which Docker engine to talk to. Precedence, like the docker CLI: an explicit option (setting or CLI flag),
 * else DOCKER_HOST (+ DOCKER_TLS_VERIFY / DOCKER_CERT_PATH), else the current Docker context
 * (DOCKER_CONTEXT or ~/.docker/config.json), else the default socket. `socketPath` beats everything
 * and is how Podman (`$XDG_RUNTIME_DIR/podman/podman.sock`) is selected.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { DockerOptions } from 'dockerode';

export interface DockerEndpointOptions {
  /** A unix socket path; overrides every other source (Podman, rootless Docker). */
  socketPath?: string;
  /** A DOCKER_HOST-style address: unix:///path, tcp://host:port, ssh://user@host. */
  host?: string;
  /** With a tcp:// host: use TLS and verify the server (DOCKER_TLS_VERIFY=1). */
  tlsVerify?: boolean;
  /** Folder holding ca.pem, cert.pem, key.pem (DOCKER_CERT_PATH). */
  certPath?: string;
  /** Environment to read DOCKER_HOST & co. from; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Home folder holding .docker/ (tests point it elsewhere). */
  homeDir?: string;
}

export interface ResolvedEndpoint {
  /** What the endpoint is and where it came from, for error messages: `unix:///var/run/docker.sock (default socket)`. */
  description: string;
  /** Options for dockerode/docker-modem, complete so that the modem's own DOCKER_HOST reading never applies. */
  modemOptions: DockerOptions;
}

const DEFAULT_SOCKET = '/var/run/docker.sock';

export function resolveDockerEndpoint(options: DockerEndpointOptions = {}): ResolvedEndpoint {
  const env = options.env ?? process.env;
  if (options.socketPath) return fromAddress(`unix://${options.socketPath}`, 'socket path setting', {});
  if (options.host) {
    return fromAddress(options.host, 'setting', { tlsVerify: options.tlsVerify, certPath: options.certPath });
  }
  if (env.DOCKER_HOST) {
    return fromAddress(env.DOCKER_HOST, 'DOCKER_HOST', {
      tlsVerify: env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '' && env.DOCKER_TLS_VERIFY !== '0',
      certPath: env.DOCKER_CERT_PATH || (env.DOCKER_TLS_VERIFY ? join(options.homeDir ?? homedir(), '.docker') : undefined),
    });
  }
  const fromContext = resolveContext(env, options.homeDir ?? homedir());
  if (fromContext) return fromContext;
  const userSocket = join(options.homeDir ?? homedir(), '.docker', 'run', 'docker.sock');
  return fromAddress(`unix://${existsSync(userSocket) ? userSocket : DEFAULT_SOCKET}`, 'default socket', {});
}

interface TlsMaterial {
  tlsVerify?: boolean;
  certPath?: string;
}

function fromAddress(address: string, source: string, tls: TlsMaterial): ResolvedEndpoint {
  const description = `${address} (${source})`;
  const withScheme = address.includes('://') ? address : `tcp://${address}`;
  const url = new URL(withScheme);
  // Complete option sets: docker-modem merges its own DOCKER_HOST parsing under ours, so clear what we don't use.
  const base: DockerOptions = { socketPath: undefined, host: undefined, port: undefined, protocol: undefined };
  switch (url.protocol) {
    case 'unix:':
      return { description, modemOptions: { ...base, socketPath: decodeURIComponent(url.pathname) || DEFAULT_SOCKET } };
    case 'tcp:':
    case 'http:':
    case 'https:': {
      const useTls = url.protocol === 'https:' || tls.tlsVerify === true || (tls.certPath !== undefined && url.protocol !== 'http:');
      const modemOptions: DockerOptions = {
        ...base,
        host: url.hostname,
        port: url.port || (useTls ? '2376' : '2375'),
        protocol: useTls ? 'https' : 'http',
      };
      if (useTls && tls.certPath) {
        modemOptions.ca = readFileSync(join(tls.certPath, 'ca.pem'));
        modemOptions.cert = readFileSync(join(tls.certPath, 'cert.pem'));
        modemOptions.key = readFileSync(join(tls.certPath, 'key.pem'));
      }
      return { description, modemOptions };
    }
    case 'ssh:':
      return {
        description,
        modemOptions: {
          ...base,
          host: url.hostname,
          port: url.port || '22',
          protocol: 'ssh',
          username: decodeURIComponent(url.username) || undefined,
          sshOptions: { agent: process.env.SSH_AUTH_SOCK },
        },
      };
    default:
      throw new Error(`Unsupported Docker endpoint "${address}" from ${source}: use unix://, tcp:// or ssh://`);
  }
}

/** The docker CLI's current context: DOCKER_CONTEXT, else `currentContext` in ~/.docker/config.json. */
function resolveContext(env: NodeJS.ProcessEnv, home: string): ResolvedEndpoint | undefined {
  const dockerDir = env.DOCKER_CONFIG || join(home, '.docker');
  let name = env.DOCKER_CONTEXT;
  if (!name) {
    try {
      name = (JSON.parse(readFileSync(join(dockerDir, 'config.json'), 'utf8')) as { currentContext?: string }).currentContext;
    } catch {
      return undefined;
    }
  }
  if (!name || name === 'default') return undefined;
  const digest = createHash('sha256').update(name).digest('hex');
  let meta: { Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } } };
  try {
    meta = JSON.parse(readFileSync(join(dockerDir, 'contexts', 'meta', digest, 'meta.json'), 'utf8'));
  } catch {
    throw new Error(`Docker context "${name}" is selected but ${join(dockerDir, 'contexts', 'meta', digest)} cannot be read`);
  }
  const host = meta.Endpoints?.docker?.Host;
  if (!host) return undefined;
  const tlsDir = join(dockerDir, 'contexts', 'tls', digest, 'docker');
  return fromAddress(host, `Docker context "${name}"`, existsSync(join(tlsDir, 'ca.pem')) ? { certPath: tlsDir } : {});
}
