/**
 * Who serves a workspace's local API, and the engine's PlatformLink to it (the provider side of platformLink.ts).
 * `greenroom serve` starts a server at once; the extension and `greenroom run` start one at their first run, unless
 * a live one already serves the workspace (its platform file names a process that is alive and answers), which they
 * then use. A server listens on loopback and on the Docker bridge gateway (for containers), never on every
 * interface, and records itself in the platform file; closing it removes the file.
 */
import type { DockerEndpointOptions } from '../engine/endpoint';
import { isProcessAlive } from '../engine/runs';
import type { AtHomePlatform, PlatformChoice, PlatformLink, PlatformRunRequest } from '../engine/platformLink';
import type { ActorWorkspace } from '../workspace/workspace';
import { dockerBridgeGateway, dockerBridgeGatewayAt } from './bridgeGateway';
import { eventsChannel, runEventsUrl } from './events';
import { PlatformFileContent, readPlatformFile, removePlatformFile, writePlatformFile } from './platformFile';
import type { RouteLatency } from './routeLatency';
import { API_REWRITES, API_ROUTES } from './routes';
import { LOCAL_USER } from './routes/users';
import { baseUrl, PlatformServer, startPlatformServer } from './server';
import { StandbyGateway } from './standby/gateway';
import { newUserToken } from './tokens';

const LOOPBACK = '127.0.0.1';
/** How long a recorded server has to answer before it counts as gone. */
const ALIVE_CHECK_MS = 2000;

/** The API a workspace is served at, by this process or another. */
export interface ServedPlatform {
  /** Base URL on loopback (`http://127.0.0.1:<port>`), for the host's clients. */
  url: string;
  token: string;
  port: number;
  hosts: readonly string[];
  /** The address containers reach the API at (the bridge gateway), when it listens there. */
  containerHost: string | undefined;
  /** Why containers cannot reach it, when they cannot. */
  containerProblem: string | undefined;
  /** The serving process (this one, or the one named by the platform file). */
  pid: number;
}

export interface WorkspacePlatformOptions {
  /** Where the platform file lives (`<root>/.greenroom/platform.json`). */
  workspaceRoot: string;
  /** The workspace the server serves (given later: its engines are made with this link). */
  workspace: () => ActorWorkspace;
  /** The Docker engine whose bridge gateway containers reach the host at (the engines' endpoint setting). */
  docker?: DockerEndpointOptions;
  /** `--port`: this port or fail; default: the recorded port when free, else any. */
  port?: number;
  /** Use a live server another process records instead of starting one (default true; `greenroom serve`: false). */
  useServing?: boolean;
  /** Records the API's response times by route (`npm run bench:platform`). */
  routeLatency?: RouteLatency;
}

export class WorkspacePlatform implements PlatformLink {
  private starting: Promise<ServedPlatform> | undefined;
  private server: PlatformServer | undefined;
  /** The standby URLs this process serves (with the API: standby runs are at home on it). */
  private standby: StandbyGateway | undefined;
  /** The standby URLs the previous server recorded: each Actor's port is tried again first. */
  private recordedStandby: Record<string, string> = {};
  private readonly listeners = new Set<(served: ServedPlatform | undefined) => void>();

  constructor(private readonly options: WorkspacePlatformOptions) {}

  /**
   * The platform, served by this process or a live other one; starts serving on first use, on `preferredPort` when
   * it is free (the port a re-attached run's container was given), else the recorded one, else any.
   */
  serve(preferredPort?: number): Promise<ServedPlatform> {
    this.starting ??= this.findOrStart(preferredPort).catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  /** Whether this process serves the API itself (false when it uses another's, or none yet). */
  get servesItself(): boolean {
    return this.server !== undefined;
  }

  /** Called once the platform is served (by this process, or found served by another), and when this one stops serving. */
  onDidChange(listener: (served: ServedPlatform | undefined) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async forRun(request: PlatformRunRequest): Promise<PlatformChoice> {
    let served: ServedPlatform;
    try {
      served = await this.serve(request.servedAt ? portOf(request.servedAt) : undefined);
    } catch (error) {
      return { atHome: false, reason: `the local Apify API could not start: ${(error as Error).message}` };
    }
    if (!served.containerHost) return { atHome: false, reason: served.containerProblem ?? 'the local Apify API does not listen where containers reach it' };
    // The run's own engine decides where its containers are: a remote one cannot reach this machine.
    const docker = this.options.workspace().engineFor(request.actorRoot).docker;
    const answer = await dockerBridgeGateway(docker);
    if ('reason' in answer) return { atHome: false, reason: answer.reason };
    if (answer.gateway !== served.containerHost) {
      return { atHome: false, reason: `the local Apify API listens on ${served.containerHost}, but this run's Docker engine reaches the host at ${answer.gateway}` };
    }
    const apiBaseUrl = baseUrl(served.containerHost, served.port);
    const platform: AtHomePlatform = {
      apiBaseUrl,
      publicBaseUrl: served.url,
      eventsWebsocketUrl: runEventsUrl(apiBaseUrl, request.runId, request.runToken),
      userId: LOCAL_USER.id,
    };
    return { atHome: true, platform };
  }

  /**
   * The Actor's standby URL (docs/platform.md#standby-mode), served from now on by this process when it serves the
   * API (starting to serve it when nothing serves the workspace yet), else the one the serving process recorded.
   */
  async standbyUrl(actorRoot: string): Promise<string> {
    const served = await this.serve();
    if (this.standby && this.server) {
      const url = await this.standby.urlFor(actorRoot, portOf(this.recordedStandby[actorRoot] ?? ''));
      this.recordServer(served, Object.fromEntries((await this.standby.endpoints()).map((endpoint) => [endpoint.actorRoot, endpoint.url])));
      return url;
    }
    const recorded = readPlatformFile(this.options.workspaceRoot);
    const url = recorded?.pid === served.pid ? recorded.standby?.[actorRoot] : undefined;
    if (!url) throw new Error(`the local Apify API is served by process ${served.pid} (${served.url}), which serves no standby URL for ${actorRoot}: restart that server (e.g. greenroom serve) after setting "usesStandbyMode": true`);
    return url;
  }

  /** Stops serving (when this process serves) and removes the platform file it wrote. */
  async close(): Promise<void> {
    const server = this.server;
    const standby = this.standby;
    this.server = undefined;
    this.standby = undefined;
    this.starting = undefined;
    if (!server) return;
    removePlatformFile(this.options.workspaceRoot);
    await standby?.close();
    await server.close();
    for (const listener of this.listeners) listener(undefined);
  }

  private async findOrStart(preferredPort: number | undefined): Promise<ServedPlatform> {
    const recorded = readPlatformFile(this.options.workspaceRoot);
    if (recorded && this.options.useServing !== false && (await isServing(recorded))) {
      const found = fromRecord(recorded);
      for (const listener of this.listeners) listener(found);
      return found;
    }
    if (recorded && this.options.useServing === false && (await isServing(recorded))) {
      throw new Error(`the workspace ${this.options.workspaceRoot} is already served at ${recorded.url} by process ${recorded.pid}`);
    }
    return this.start(recorded, preferredPort);
  }

  private async start(recorded: PlatformFileContent | undefined, preferredPort: number | undefined): Promise<ServedPlatform> {
    const workspace = this.options.workspace();
    const gatewayAnswer = await dockerBridgeGatewayAt(this.options.docker);
    const gateway = 'gateway' in gatewayAnswer ? gatewayAnswer.gateway : undefined;
    const explicitPort = this.options.port;
    const listen = (hosts: string[], port: number | undefined) =>
      startPlatformServer({ workspace, userToken: newUserToken(), hosts, port, routes: API_ROUTES, rewrites: API_REWRITES, upgradeHandlers: [eventsChannel], routeLatency: this.options.routeLatency });
    const attempts: { hosts: string[]; port: number | undefined }[] = [];
    const hostSets = gateway ? [[LOOPBACK, gateway], [LOOPBACK]] : [[LOOPBACK]];
    for (const hosts of hostSets) {
      if (explicitPort !== undefined) attempts.push({ hosts, port: explicitPort });
      else {
        for (const port of new Set([preferredPort, recorded?.port])) if (port) attempts.push({ hosts, port });
        attempts.push({ hosts, port: 0 });
      }
    }
    let server: PlatformServer | undefined;
    let containerProblem = 'reason' in gatewayAnswer ? gatewayAnswer.reason : undefined;
    let lastError: unknown;
    for (const attempt of attempts) {
      try {
        server = await listen(attempt.hosts, attempt.port);
        break;
      } catch (error) {
        lastError = error;
        // Loopback alone is the fallback when the gateway is not an address of this machine (Docker Desktop's VM).
        if (attempt.hosts.length > 1) containerProblem = `the Docker bridge gateway ${gateway} cannot be listened on here (${(error as Error).message})`;
      }
    }
    if (!server) throw lastError;
    const listensOnGateway = gateway !== undefined && server.hosts.includes(gateway);
    if (listensOnGateway) containerProblem = undefined;
    this.server = server;
    this.standby = new StandbyGateway({ workspace });
    this.recordedStandby = recorded?.standby ?? {};
    const served: ServedPlatform = {
      url: server.baseUrl(LOOPBACK),
      token: server.userToken,
      port: server.port,
      hosts: server.hosts,
      containerHost: listensOnGateway ? gateway : undefined,
      containerProblem,
      pid: process.pid,
    };
    this.recordServer(served, {});
    for (const listener of this.listeners) listener(served);
    return served;
  }

  private recordServer(served: ServedPlatform, standby: Record<string, string>): void {
    writePlatformFile(this.options.workspaceRoot, { url: served.url, port: served.port, hosts: [...served.hosts], pid: process.pid, token: served.token, ...(Object.keys(standby).length > 0 && { standby }) });
  }
}

function portOf(url: string): number | undefined {
  if (!URL.canParse(url)) return undefined;
  const port = Number(new URL(url).port);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

function fromRecord(recorded: PlatformFileContent): ServedPlatform {
  const containerHost = recorded.hosts.find((host) => host !== LOOPBACK);
  return {
    url: recorded.url,
    token: recorded.token,
    port: recorded.port,
    hosts: recorded.hosts,
    containerHost,
    containerProblem: containerHost ? undefined : `the local API at ${recorded.url} (process ${recorded.pid}) does not listen where containers reach it`,
    pid: recorded.pid,
  };
}

/** Whether the recorded server's process is alive and answers with the recorded token. */
async function isServing(recorded: PlatformFileContent): Promise<boolean> {
  if (!isProcessAlive(recorded.pid)) return false;
  try {
    const response = await fetch(`${recorded.url}/v2/users/me`, { headers: { authorization: `Bearer ${recorded.token}` }, signal: AbortSignal.timeout(ALIVE_CHECK_MS) });
    return response.ok;
  } catch {
    return false;
  }
}
