/** A status-bar item for the newest unfinished run: its status and elapsed time; a click opens its details. */
import * as vscode from 'vscode';
import { ActorRegistry } from '../actors/actorRegistry';
import { TEST_HOOKS } from '../testHooks';
import { formatDuration } from '../tree/format';
import { runElapsedMillis } from '../tree/runs/runNodes';

const TICK_MS = 1000;

export function registerRunStatusBar(registry: ActorRegistry): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('greenroom.activeRun', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Greenroom: active run';
  let visible = false;
  let ticker: NodeJS.Timeout | undefined;

  const update = () => {
    const active = registry.activeRuns();
    const run = active[0] && active[0].actor.engine.getRun(active[0].runId);
    visible = !!run;
    if (!run) {
      item.hide();
      ticker = void clearInterval(ticker);
      return;
    }
    const { actor } = active[0];
    const others = active.length - 1;
    item.text = `$(sync~spin) ${actor.name} ${run.status} ${formatDuration(runElapsedMillis(run))}${others > 0 ? ` (+${others})` : ''}`;
    item.tooltip = `${run.statusMessage ?? 'Run ' + run.id} — click for the run details`;
    item.command = { command: 'greenroom.showRunDetails', title: 'Show Run Details', arguments: [{ actorRoot: actor.root, runId: run.id }] };
    item.show();
    ticker ??= setInterval(update, TICK_MS);
  };

  update();
  return vscode.Disposable.from(
    item,
    registry.onDidChange(['run-status', 'run-deleted'], update),
    { dispose: () => clearInterval(ticker) },
    vscode.commands.registerCommand(TEST_HOOKS.runStatusBar, () => ({ visible, text: item.text, tooltip: item.tooltip, command: item.command })),
  );
}
