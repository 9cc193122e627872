/**
 * Standby mode at home (docs/platform.md#standby-mode): each Actor with `usesStandbyMode` gets a standby URL of its
 * own, `http://127.0.0.1:<port>/`, served by the process that serves the local API. A request there is given to a
 * standby run (origin STANDBY, listening on ACTOR_STANDBY_PORT): a ready one with room, else one being started, else
 * a new one; it waits for the run's readiness probe to pass, then is proxied (proxy.ts). A run that has had no
 * request for `idleTimeoutSecs` is wound down with a graceful abort. No `vscode` import.
 *
 * A port per Actor, not a path per Actor on the API's port: the Actor sees the request's own path, as on the
 * platform's `https://<user>--<actor>.apify.actor/…`, so its absolute links work.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { RunHandle } from '../../engine/runMonitor';
import { isProcessAlive } from '../../engine/runs';
import { isTerminal } from '../../engine/types';
import type { ActorWorkspace } from '../../workspace/workspace';
import { forwardRequest, forwardUpgrade, sendError, sendSocketError } from './proxy';
import { waitUntilReady } from './readiness';
import { needsAnotherRun, pickRun } from './routing';
import { StandbySettings, standbySettings } from './settings';

const LOOPBACK = '127.0.0.1';
/** How long a standby run's server may take from its container's start to a passed readiness probe. */
const READINESS_TIMEOUT_MS = 5 * 60_000;

export class StandbyError extends Error {
  name = 'StandbyError';
}

export interface StandbyGatewayOptions {
  workspace: ActorWorkspace;
}

/** One Actor's standby URL, as `greenroom serve` prints it and the platform file records it. */
export interface StandbyEndpoint {
  actorRoot: string;
  name: string;
  url: string;
}

export class StandbyGateway {
  private readonly actors = new Map<string, Promise<StandbyActor>>();

  constructor(private readonly options: StandbyGatewayOptions) {}

  /**
   * The Actor's standby URL, listening from the first ask on (on `preferredPort` when it is free, else any port).
   * A StandbyError when the Actor does not use Standby mode, a StandbySettingsError when its settings are wrong.
   */
  async urlFor(actorRoot: string, preferredPort?: number): Promise<string> {
    let actor = this.actors.get(actorRoot);
    if (!actor) {
      const definition = this.options.workspace.engineFor(actorRoot).definition();
      if (!definition.usesStandbyMode) throw new StandbyError(`${definition.name} does not use Standby mode: set "usesStandbyMode": true in its actor.json`);
      standbySettings(definition.actorStandby);
      actor = StandbyActor.listen(this.options, actorRoot, definition.name, preferredPort);
      this.actors.set(actorRoot, actor);
      actor.catch(() => this.actors.delete(actorRoot));
    }
    return (await actor).url;
  }

  /** The standby URLs listening now. */
  async endpoints(): Promise<StandbyEndpoint[]> {
    const actors = await Promise.allSettled(this.actors.values());
    return actors.flatMap((settled) => (settled.status === 'fulfilled' ? [settled.value.endpoint] : []));
  }

  /** The ids of the runs serving the Actor's standby requests now (those whose container runs). */
  async runIds(actorRoot: string): Promise<string[]> {
    const actor = await this.actors.get(actorRoot);
    return actor ? actor.runIds() : [];
  }

  /** Stops listening and winds every standby run down (they have nobody to serve any more). */
  async close(): Promise<void> {
    const actors = await Promise.allSettled(this.actors.values());
    this.actors.clear();
    await Promise.all(actors.map((settled) => (settled.status === 'fulfilled' ? settled.value.close() : undefined)));
  }
}

/** A standby run as the gateway sees it: its load, settings, readiness and idle timer. */
interface StandbyRun {
  /** Known once its container runs. */
  runId: string | undefined;
  containerUrl: string | undefined;
  ready: boolean;
  assigned: number;
  maxRequests: number;
  desiredRequests: number;
  idleTimeoutMs: number;
  /** Settles when the run can take requests; rejects with what the waiting requests are told. */
  readiness: Promise<void>;
  /** The run's handle once its container runs. */
  started: Promise<RunHandle>;
  idleTimer: NodeJS.Timeout | undefined;
}

/** An HTTP failure to tell the client (status and message). */
class StandbyFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** One Actor's standby URL and its pool of runs. */
class StandbyActor {
  private runs: StandbyRun[] = [];
  private closing = false;
  private stopAdopting: () => void = () => undefined;

  private constructor(
    private readonly options: StandbyGatewayOptions,
    private readonly server: Server,
    readonly endpoint: StandbyEndpoint,
  ) {}

  get url(): string {
    return this.endpoint.url;
  }

  static async listen(options: StandbyGatewayOptions, actorRoot: string, name: string, preferredPort: number | undefined): Promise<StandbyActor> {
    let actor: StandbyActor | undefined;
    const server = createServer((request, response) => void actor!.handle(request, response));
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => void actor!.handleUpgrade(request, socket, head));
    const port = await listenOn(server, preferredPort).catch(() => listenOn(server, 0));
    actor = new StandbyActor(options, server, { actorRoot, name, url: `http://${LOOPBACK}:${port}/` });
    actor.windDownLeftovers();
    actor.adoptResurrected();
    return actor;
  }

  /**
   * A standby run resurrected in this process (the API, the editor's command) serves requests again: it joins the
   * pool once its container runs, with the idle timeout that winds it down. One resurrected by another process is
   * that process's to follow.
   */
  private adoptResurrected(): void {
    const engine = this.options.workspace.engineFor(this.endpoint.actorRoot);
    const adopt = (id: string) => {
      const handle = engine.runHandle(id);
      if (this.closing || !handle || this.runs.some((run) => run.runId === id)) return;
      try {
        this.addRun(() => Promise.resolve(handle)).runId = id;
      } catch {
        // Settings gone wrong since: the run is left to its own end (the next request is told why).
      }
    };
    this.stopAdopting = engine.onEvent((event) => {
      if (event.type !== 'run-status') return;
      const { id, meta, status, stats } = event.run;
      // A run this pool starts is never resurrected yet; it joins the pool as it starts.
      if (meta.origin !== 'STANDBY' || status !== 'RUNNING' || !stats.resurrectCount || this.runs.some((run) => run.runId === id)) return;
      // The engine says RUNNING as it makes the run's monitor, and holds its handle just after.
      setImmediate(() => adopt(id));
    });
  }

  /**
   * Standby runs a previous server left running (it was killed, or the editor closed without winding them down)
   * have no timeout and nobody to route requests to them: they are wound down. A run another live process follows
   * is that process's (its own standby URL's).
   */
  private windDownLeftovers(): void {
    const engine = this.options.workspace.engineFor(this.endpoint.actorRoot);
    for (const run of engine.listRuns()) {
      const monitorPid = run.greenroom.monitorPid;
      const followedElsewhere = monitorPid !== null && monitorPid !== process.pid && isProcessAlive(monitorPid);
      if (run.meta.origin === 'STANDBY' && !isTerminal(run.status) && !followedElsewhere) void engine.abort(run.id, { graceful: true }).catch(() => undefined);
    }
  }

  runIds(): string[] {
    return this.runs.flatMap((run) => (run.runId ? [run.runId] : []));
  }

  async close(): Promise<void> {
    this.closing = true;
    this.stopAdopting();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.all([...this.runs].map((run) => this.windDown(run)));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let clientGone = false;
    response.once('close', () => (clientGone = true));
    await this.withRun({
      fail: (status, message) => sendError(response, status, message),
      gone: () => clientGone,
      exchange: (target) => forwardRequest(request, response, target),
    });
  }

  private async handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    let clientGone = false;
    socket.once('close', () => (clientGone = true));
    await this.withRun({
      fail: (status, message) => sendSocketError(socket, status, message),
      gone: () => clientGone,
      exchange: (target) => forwardUpgrade(request, socket, head, target),
    });
  }

  /**
   * Gives one exchange (a request, or an upgraded connection) a run: a picked one or a new one, starting another
   * ahead of need when due; waits for the run's readiness, then forwards to its server. The run counts the exchange
   * until it ends.
   */
  private async withRun(client: { fail(status: number, message: string): void; gone(): boolean; exchange(target: string): Promise<void> }): Promise<void> {
    if (this.closing) return client.fail(503, 'the standby URL is closing');
    let run: StandbyRun;
    try {
      run = pickRun(this.runs) ?? this.startRun();
    } catch (error) {
      return client.fail(error instanceof StandbyFailure ? error.status : 500, (error as Error).message);
    }
    this.assign(run);
    // Scaling ahead of need, as the platform does once every run has its desired load.
    if (needsAnotherRun(this.runs)) {
      try {
        this.startRun();
      } catch {
        // Settings gone wrong since this request's run started: the request that needs a new run is told why.
      }
    }
    try {
      await run.readiness;
      // A client that gave up waiting for the run's readiness is not forwarded.
      if (!client.gone()) await client.exchange(run.containerUrl!);
    } catch (error) {
      client.fail(error instanceof StandbyFailure ? error.status : 502, (error as Error).message);
    } finally {
      this.release(run);
    }
  }

  private assign(run: StandbyRun): void {
    run.assigned += 1;
    clearTimeout(run.idleTimer);
    run.idleTimer = undefined;
  }

  private release(run: StandbyRun): void {
    run.assigned -= 1;
    this.armIdleTimer(run);
  }

  private armIdleTimer(run: StandbyRun): void {
    if (run.assigned > 0 || !run.ready || !this.runs.includes(run)) return;
    clearTimeout(run.idleTimer);
    run.idleTimer = setTimeout(() => void this.windDown(run), run.idleTimeoutMs);
  }

  /** A new run in the pool, starting; throws a StandbyFailure when the settings are wrong (nothing is started then). */
  private startRun(): StandbyRun {
    const engine = this.options.workspace.engineFor(this.endpoint.actorRoot);
    return this.addRun((settings) =>
      // No input, as on the platform (the input schema's defaults apply); no run timeout: the idle timeout ends it.
      engine.run({ origin: 'STANDBY', standbyUrl: this.url, input: {}, timeoutSecs: 0, build: settings.build, memoryMbytes: settings.memoryMbytes }),
    );
  }

  /**
   * Puts the run `start` gives (a new one, or one already running) in the pool, with the Actor's current settings.
   * Throws a StandbyFailure when the settings are wrong (nothing is started then).
   */
  private addRun(start: (settings: StandbySettings) => Promise<RunHandle>): StandbyRun {
    const engine = this.options.workspace.engineFor(this.endpoint.actorRoot);
    let settings: StandbySettings;
    try {
      const definition = engine.definition();
      if (!definition.usesStandbyMode) throw new Error(`${definition.name} no longer uses Standby mode (actor.json "usesStandbyMode" is not true)`);
      settings = standbySettings(definition.actorStandby);
    } catch (error) {
      throw new StandbyFailure(503, `no standby run can start: ${(error as Error).message}`);
    }
    const run: StandbyRun = {
      runId: undefined,
      containerUrl: undefined,
      ready: false,
      assigned: 0,
      maxRequests: settings.maxRequestsPerActorRun,
      desiredRequests: settings.desiredRequestsPerActorRun,
      idleTimeoutMs: settings.idleTimeoutSecs * 1000,
      readiness: Promise.resolve(),
      started: start(settings),
      idleTimer: undefined,
    };
    run.readiness = this.bringUp(run);
    // Requests waiting for it hear of a failure themselves; a run started ahead of need may have none.
    run.readiness.catch(() => undefined);
    this.runs.push(run);
    return run;
  }

  /** Starts the run (building first when the Actor has no build) and waits for its readiness probe to pass. */
  private async bringUp(run: StandbyRun): Promise<void> {
    const engine = this.options.workspace.engineFor(this.endpoint.actorRoot);
    let handle: RunHandle;
    try {
      handle = await run.started;
    } catch (error) {
      this.drop(run);
      throw new StandbyFailure(503, `the standby run of ${this.endpoint.name} could not start: ${(error as Error).message}`);
    }
    const runId = (run.runId = handle.id);
    // Wound down while it started (the URL closed): it has nobody to serve.
    if (!this.runs.includes(run)) throw new StandbyFailure(503, 'the standby URL is closing');
    const ended = new AbortController();
    handle.finished.then(
      (record) => ended.abort(new StandbyFailure(502, `the standby run ${runId} ended ${record.status} before its server was ready (see its log)`)),
      (error: Error) => ended.abort(new StandbyFailure(502, `the standby run ${runId} failed: ${error.message}`)),
    );
    // A run that ends, by itself or wound down, leaves the pool: the next request starts another.
    void handle.finished.catch(() => undefined).then(() => this.drop(run));
    run.containerUrl = engine.getRun(runId)?.containerUrl ?? undefined;
    if (!run.containerUrl) {
      void this.windDown(run);
      throw new StandbyFailure(502, `the standby run ${runId} has no published port to reach its server at (its log says why)`);
    }
    const deadline = AbortSignal.timeout(READINESS_TIMEOUT_MS);
    try {
      await waitUntilReady(run.containerUrl, AbortSignal.any([ended.signal, deadline]));
    } catch (error) {
      if (deadline.aborted) {
        void this.windDown(run);
        throw new StandbyFailure(504, `the standby run ${runId}'s server did not pass the readiness probe within ${READINESS_TIMEOUT_MS / 1000} s (it must answer GET / on ACTOR_STANDBY_PORT)`);
      }
      throw error;
    }
    run.ready = true;
    this.armIdleTimer(run);
  }

  /** Takes the run out of the pool and aborts it gracefully (the Actor gets `aborting` and the grace window). */
  private async windDown(run: StandbyRun): Promise<void> {
    this.drop(run);
    const handle = await run.started.catch(() => undefined);
    await handle?.abort({ graceful: true }).catch(() => undefined);
  }

  private drop(run: StandbyRun): void {
    clearTimeout(run.idleTimer);
    run.idleTimer = undefined;
    this.runs = this.runs.filter((candidate) => candidate !== run);
  }
}

function listenOn(server: Server, port: number | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port ?? 0, LOOPBACK, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
