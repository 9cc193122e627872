/** A status-bar item for the newest unfinished run: its status and elapsed time; a click opens its details. */
import * as vscode from 'vscode';
import { ActorRegistry } from '../actors/actorRegistry';
import { formatDuration } from '../tree/format';
import { runElapsedMillis } from '../tree/runs/runNodes';

const TICK_MS = 1000;

export function registerRunStatusBar(registry: ActorRegistry): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('greenroom.activeRun', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Greenroom: active run';
  let ticker: NodeJS.Timeout | undefined;

  const update = () => {
    const active = registry.activeRuns()[0];
    const run = active && active.actor.engine.getRun(active.runId);
    if (!active || !run) {
      item.hide();
      ticker = void clearInterval(ticker);
      return;
    }
    const others = registry.activeRuns().length - 1;
    item.text = `$(sync~spin) ${active.actor.name} ${run.status} ${formatDuration(runElapsedMillis(run))}${others > 0 ? ` (+${others})` : ''}`;
    item.tooltip = `${run.statusMessage ?? 'Run ' + run.id} — click for the run details`;
    item.command = { command: 'greenroom.showRunDetails', title: 'Show Run Details', arguments: [{ actorRoot: active.actor.root, runId: run.id }] };
    item.show();
    ticker ??= setInterval(update, TICK_MS);
  };

  update();
  return vscode.Disposable.from(
    item,
    registry.onDidChange(['run-status', 'run-deleted'], update),
    { dispose: () => clearInterval(ticker) },
  );
}
