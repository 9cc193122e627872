/**
 * The events channel: one websocket per run, as the platform's (messages `{name, data}`). The SDK opens
 * ACTOR_EVENTS_WEBSOCKET_URL exactly as given, so the URL carries the run's id and its token.
 *
 * Everything it says comes from Docker and the run record, never from the engine object that follows the run: that
 * engine may live in another process (the CLI follows a run the extension serves). So the channel reads the record
 * (asynchronously, a few times a second, and at once when this process's engine reports the run's status) —
 * ABORTING or TIMING-OUT: `aborting`; a migration asked for: `migrating`; finished: it closes — and streams the
 * container's own stats (`systemInfo`, about every second, Docker's sampling rate).
 */
import type { Duplex } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { DockerStatsMessage, StatsAggregator, toSample } from '../engine/stats';
import { LineSplitter } from '../engine/logs';
import { withSignal } from '../engine/dockerClient';
import { SerialJob } from '../engine/serialJob';
import { isTerminal, pendingMigration, RunRecord } from '../engine/types';
import type { FoundRun } from './runDirectory';
import type { PlatformContext, UpgradeHandler } from './server';
import { sameToken } from './tokens';

const EVENTS_PATH = /^\/v2\/actor-runs\/([^/]+)\/events$/;
/** How often the channel reads the run record (how soon `aborting` and `migrating` follow the request). */
export const RECORD_POLL_MS = 250;
/** The SDKs' own overload threshold (crawlee's maxUsedCpuRatio). */
const CPU_OVERLOADED_RATIO = 0.95;
/** The SDKs send nothing; anything bigger than this is not an event client. */
const MAX_CLIENT_MESSAGE_BYTES = 64 * 1024;

/** Path of a run's events websocket; the token is its `?token=` query (the SDK sends no header). */
export function runEventsPath(runId: string): string {
  return `/v2/actor-runs/${encodeURIComponent(runId)}/events`;
}

/** The events URL for a run, on the API base URL the container reaches (`http://…` becomes `ws://…`). */
export function runEventsUrl(apiBaseUrl: string, runId: string, runToken: string): string {
  const url = new URL(runEventsPath(runId), apiBaseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('token', runToken);
  return url.toString();
}

/** The platform's `systemInfo` data (the Python SDK's SystemInfoEventData names each field). */
export interface SystemInfo {
  memAvgBytes: number;
  memCurrentBytes: number;
  /** Peak so far. */
  memMaxBytes: number;
  /** CPU in percent of one core, as the run's stats. */
  cpuAvgUsage: number;
  cpuMaxUsage: number;
  cpuCurrentUsage: number;
  isCpuOverloaded: boolean;
  createdAt: string;
}

export type PlatformEvent =
  | { name: 'systemInfo'; data: SystemInfo }
  | { name: 'aborting'; data: Record<string, never> }
  | { name: 'migrating'; data: { timeRemainingSecs: number } };

/** The events channel as an upgrade handler of the platform server. */
export function eventsChannel(ctx: PlatformContext): UpgradeHandler {
  // Required on first use, as Fastify in server.ts: only a serving process loads ws.
  const { WebSocketServer } = require('ws') as typeof import('ws');
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES });
  return (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = EVENTS_PATH.exec(url.pathname);
    if (!match) return false;
    const runId = decodeURIComponent(match[1]);
    const token = url.searchParams.get('token') ?? '';
    // A refusal completes the handshake and then closes (1008): a refused handshake makes the Python SDK's
    // Actor.init() fail, whereas a closed channel only means no events.
    wss.handleUpgrade(request, socket, head, (ws) => {
      ws.on('error', () => undefined);
      const found = ctx.runs.findRun(runId);
      const expected = found?.run.greenroom.apiToken;
      // The same answer for an unknown run and a wrong token: the channel says nothing about other runs.
      if (!found || !expected || !sameToken(token, expected)) return ws.close(1008, 'This token does not give access to the events of this run');
      if (isTerminal(found.run.status)) return ws.close(1000, `Run ${runId} has finished`);
      new RunEvents(found, ws).start();
    });
    return true;
  };
}

/** One connection: the run's events until the run ends or the client goes. */
class RunEvents {
  private readonly stopped = new AbortController();
  private readonly stats: StatsAggregator;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  /** Reads the record off the event loop, one read at a time. */
  private readonly recordCheck = new SerialJob(() => this.checkRecord(), () => !this.stopped.signal.aborted);
  private sentAborting = false;
  private sentMigrationAt: string | undefined;

  constructor(
    private readonly found: FoundRun,
    private readonly ws: WebSocket,
  ) {
    this.stats = new StatsAggregator(found.run.stats);
  }

  start(): void {
    this.ws.on('close', () => this.stop());
    this.watchRecord(this.found.run);
    this.timer = setInterval(() => this.recordCheck.run(), RECORD_POLL_MS);
    this.unsubscribe = this.found.engine.onEvent((event) => {
      if (event.type === 'run-status' && event.run.id === this.found.run.id) this.watchRecord(event.run);
    });
    this.followStats();
  }

  private async checkRecord(): Promise<void> {
    const run = await this.found.engine.getRunAsync(this.found.run.id);
    if (this.stopped.signal.aborted) return;
    if (run) this.watchRecord(run);
    else this.close('The run was deleted');
  }

  private watchRecord(run: RunRecord): void {
    if (isTerminal(run.status)) return this.close(`Run ${run.id} has finished`);
    if ((run.status === 'ABORTING' || run.status === 'TIMING-OUT') && !this.sentAborting) {
      this.sentAborting = true;
      this.send({ name: 'aborting', data: {} });
    }
    const migration = pendingMigration(run);
    if (migration?.kind === 'migration' && migration.requestedAt !== this.sentMigrationAt) {
      this.sentMigrationAt = migration.requestedAt;
      this.send({ name: 'migrating', data: { timeRemainingSecs: Math.max(0, Math.round((Date.parse(migration.deadlineAt) - Date.now()) / 1000)) } });
    }
  }

  /** Docker's stats stream of the run's container (one sample a second); a container that is gone sends nothing. */
  private followStats(): void {
    const containerId = this.found.run.greenroom.containerId;
    if (!containerId) return;
    const { docker } = this.found.engine;
    const container = docker.docker.getContainer(containerId);
    docker
      .call('follow stats', (abortSignal) => container.stats(withSignal({ stream: true as const }, abortSignal)), { timeoutMs: 0, signal: this.stopped.signal })
      .then((stream) => this.forwardStats(stream))
      .catch(() => undefined);
  }

  private forwardStats(stream: NodeJS.ReadableStream): void {
    const splitter = new LineSplitter();
    const destroy = () => (stream as NodeJS.ReadableStream & { destroy(): void }).destroy();
    if (this.stopped.signal.aborted) return destroy();
    this.stopped.signal.addEventListener('abort', destroy, { once: true });
    stream.on('error', () => undefined);
    stream.on('data', (chunk: Buffer) => {
      for (const line of splitter.push(chunk)) {
        let message: DockerStatsMessage;
        try {
          message = JSON.parse(line) as DockerStatsMessage;
        } catch {
          continue;
        }
        const info = this.systemInfo(message);
        if (info) this.send({ name: 'systemInfo', data: info });
      }
    });
  }

  private systemInfo(message: DockerStatsMessage): SystemInfo | undefined {
    const sample = toSample(message);
    if (!sample) return undefined;
    this.stats.add(sample);
    const summary = this.stats.summary();
    const cores = message.cpu_stats?.online_cpus ?? 1;
    return {
      memAvgBytes: summary.memAvgBytes ?? sample.memBytes,
      memCurrentBytes: sample.memBytes,
      memMaxBytes: summary.memMaxBytes ?? sample.memBytes,
      cpuAvgUsage: summary.cpuAvgUsage ?? sample.cpuUsage,
      cpuMaxUsage: summary.cpuMaxUsage ?? sample.cpuUsage,
      cpuCurrentUsage: sample.cpuUsage,
      // The container may use every core of the engine (no CPU limit), as crawlee's local view of the machine.
      isCpuOverloaded: sample.cpuUsage >= CPU_OVERLOADED_RATIO * cores * 100,
      createdAt: new Date().toISOString(),
    };
  }

  private send(event: PlatformEvent): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(event));
  }

  private close(reason: string): void {
    this.stop();
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(1000, reason);
  }

  private stop(): void {
    clearInterval(this.timer);
    this.unsubscribe?.();
    this.stopped.abort();
  }
}
