/**
 * The workspace's platform file, `<workspace>/.greenroom/platform.json` (mode 0600: it holds the user token): which
 * server serves the workspace's local API now. `greenroom run` and the extension use a live one instead of starting
 * their own; a new server reuses the recorded port, so containers that outlived their server find it again.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GREENROOM_DIR } from '../engine/recordStore';

export interface PlatformFileContent {
  /** Base URL on loopback (what the host's clients use). */
  url: string;
  port: number;
  /** Addresses listened on: loopback, then the Docker bridge gateway when containers can reach it. */
  hosts: string[];
  /** The serving process. */
  pid: number;
  /** The user token. */
  token: string;
  /** The standby URLs listening now (standby/gateway.ts), by Actor folder. */
  standby?: Record<string, string>;
}

export function platformFilePath(workspaceRoot: string): string {
  return join(workspaceRoot, GREENROOM_DIR, 'platform.json');
}

/** The recorded server, or undefined when there is no file or it is not one Greenroom wrote. */
export function readPlatformFile(workspaceRoot: string): PlatformFileContent | undefined {
  let value: Partial<PlatformFileContent>;
  try {
    value = JSON.parse(readFileSync(platformFilePath(workspaceRoot), 'utf8'));
  } catch {
    return undefined;
  }
  const complete =
    typeof value?.url === 'string' &&
    Number.isInteger(value.port) &&
    Array.isArray(value.hosts) &&
    value.hosts.every((host) => typeof host === 'string') &&
    Number.isInteger(value.pid) &&
    typeof value.token === 'string' &&
    (value.standby === undefined || (typeof value.standby === 'object' && value.standby !== null && Object.values(value.standby).every((url) => typeof url === 'string')));
  return complete ? (value as PlatformFileContent) : undefined;
}

export function writePlatformFile(workspaceRoot: string, content: PlatformFileContent): void {
  const file = platformFilePath(workspaceRoot);
  mkdirSync(join(workspaceRoot, GREENROOM_DIR), { recursive: true });
  ensureIgnored(workspaceRoot);
  // Written 0600 before it holds anything, then renamed over the old one: the token is never readable by others.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(content, null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** Removes the file when it still names this process (a newer server's file stays). */
export function removePlatformFile(workspaceRoot: string, pid = process.pid): void {
  if (readPlatformFile(workspaceRoot)?.pid === pid) rmSync(platformFilePath(workspaceRoot), { force: true });
}

/** The workspace's `.greenroom/` never enters Git, as an Actor's own (recordStore.ts). */
function ensureIgnored(workspaceRoot: string): void {
  const gitignore = join(workspaceRoot, GREENROOM_DIR, '.gitignore');
  try {
    writeFileSync(gitignore, '*\n', { flag: 'wx' });
  } catch {
    // already there
  }
}
