/** `greenroom serve` as a child process for the tests that drive the local platform from outside, as a user's tools do. */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, SECRETS_FILE, GRACEFUL_MS } from './helpers';

export interface ServedPlatform {
  /** The API's base URL on loopback, e.g. `http://127.0.0.1:8321`. */
  url: string;
  /** The user token. */
  token: string;
  /** Everything the server printed so far. */
  output(): string;
  close(): Promise<void>;
}

/** Starts `greenroom serve --workspace <workspace>` and resolves once the API answers with the token of its platform file. */
export async function servePlatform(workspace: string, timeoutMs = 30_000): Promise<ServedPlatform> {
  const child = spawn(process.execPath, [CLI, 'serve', '--workspace', workspace], {
    env: { ...process.env, GREENROOM_SECRETS_FILE: SECRETS_FILE, GREENROOM_GRACEFUL_ABORT_MS: String(GRACEFUL_MS) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const platformFile = join(workspace, '.greenroom', 'platform.json');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`greenroom serve exited with ${child.exitCode}:\n${output}`);
    const served = existsSync(platformFile) && readPlatformFile(platformFile, child);
    if (served && (await answers(served.url, served.token))) {
      return { ...served, output: () => output, close: () => stop(child, exited) };
    }
    if (Date.now() > deadline) {
      await stop(child, exited);
      throw new Error(`greenroom serve did not answer within ${timeoutMs / 1000} s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function readPlatformFile(file: string, child: ChildProcess): { url: string; token: string } | undefined {
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as { url: string; token: string; pid: number };
    return record.pid === child.pid ? record : undefined;
  } catch {
    return undefined; // being written
  }
}

async function answers(url: string, token: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/v2/users/me`, { headers: { authorization: `Bearer ${token}` } })).ok;
  } catch {
    return false;
  }
}

/** Ctrl+C, as a user stops it; SIGKILL when it does not end within 10 s. */
async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
