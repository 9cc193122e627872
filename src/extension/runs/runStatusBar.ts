/**
 * A status-bar item for the newest unfinished run: its status and elapsed time; a click opens its details.
 * The unfinished runs are read from disk only when Actors or records written by another process change; the
 * engine's status events update them in memory, and the item is redrawn at most a few times a second.
 */
import * as vscode from 'vscode';
import { isTerminal, RunRecord } from '../../engine';
import { ActorEntry, ActorRegistry } from '../actors/actorRegistry';
import { Coalescer } from '../coalescer';
import { TEST_HOOKS } from '../testHooks';
import { formatDuration } from '../tree/format';
import { runElapsedMillis } from '../tree/runs/runNodes';

const TICK_MS = 1000;
const REDRAW_INTERVAL_MS = 250;

interface ActiveRun {
  actor: ActorEntry;
  run: RunRecord;
}

export function registerRunStatusBar(registry: ActorRegistry): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('greenroom.activeRun', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Greenroom: active run';
  let visible = false;
  let ticker: NodeJS.Timeout | undefined;
  /** Unfinished runs by actor root and run id; undefined: to be read from disk. */
  let active: Map<string, ActiveRun> | undefined;

  const activeRuns = (): ActiveRun[] => {
    active ??= new Map(
      registry.activeRuns().flatMap(({ actor, runId }) => {
        const run = actor.engine.getRun(runId);
        return run ? [[`${actor.root}\n${runId}`, { actor, run }] as const] : [];
      }),
    );
    // Newest first, across Actors.
    return [...active.values()].sort((a, b) => (a.run.startedAt < b.run.startedAt ? 1 : a.run.startedAt > b.run.startedAt ? -1 : 0));
  };

  const draw = () => {
    const runs = activeRuns();
    visible = runs.length > 0;
    if (!visible) {
      item.hide();
      ticker = void clearInterval(ticker);
      return;
    }
    const { actor, run } = runs[0];
    const others = runs.length - 1;
    item.text = `$(sync~spin) ${actor.name} ${run.status} ${formatDuration(runElapsedMillis(run))}${others > 0 ? ` (+${others})` : ''}`;
    item.tooltip = `${run.statusMessage ?? 'Run ' + run.id} — click for the run view`;
    item.command = { command: 'greenroom.showRunDetails', title: 'Show Run', arguments: [{ actorRoot: actor.root, runId: run.id }] };
    item.show();
    ticker ??= setInterval(draw, TICK_MS);
  };
  const redraw = new Coalescer<never>(REDRAW_INTERVAL_MS, draw);
  const reread = () => {
    active = undefined;
    redraw.add();
  };

  draw();
  return vscode.Disposable.from(
    item,
    redraw,
    registry.onDidChangeActors(reread),
    registry.onDidChangeRecords(reread),
    registry.onDidEngineEvent(({ actor, event }) => {
      if (event.type === 'run-deleted') return reread();
      if (event.type !== 'run-status' || !active) return;
      const key = `${actor.root}\n${event.run.id}`;
      if (isTerminal(event.run.status)) active.delete(key);
      else active.set(key, { actor, run: event.run });
      redraw.add();
    }),
    { dispose: () => clearInterval(ticker) },
    vscode.commands.registerCommand(TEST_HOOKS.runStatusBar, () => ({ visible, text: item.text, tooltip: item.tooltip, command: item.command })),
  );
}
