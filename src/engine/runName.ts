/**
 * One name for a run wherever it is shown (Runs view, run view, dataset viewer, exports, log terminals, tasks,
 * notifications, the CLI): its number among the Actor's runs and the local time it started, e.g.
 * "Run #12 · Dec 2 03:28:15". The same text in every process and locale, so a name read in a notification finds its
 * row in the tree. Records from before run numbers existed are named by their id's first characters.
 */
import type { RunRecord } from './types';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function runName(run: Pick<RunRecord, 'id' | 'startedAt'> & { greenroom: { runNumber?: number } }): string {
  const number = run.greenroom.runNumber !== undefined ? `#${run.greenroom.runNumber}` : run.id.slice(0, 6);
  return `Run ${number} · ${shortTime(run.startedAt)}`;
}

/** A local time as run names show it, "Dec 2 03:28:15" (also the Storages view's modification times). */
export function shortTime(time: string | number): string {
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) return String(time);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[date.getMonth()]} ${date.getDate()} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** The number a new run gets: one more than any kept run's (numbers restart only when every run is deleted). */
export function nextRunNumber(runs: readonly RunRecord[]): number {
  return runs.reduce((max, run) => Math.max(max, run.greenroom.runNumber ?? 0), 0) + 1;
}

/** The link that opens a run's view in VS Code (the extension's URI handler; the CLI prints it). */
export function runViewLink(actorRoot: string, runId: string, scheme = 'vscode'): string {
  return `${scheme}://greenroom.greenroom/run?${new URLSearchParams({ actor: actorRoot, run: runId }).toString()}`;
}
