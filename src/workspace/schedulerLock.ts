/**
 * One process fires a workspace's schedules: the editor and `greenroom serve` may both hold the workspace, and each
 * firing would run every schedule twice. The first to claim `<workspace>/.greenroom/scheduler.json` (`{pid}`) fires
 * while its process lives; the others show the schedules and fire nothing, taking over once it is gone.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GREENROOM_DIR } from '../engine/recordStore';
import { isProcessAlive } from '../engine/runs';

export function schedulerLockFile(workspaceRoot: string): string {
  return join(workspaceRoot, GREENROOM_DIR, 'scheduler.json');
}

/** The process that fires the workspace's schedules now, if any lives. */
export function schedulingProcess(workspaceRoot: string): number | undefined {
  try {
    const { pid } = JSON.parse(readFileSync(schedulerLockFile(workspaceRoot), 'utf8')) as { pid?: unknown };
    return typeof pid === 'number' && isProcessAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether this process fires the schedules: it already does, or nobody living does and it claims the file now. */
export function claimScheduling(workspaceRoot: string, pid = process.pid): boolean {
  const holder = schedulingProcess(workspaceRoot);
  if (holder !== undefined) return holder === pid;
  const file = schedulerLockFile(workspaceRoot);
  mkdirSync(join(workspaceRoot, GREENROOM_DIR), { recursive: true });
  const temporary = `${file}.${pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ pid })}\n`);
  renameSync(temporary, file);
  // Two claiming at once: the last rename wins, and only its process reads itself back.
  return schedulingProcess(workspaceRoot) === pid;
}

/** Gives up firing (the process stops): removes the file when it names this process. */
export function releaseScheduling(workspaceRoot: string, pid = process.pid): void {
  if (schedulingProcess(workspaceRoot) === pid) rmSync(schedulerLockFile(workspaceRoot), { force: true });
}
