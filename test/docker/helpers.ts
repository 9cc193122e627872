/** Shared helpers of the Docker suite: engines wired to test secrets, event recording, polling. */
import { spawn, SpawnOptions } from 'node:child_process';
import { join } from 'node:path';
import { ActorEngine, ActorEngineOptions, EngineEvent, SecretsStore } from '../../src/engine';
import { REPO_ROOT, secretsFile } from './fixtures';

export const TEST_SECRETS = { greenroomTestSecret: 's3cret-value' };
export const SECRETS_FILE = secretsFile(TEST_SECRETS);
/** Short graceful window so abort and timeout tests don't wait 30 s. */
export const GRACEFUL_MS = 2000;

export function makeEngine(actorRoot: string, options: Partial<ActorEngineOptions> = {}): ActorEngine {
  return new ActorEngine({
    actorRoot,
    origin: 'DEVELOPMENT',
    gracefulAbortMs: GRACEFUL_MS,
    secrets: new SecretsStore(SECRETS_FILE, []),
    ...options,
  });
}

/** Records every event; `statuses(id)` gives the sequence of distinct statuses a run or build went through. */
export function recordEvents(engine: ActorEngine): { events: EngineEvent[]; statuses(id: string): string[] } {
  const events: EngineEvent[] = [];
  engine.onEvent((event) => events.push(event));
  return {
    events,
    statuses(id) {
      const seen: string[] = [];
      for (const event of events) {
        const status = event.type === 'run-status' && event.run.id === id ? event.run.status : event.type === 'build-status' && event.build.id === id ? event.build.status : undefined;
        if (status && seen[seen.length - 1] !== status) seen.push(status);
      }
      return seen;
    },
  };
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const CLI = join(REPO_ROOT, 'dist', 'cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `greenroom …` as a child process (the bundled CLI, as users run it). */
export function runCli(args: string[], options: SpawnOptions & { env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> & { child: ReturnType<typeof spawn> } {
  const child = spawn(process.execPath, [CLI, ...args], {
    ...options,
    env: { ...process.env, GREENROOM_SECRETS_FILE: SECRETS_FILE, GREENROOM_GRACEFUL_ABORT_MS: String(GRACEFUL_MS), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c) => (stdout += c));
  child.stderr!.on('data', (c) => (stderr += c));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return Object.assign(done, { child });
}
