/**
 * Warm starts of dev-mode runs (docs/debugging.md#warm-starts). A dev-mode run of a Node Actor runs its program as
 * `node -r <preload> …` (an `npm start` resolved as for debugging): the preload loads the Actor's SDK from the image
 * and then waits for the run's environment in a handover file before Node reads the Actor's own code. A cold run gets
 * its handover file before its container starts. After such a run ends, the next run's container is started ahead
 * with the same image, binds and memory (a spare): the next dev-mode run of the Actor takes it over by writing its
 * handover file, so an edit runs without a container start and without loading the SDK (most of a small run's time).
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import type { ContainerCreateOptions } from 'dockerode';
import { LABELS } from './context';
import type { ActorCommand } from './debugging';
import type { DockerClient } from './dockerClient';

/** Where a run's warm-start folder (preload and handover file) is bound, read-only, inside the container. */
const WARM_CONTAINER_DIR = '/greenroom/warm';
/** A spare nobody takes over exits after this long, so a crashed editor leaves no container waiting for ever. */
export const SPARE_IDLE_EXIT_MS = 15 * 60 * 1000;

/**
 * Runs with `node -r`, before the Actor's entry: synchronous, so Node reads no Actor code until it returns. The SDK
 * (and Crawlee) are required from the working directory (their ESM entries wrap the CommonJS ones, so `import` finds
 * them loaded); an Actor without them skips that. The handover file holds the run's environment: variables of the spare's template
 * run that the run does not have are removed, the rest set.
 */
const PRELOAD = `'use strict';
const fs = require('fs');
for (const sdk of ['apify', 'crawlee']) {
  try { require(require.resolve(sdk, { paths: [process.cwd()] })); } catch {}
}
const handover = ${JSON.stringify(`${WARM_CONTAINER_DIR}/handover.json`)};
const pause = new Int32Array(new SharedArrayBuffer(4));
const deadline = Date.now() + ${SPARE_IDLE_EXIT_MS};
for (;;) {
  let text;
  try { text = fs.readFileSync(handover, 'utf8'); } catch {}
  if (text) {
    const { env, unset, inspect } = JSON.parse(text);
    for (const key of unset) delete process.env[key];
    Object.assign(process.env, env);
    // A debug run: Node's inspector, waiting for the debugger before the Actor's first line (as --inspect-brk would).
    if (inspect) require('inspector').open(inspect.port, inspect.host, true);
    break;
  }
  if (Date.now() > deadline) process.exit(0);
  Atomics.wait(pause, 0, 0, 5);
}
`;

/** What a warm-start run's container runs instead of the image's command. */
export interface WarmLaunch {
  entrypoint: string[];
  cmd: string[];
  /** A start script's own assignments (`NODE_ENV=… node main.js`). */
  env: Record<string, string>;
}

/** The Actor's Node program with the preload in front; undefined for anything but Node (Python runs cold). */
export function warmLaunch(command: ActorCommand): WarmLaunch | undefined {
  if (command.runtime !== 'node') return undefined;
  const [program, ...args] = command.argv;
  return { entrypoint: [program], cmd: ['-r', `${WARM_CONTAINER_DIR}/preload.cjs`, ...args], env: command.env };
}

/** A new host folder with the preload, for one container; its bind goes into the container's options. */
export function newWarmFolder(): { dir: string; bind: string } {
  const root = join(tmpdir(), 'greenroom-warm');
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(join(root, 'run-'));
  writeFileSync(join(dir, 'preload.cjs'), PRELOAD);
  return { dir, bind: `${dir}:${WARM_CONTAINER_DIR}:ro` };
}

/** What a run hands the waiting preload: its environment (`KEY=value`), the spare's template run's, a debug run's inspector. */
export interface Handover {
  env: string[];
  templateEnv?: string[];
  inspect?: { host: string; port: number };
}

/** Gives the waiting preload the run's environment (written whole, then renamed: it never reads half a file). */
export function handOver(dir: string, { env, templateEnv = [], inspect }: Handover): void {
  const entries = Object.fromEntries(env.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
  const unset = templateEnv.map((entry) => entry.slice(0, entry.indexOf('='))).filter((key) => !(key in entries));
  writeFileSync(join(dir, 'handover.tmp'), JSON.stringify({ env: entries, unset, ...(inspect && { inspect }) }));
  renameSync(join(dir, 'handover.tmp'), join(dir, 'handover.json'));
}

export function removeWarmFolder(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A container started ahead for an Actor's next dev-mode run. */
export interface Spare {
  container: Docker.Container;
  /** Its options: a run takes it over only if its own would be the same but for the environment and labels. */
  options: ContainerCreateOptions;
  dir: string;
  /** The bind of that folder. */
  bind: string;
  /** The host ports its web server (the run's container URL) and debugger are published on. */
  ports: { web: number | undefined; debug: number | undefined };
  /** Which files its binds show (bindSources): a file saved by a rename is a new file the bind does not show. */
  sources: string;
}

/**
 * Whether a run whose container would have `wanted` can take over the spare: the same image, command, binds, limits
 * and ports, and binds that still show the files at their paths.
 */
export function spareFits(spare: Spare, wanted: ContainerCreateOptions): boolean {
  const comparable = ({ Env: _env, Labels: _labels, ...rest }: ContainerCreateOptions) => JSON.stringify(rest);
  return comparable(spare.options) === comparable(wanted) && spare.sources === bindSources(wanted);
}

/**
 * The device and inode behind each bind's host path. A bind holds on to the file it was made with: an editor that
 * saves by writing a new file and renaming it over the old one leaves the container seeing the old file.
 */
export function bindSources(options: ContainerCreateOptions): string {
  const sourceOf = (bind: string) => bind.slice(0, bind.lastIndexOf(':', bind.lastIndexOf(':') - 1));
  return (options.HostConfig?.Binds ?? [])
    .map((bind) => {
      try {
        const { dev, ino } = statSync(sourceOf(bind));
        return `${dev}:${ino}`;
      } catch {
        return 'gone';
      }
    })
    .join(',');
}

/** The spare of an engine's Actor: at most one, replaced by a newer one, removed with the engine. */
export class Spares {
  /** The spare, or its start still going on (a run asked for meanwhile waits for it: that is sooner than a cold start). */
  private next: Promise<Spare | undefined> | undefined;

  constructor(private readonly docker: DockerClient) {}

  /** The spare, if any, now belonging to the caller (who takes it over or discards it). */
  take(): Promise<Spare | undefined> {
    const next = this.next;
    this.next = undefined;
    return next ?? Promise.resolve(undefined);
  }

  offer(starting: Promise<Spare | undefined>): void {
    void this.take().then((previous) => previous && this.discard(previous));
    this.next = starting;
  }

  async discard(spare: Spare): Promise<void> {
    await this.docker.call('remove container', (abortSignal) => spare.container.remove({ force: true, abortSignal })).catch(() => undefined);
    removeWarmFolder(spare.dir);
  }

  /** Spares an earlier process left (its editor crashed): any spare container no run record names (call it before starting one). */
  async removeLeftovers(actorRoot: string, runContainerIds: Set<string>): Promise<void> {
    const containers = await this.docker.call('list containers', (abortSignal) =>
      this.docker.docker.listContainers({ all: true, filters: { label: [LABELS.spare, `${LABELS.actorRoot}=${actorRoot}`] }, abortSignal }),
    );
    for (const { Id } of containers) {
      if (runContainerIds.has(Id)) continue;
      await this.docker.call('remove container', (abortSignal) => this.docker.docker.getContainer(Id).remove({ force: true, abortSignal })).catch(() => undefined);
    }
  }

  dispose(): void {
    void this.take().then((spare) => spare && this.discard(spare));
  }
}
