/**
 * The local platform: an HTTP server speaking the Apify API v2 (the subset the SDKs and apify-client use) over the
 * workspace's engines and storages, plus one events websocket per run. No `vscode` import: the extension, the CLI
 * (`greenroom serve`, `greenroom run`) and the tests start it alike.
 *
 * Fastify: a well-kept framework with per-route body limits and content-type parsers (records are raw bytes of any
 * type), hooks for authentication, and a router fast enough that the API stays a small share of a run's time.
 * It listens on loopback and, for containers, on the Docker bridge's gateway address, never on every interface:
 * one Fastify instance serves both through `app.routing`, on the same port.
 */
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createGunzip, createInflate, createBrotliDecompress } from 'node:zlib';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { ActorWorkspace } from '../workspace/workspace';
import { ApiError, engineApiError, errorBody } from './errors';
import { authenticate, Principal, requestToken } from './principal';
import type { RouteLatency } from './routeLatency';
import { RunDirectory } from './runDirectory';

/** The platform's limit on a request body (a dataset push is limited further by its own route). */
export const MAX_REQUEST_BODY_BYTES = 9 * 1024 * 1024;

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling; undefined only on routes whose config says `authOptional` (a signed record URL). */
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    /** The route checks access itself (e.g. a key-value record read through a signed public URL). */
    authOptional?: boolean;
  }
}

/** What every route module gets. */
export interface PlatformContext {
  workspace: ActorWorkspace;
  runs: RunDirectory;
  /** Base URL the host reaches the server at (loopback), e.g. for public record URLs and log links. */
  publicBaseUrl(): string;
}

/** Handles a websocket upgrade (the events channel); returns false when the URL is not its own. */
export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => boolean;

export type RouteModule = (app: FastifyInstance, ctx: PlatformContext) => void;

/**
 * Maps a request's URL (path and query) to another before routing, e.g. a run's storage alias to the storage's own
 * path; undefined leaves it to the next rewrite. Runs before authentication, so it must not answer anything itself.
 */
export type UrlRewrite = (url: string, ctx: PlatformContext) => string | undefined;

export interface PlatformServerOptions {
  workspace: ActorWorkspace;
  userToken: string;
  /** Addresses to listen on: loopback first, then e.g. the Docker bridge gateway. */
  hosts: string[];
  /** Port to use on every host; 0 or absent: a free one chosen on the first host. */
  port?: number;
  routes: RouteModule[];
  rewrites?: UrlRewrite[];
  upgradeHandlers?: ((ctx: PlatformContext) => UpgradeHandler)[];
  /** Records every response's time by route (the benchmark's latency figures). */
  routeLatency?: RouteLatency;
}

export interface PlatformServer {
  readonly port: number;
  readonly hosts: readonly string[];
  readonly userToken: string;
  readonly context: PlatformContext;
  /** `http://<host>:<port>` for one of the hosts listened on. */
  baseUrl(host: string): string;
  close(): Promise<void>;
}

export function createPlatformApp(options: Pick<PlatformServerOptions, 'userToken' | 'routes' | 'rewrites' | 'routeLatency'>, ctx: PlatformContext): FastifyInstance {
  const rewrites = options.rewrites ?? [];
  // Required here, not imported: bundled, Fastify's ~160 ms of module set-up then runs only for a process that
  // serves, not for every CLI command and extension start.
  const { fastify } = require('fastify') as typeof import('fastify');
  const app = fastify({
    bodyLimit: MAX_REQUEST_BODY_BYTES,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    logger: false,
    rewriteUrl: (request) => rewrites.reduce((url, rewrite) => rewrite(url, ctx) ?? url, request.url ?? '/'),
  });
  options.routeLatency?.attach(app);
  app.decorateRequest('principal', undefined);
  // Record values are bytes of any content type; JSON bodies stay parsed by Fastify's own parser.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  // apify-client compresses bodies (gzip); Fastify does not undo that on its own.
  app.addHook('preParsing', async (request, _reply, payload) => {
    const encoding = request.headers['content-encoding'];
    const decoder = encoding === 'gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : encoding === 'br' ? createBrotliDecompress() : undefined;
    if (!decoder) return payload;
    delete request.headers['content-encoding'];
    delete request.headers['content-length'];
    return payload.pipe(decoder);
  });
  app.addHook('onRequest', async (request) => {
    const token = requestToken(request);
    if (request.routeOptions.config?.authOptional && !token) return;
    request.principal = authenticate(token, options.userToken, ctx.runs);
  });
  app.setErrorHandler((error: FastifyError | ApiError, _request, reply) => {
    const known = error instanceof ApiError ? error : engineApiError(error);
    if (known) return reply.code(known.statusCode).send(errorBody(known));
    const status = error.statusCode ?? 500;
    const type = status === 413 ? 'request-too-large' : status < 500 ? 'invalid-input' : 'internal-server-error';
    return reply.code(status).send(errorBody(new ApiError(status, type, error.message)));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody(new ApiError(404, 'page-not-found', `${request.method} ${request.url.split('?')[0]} is not a route of the local Apify API`))),
  );
  for (const register of options.routes) register(app, ctx);
  return app;
}

export async function startPlatformServer(options: PlatformServerOptions): Promise<PlatformServer> {
  if (options.hosts.length === 0) throw new Error('The local platform needs at least one address to listen on');
  let port = options.port ?? 0;
  const ctx: PlatformContext = {
    workspace: options.workspace,
    runs: new RunDirectory(options.workspace),
    publicBaseUrl: () => baseUrl(options.hosts[0], port),
  };
  const app = createPlatformApp(options, ctx);
  await app.ready();
  const upgrades = (options.upgradeHandlers ?? []).map((make) => make(ctx));
  // Upgraded sockets (events websockets) are no longer the HTTP server's: close() ends them itself.
  const upgraded = new Set<Duplex>();
  const servers: Server[] = [];
  try {
    for (const host of options.hosts) {
      const server = createServer((request, response) => app.routing(request, response));
      server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
        upgraded.add(socket);
        socket.once('close', () => upgraded.delete(socket));
        if (!upgrades.some((handle) => handle(request, socket, head))) socket.destroy();
      });
      await listen(server, host, port);
      port = (server.address() as AddressInfo).port;
      servers.push(server);
    }
  } catch (error) {
    await Promise.all(servers.map(closeServer));
    await app.close();
    throw new Error(`The local Apify API could not listen on ${options.hosts.join(', ')} port ${port}: ${(error as Error).message}`);
  }
  return {
    port,
    hosts: options.hosts,
    userToken: options.userToken,
    context: ctx,
    baseUrl: (host) => baseUrl(host, port),
    close: async () => {
      for (const socket of upgraded) socket.destroy();
      await Promise.all(servers.map(closeServer));
      await app.close();
    },
  };
}

/** `http://<host>:<port>`, brackets around an IPv6 address. */
export function baseUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
