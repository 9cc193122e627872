/** What the engine's CLI commands share: finding the Actor and its workspace, making the engine, printing errors. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ActorDefinitionError,
  ActorEngine,
  DockerUnavailableError,
  InputFileError,
  InvalidInputError,
  MissingSecretsError,
  RunOptionsError,
  RunRecord,
} from '../engine';
import { ActorWorkspace, defaultWorkspaceRoot, EngineSettings, findActorRoot, TaskFileError } from '../workspace';
import { WorkspacePlatform } from '../platform/workspacePlatform';
import { CliIo, EXIT_FAILURE, UsageError } from './command';

/** The option of every command that works on an Actor: the workspace whose Actors it sees (Actor names resolve there). */
export const WORKSPACE_OPTION = { workspace: { type: 'string' } } as const;

/** The Actor of `actorDir` (positional) or `--actor DIR`, else of the current folder (or one above it). */
export function actorRootFrom(io: CliIo, dir: string | undefined): string {
  const start = path.resolve(io.cwd, dir ?? '.');
  const root = findActorRoot(start);
  if (!root) throw new UsageError(`${start} is not inside an Actor (no .actor/actor.json or apify.json found)`);
  return root;
}

/**
 * The workspace of a command: `--workspace DIR` (which must hold the Actor), else the Actor folder's git top level,
 * else its parent folder. The default is only worked out when something searches the workspace.
 */
export function cliWorkspace(io: CliIo, actorRoot: string, workspaceOption: unknown): ActorWorkspace {
  const root = givenWorkspaceRoot(io, workspaceOption, actorRoot);
  let searched: string | undefined;
  return new ActorWorkspace({ roots: () => [(searched ??= root ?? defaultWorkspaceRoot(actorRoot))], engineSettings: cliEngineSettings });
}

/** `--workspace DIR` checked (a folder, holding the Actor when there is one); undefined when not given. */
function givenWorkspaceRoot(io: CliIo, workspaceOption: unknown, actorRoot: string | undefined): string | undefined {
  if (typeof workspaceOption !== 'string') return undefined;
  const root = path.resolve(io.cwd, workspaceOption);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`--workspace ${root} is not a folder`);
  if (actorRoot) {
    const inside = path.relative(fs.realpathSync(root), fs.realpathSync(actorRoot));
    if (inside.startsWith('..') || path.isAbsolute(inside)) throw new UsageError(`the Actor ${actorRoot} is not inside --workspace ${root}`);
  }
  return root;
}

/**
 * The workspace root of a command not about one Actor (`greenroom serve`): `--workspace DIR`, else the workspace of
 * the Actor the current folder is in, else the current folder.
 */
export function workspaceRootFrom(io: CliIo, workspaceOption: unknown): string {
  const given = givenWorkspaceRoot(io, workspaceOption, undefined);
  if (given) return given;
  const actorRoot = findActorRoot(path.resolve(io.cwd));
  return actorRoot ? defaultWorkspaceRoot(actorRoot) : path.resolve(io.cwd);
}

/**
 * A workspace whose runs are at home on its local API (src/platform/workspacePlatform.ts): a live server's when one
 * serves the workspace (unless `useServing` is false), else one this process serves from its first run until
 * `platform.close()`.
 */
export function cliPlatform(workspaceRoot: string, options: { port?: number; useServing?: boolean } = {}): { platform: WorkspacePlatform; workspace: ActorWorkspace } {
  const settings = cliEngineSettings();
  const platform: WorkspacePlatform = new WorkspacePlatform({ workspaceRoot, workspace: () => workspace, docker: settings.docker, ...options });
  const workspace = new ActorWorkspace({ roots: () => [workspaceRoot], engineSettings: () => ({ ...cliEngineSettings(), platform }) });
  return { platform, workspace };
}

/**
 * The engine of the command's Actor (`dir`: actorDir or --actor), from the command's workspace (--workspace). Its
 * warnings (e.g. a corrupt record skipped) go to stderr, and records are first brought in line with Docker, as the
 * extension does when it starts, so a run whose `greenroom run` died shows its true outcome. With Docker
 * unreachable the records stay as they are.
 */
export async function openEngine(io: CliIo, dir: string | undefined, values: Record<string, unknown>): Promise<ActorEngine> {
  const actorRoot = actorRootFrom(io, dir);
  return prepareEngine(io, cliWorkspace(io, actorRoot, values.workspace).engineFor(actorRoot));
}

/**
 * openEngine for a command that starts containers (run, resurrect): its runs are at home on the workspace's local
 * API (cliPlatform). A server this process starts for the run is announced on stderr and stops after `use`.
 */
export async function withRunEngine(io: CliIo, dir: string | undefined, values: Record<string, unknown>, use: (engine: ActorEngine) => Promise<number>): Promise<number> {
  const actorRoot = actorRootFrom(io, dir);
  const { platform, workspace } = cliPlatform(givenWorkspaceRoot(io, values.workspace, actorRoot) ?? defaultWorkspaceRoot(actorRoot));
  const stopAnnouncing = platform.onDidChange((served) => {
    if (served?.pid === process.pid) io.stderr.write(`Serving the local Apify API for this run at ${served.url} (greenroom serve keeps one for every run)\n`);
  });
  const engine = workspace.engineFor(actorRoot);
  try {
    return await use(await prepareEngine(io, engine));
  } finally {
    // Webhooks of the run's end go out (with their retries) before the command ends.
    await engine.webhooksIdle();
    stopAnnouncing();
    await platform.close();
  }
}

async function prepareEngine(io: CliIo, engine: ActorEngine): Promise<ActorEngine> {
  engine.onEvent((event) => {
    if (event.type === 'warning') io.stderr.write(`greenroom: ${event.message}\n`);
  });
  try {
    await engine.reconcile({ followRunning: false });
  } catch (error) {
    if (!(error instanceof DockerUnavailableError)) throw error;
  }
  return engine;
}

function cliEngineSettings(): EngineSettings {
  return {
    origin: 'CLI',
    // The test suite shortens the graceful-abort window; people get the platform's 30 s.
    gracefulAbortMs: numberFromEnv('GREENROOM_GRACEFUL_ABORT_MS'),
    keepRuns: numberFromEnv('GREENROOM_KEEP_RUNS'),
    docker: process.env.GREENROOM_DOCKER_SOCKET ? { socketPath: process.env.GREENROOM_DOCKER_SOCKET } : undefined,
  };
}

function numberFromEnv(name: string): number | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : Number(value);
}

/** Errors a user can act on are printed as one clear message (exit 1); anything else propagates. */
export function reportEngineError(io: CliIo, command: string, error: unknown): number {
  const known = [DockerUnavailableError, InputFileError, InvalidInputError, MissingSecretsError, RunOptionsError, ActorDefinitionError, TaskFileError];
  if (known.some((type) => error instanceof type)) {
    io.stderr.write(`greenroom ${command}: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  }
  throw error;
}

/** The process exit code that mirrors a finished run: the Actor's own, or 1 when it ended without one. */
export function exitCodeOf(run: RunRecord): number {
  if (run.status === 'SUCCEEDED') return 0;
  return run.exitCode && run.exitCode > 0 ? run.exitCode : EXIT_FAILURE;
}

/** `--name` as a number when given; `rule` words the message and sets a lower bound, e.g. "a number of seconds", 0. */
export function optionalNumber(values: Record<string, unknown>, name: string, rule: { what?: string; min?: number } = {}): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (String(raw).trim() === '' || !Number.isFinite(value) || (rule.min !== undefined && value < rule.min)) {
    throw new UsageError(`--${name} must be ${rule.what ?? 'a number'}${rule.min !== undefined ? ` ≥ ${rule.min}` : ''}, got ${String(raw) || '""'}`);
  }
  return value;
}

/** `--name` in seconds (a timeout): a number ≥ 0. */
export function optionalSeconds(values: Record<string, unknown>, name: string): number | undefined {
  return optionalNumber(values, name, { what: 'a number of seconds', min: 0 });
}

export function formatDuration(millis: number | undefined): string {
  if (millis === undefined) return '';
  return millis < 60_000 ? `${(millis / 1000).toFixed(1)} s` : `${Math.floor(millis / 60_000)} min ${Math.round((millis % 60_000) / 1000)} s`;
}

/** A plain text table: columns padded to the widest cell. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n') + '\n';
}
