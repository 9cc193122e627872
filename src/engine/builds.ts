/**
 * Builds: a Docker image of the Actor source, numbered `<version>.<n>` per actor.json version and tagged
 * (actor.json `buildTag`, default `latest`; a tag points at one build and moving it re-points it).
 * READY → RUNNING → SUCCEEDED | FAILED | ABORTED | TIMED-OUT.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { ActorDefinition, definitionErrors } from './actorDefinition';
import { isNotFound, withSignal } from './dockerClient';
import type { EngineContext } from './context';
import { dependencyDigests } from './devMode';
import { LineSplitter, LogSink } from './logs';
import { newId } from './recordStore';
import type { BuildRecord, BuildStatus, Origin } from './types';

export interface BuildOptions {
  /** Tag to point at the new build; default: actor.json `buildTag` or `latest`. */
  tag?: string;
  useCache?: boolean;
  timeoutSecs?: number;
  /** Who starts the build; default the engine's origin. */
  origin?: Origin;
  /** The schedule that starts the build (origin SCHEDULER). */
  scheduleName?: string;
}

export interface BuildHandle {
  readonly id: string;
  /** Settles with the final record; never rejects for a failed build (look at `status`). */
  readonly finished: Promise<BuildRecord>;
  abort(): void;
}

const DEFAULT_BUILD_TIMEOUT_SECS = 3600;

/** Image repository for an Actor: its name plus a hash of its folder, so two checkouts never collide. */
export function imageRepository(definition: ActorDefinition): string {
  const folderHash = createHash('sha256').update(definition.root).digest('hex').slice(0, 8);
  return `greenroom/${definition.name.toLowerCase()}-${folderHash}`;
}

export function nextBuildNumber(version: string, builds: BuildRecord[]): string {
  const taken = builds
    .filter((b) => b.actVersion.versionNumber === version)
    .map((b) => Number(b.buildNumber.slice(version.length + 1)))
    .filter(Number.isInteger);
  return `${version}.${Math.max(0, ...taken) + 1}`;
}

export class Builder {
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly ctx: EngineContext) {}

  start(definition: ActorDefinition, options: BuildOptions = {}): BuildHandle {
    const { store } = this.ctx;
    const buildNumber = nextBuildNumber(definition.version, store.listBuilds());
    const tag = options.tag ?? definition.buildTag;
    const record: BuildRecord = {
      id: newId(),
      actId: definition.name,
      status: 'READY',
      startedAt: new Date().toISOString(),
      finishedAt: null,
      buildNumber,
      meta: { origin: options.origin ?? this.ctx.origin },
      stats: {},
      options: { useCache: options.useCache ?? true, timeoutSecs: options.timeoutSecs ?? DEFAULT_BUILD_TIMEOUT_SECS },
      actVersion: { versionNumber: definition.version, buildTag: tag },
      imageName: `${imageRepository(definition)}:${buildNumber}`,
      greenroom: { builderPid: process.pid, dependencyDigests: dependencyDigests(definition.contextDir), ...(options.scheduleName && { scheduleName: options.scheduleName }) },
    };
    this.update(record, {});
    const controller = new AbortController();
    this.running.set(record.id, controller);
    const finished = this.execute(definition, record, controller.signal).finally(() => this.running.delete(record.id));
    return { id: record.id, finished, abort: () => controller.abort(new Error('aborted')) };
  }

  /** Aborts a build this process is running; false when it is not running here. */
  abort(buildId: string): boolean {
    const controller = this.running.get(buildId);
    controller?.abort(new Error('aborted'));
    return controller !== undefined;
  }

  private async execute(definition: ActorDefinition, record: BuildRecord, abortSignal: AbortSignal): Promise<BuildRecord> {
    const { docker } = this.ctx;
    const timeoutMs = (record.options.timeoutSecs ?? DEFAULT_BUILD_TIMEOUT_SECS) * 1000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([abortSignal, timeout]);
    const log = new LogSink(this.ctx.store.layout.buildLog(record.id), {
      onLines: (lines) => this.ctx.emit({ type: 'build-log', buildId: record.id, lines }),
    });
    const started = Date.now();
    this.update(record, { status: 'RUNNING' });
    let outcome: { status: BuildStatus; message?: string };
    try {
      const errors = definitionErrors(definition.root);
      if (errors.length) {
        // The platform's build refuses an invalid definition before it builds anything: so does this one.
        const count = `${errors.length} error${errors.length === 1 ? '' : 's'}`;
        outcome = { status: 'FAILED', message: `The Actor definition has ${count}, which the platform's build refuses:\n${errors.join('\n')}` };
      } else {
        // Loaded here, not at import: tar-fs and its streams cost every `greenroom run` start-up time, and runs never pack.
        const { packBuildContext } = require('./buildContext') as typeof import('./buildContext');
        const context = packBuildContext(definition.contextDir, definition.dockerfile);
        const stream = await docker.call(
          'build',
          (s) =>
            docker.docker.buildImage(context.tar, {
              t: record.imageName,
              dockerfile: context.dockerfile,
              buildargs: buildArgs(definition),
              nocache: !record.options.useCache,
              rm: true,
              forcerm: true,
              abortSignal: s,
            }),
          { signal, timeoutMs: 0 },
        );
        const error = await consumeBuildOutput(stream, log, signal);
        outcome = error ? { status: 'FAILED', message: error } : { status: 'SUCCEEDED' };
      }
    } catch (error) {
      outcome = { status: 'FAILED', message: (error as Error).message };
    }
    if (timeout.aborted) outcome = { status: 'TIMED-OUT', message: `Build timed out after ${timeoutMs / 1000} s` };
    else if (abortSignal.aborted) outcome = { status: 'ABORTED', message: 'Build aborted' };

    if (outcome.status === 'SUCCEEDED') {
      try {
        const image = await docker.call('inspect image', (s) => docker.docker.getImage(record.imageName).inspect(withSignal({}, s)));
        record.imageId = image.Id;
        record.stats.imageSizeBytes = image.Size;
      } catch (error) {
        outcome = { status: 'FAILED', message: `Built image cannot be inspected: ${(error as Error).message}` };
      }
    }
    if (outcome.message) log.note(outcome.message);
    await log.close();
    this.update(record, {
      status: outcome.status,
      statusMessage: outcome.message,
      finishedAt: new Date().toISOString(),
      stats: { ...record.stats, durationMillis: Date.now() - started },
      greenroom: { ...record.greenroom, builderPid: null },
    });
    if (outcome.status === 'SUCCEEDED') this.setTag(record.actVersion.buildTag, record.id);
    return record;
  }

  /** A build whose process died before it finished (found by the engine's reconcile). */
  markInterrupted(record: BuildRecord): void {
    this.update(record, {
      status: 'FAILED',
      statusMessage: 'The process running this build ended before it finished',
      finishedAt: new Date().toISOString(),
      greenroom: { ...record.greenroom, builderPid: null },
    });
  }

  /** Points a tag at a build (moving it away from any other build). */
  setTag(tag: string, buildId: string): void {
    const tags = this.ctx.store.readTags();
    tags[tag] = buildId;
    this.ctx.store.writeTags(tags);
    this.ctx.emit({ type: 'tags-changed', tags });
  }

  /** Deletes a build's record, log, tags and image (an image still used by a container is removed too). */
  async delete(buildId: string): Promise<void> {
    const { docker, store } = this.ctx;
    const build = store.getBuild(buildId);
    if (!build) throw new Error(`No build ${buildId}`);
    if (this.running.has(buildId)) throw new Error(`Build ${buildId} is still running; abort it first`);
    try {
      await docker.call('remove image', (s) => docker.docker.getImage(build.imageName).remove({ force: true, abortSignal: s }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    const tags = store.readTags();
    const remaining = Object.fromEntries(Object.entries(tags).filter(([, id]) => id !== buildId));
    if (Object.keys(remaining).length !== Object.keys(tags).length) {
      store.writeTags(remaining);
      this.ctx.emit({ type: 'tags-changed', tags: remaining });
    }
    store.deleteBuild(buildId);
    this.ctx.emit({ type: 'build-deleted', buildId });
  }

  private update(record: BuildRecord, changes: Partial<BuildRecord>): void {
    Object.assign(record, changes);
    this.ctx.store.saveBuild(record);
    this.ctx.emit({ type: 'build-status', build: { ...record } });
  }
}

/**
 * The build arguments the platform passes (the list is @apify/consts ACTOR_BUILD_ARGS):
 * ACTOR_PATH_IN_DOCKER_CONTEXT, the Actor's folder relative to the Docker context (`actors/my-actor` in a monorepo
 * whose actor.json sets dockerContextDir to its root; empty when the Actor's folder is the context). Given only to a
 * Dockerfile that names it: an ARG is the only way to see it, and Docker warns about build arguments no ARG takes.
 */
export function buildArgs(definition: ActorDefinition): Record<string, string> {
  const name = 'ACTOR_PATH_IN_DOCKER_CONTEXT';
  let dockerfile = '';
  try {
    dockerfile = readFileSync(definition.dockerfile, 'utf8');
  } catch {
    // unreadable: Docker's own error says so
  }
  if (!dockerfile.includes(name)) return {};
  return { [name]: relative(definition.contextDir, definition.root).split(sep).join('/') };
}

/**
 * Reads the daemon's JSON progress messages: `stream` text goes to the log, `error` ends the build.
 * Returns the error message, or undefined on success.
 */
function consumeBuildOutput(stream: NodeJS.ReadableStream, log: LogSink, signal: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const splitter = new LineSplitter();
    let error: string | undefined;
    const handle = (line: string) => {
      if (!line.trim()) return;
      let message: { stream?: string; error?: string; status?: string };
      try {
        message = JSON.parse(line);
      } catch {
        return;
      }
      if (message.stream) log.write(Buffer.from(message.stream));
      else if (message.status) log.note(message.status);
      if (message.error) error = message.error;
    };
    const onAbort = () => {
      (stream as NodeJS.ReadableStream & { destroy(): void }).destroy();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (chunk: Buffer) => splitter.push(chunk).forEach(handle));
    stream.on('error', (e) => {
      signal.removeEventListener('abort', onAbort);
      reject(e);
    });
    stream.on('end', () => {
      signal.removeEventListener('abort', onAbort);
      splitter.end().forEach(handle);
      resolve(error);
    });
  });
}
