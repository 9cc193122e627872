// `npm run bench:run-view` (a section of bench:ui): the run view's first paint for a finished run with a
// 1,000,000-line log, inside a real VS Code: the panel opened ROUNDS times afresh, each time timed from the Show Run
// command to the page's first drawing (host side) and from the page's script start to it (webview side).
// Most of the first figure is VS Code's webview machinery, before the page's script starts, so the bench also times
// the floor: a bare webview whose page only reports its first frame. In code-server a window's first webview takes
// ~0.25 s, every later one ~1.1 s, bare or not, and also while another webview stays open (VS Code in the browser sets
// up the webview's service worker again: microsoft/vscode#138257); inlining the bundle into the page changed nothing.
import * as vscode from 'vscode';
import { TEST_HOOKS } from '../../../src/extension/testHooks';
import type { RunViewSnapshot } from '../../../src/webviewProtocols/runView';
import { activateExtension, waitFor, workspaceRoot } from './helpers';
import { RUN_ID, writeFinishedRun } from './runFixture';

const ROUNDS = Number(process.env.BENCH_RUN_VIEW_ROUNDS) || 7;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** What any webview costs in this VS Code: a panel whose page only reports its first frame, timed from its creation. */
async function bareWebviewPaint(): Promise<number> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const started = performance.now();
  const panel = vscode.window.createWebviewPanel('greenroom.benchBareWebview', 'Bare webview', vscode.ViewColumn.Active, { enableScripts: true });
  try {
    const painted = new Promise<number>((resolve) => panel.webview.onDidReceiveMessage(() => resolve(performance.now() - started)));
    panel.webview.html = '<!DOCTYPE html><html><body>Bare<script>requestAnimationFrame(() => acquireVsCodeApi().postMessage("painted"));</script></body></html>';
    return await painted;
  } finally {
    panel.dispose();
  }
}

describe('UI bench: run view first paint', function () {
  this.timeout(600_000);

  it(`opens a finished run's view ${ROUNDS} times`, async () => {
    await activateExtension();
    writeFinishedRun(workspaceRoot().fsPath);
    const location = { actorRoot: workspaceRoot().fsPath, runId: RUN_ID };
    await waitFor('the fixture run to be known', async () => {
      await vscode.commands.executeCommand('greenroom.refresh');
      const items = await vscode.commands.executeCommand<{ runId?: string }[]>(TEST_HOOKS.runsView);
      return items?.some((item) => item.runId === RUN_ID) ? true : undefined;
    });
    const commandReturn: number[] = [];
    const commandToPaint: number[] = [];
    const scriptToPaint: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const started = performance.now();
      await vscode.commands.executeCommand('greenroom.showRunDetails', location);
      commandReturn.push(performance.now() - started);
      const snapshot = await waitFor('the first paint', async () => {
        const s = await vscode.commands.executeCommand<RunViewSnapshot>(TEST_HOOKS.runView, location, { kind: 'snapshot' }).then(undefined, () => undefined);
        return s && s.firstPaintMs > 0 ? s : undefined;
      });
      const hostPaint = await vscode.commands.executeCommand<number | undefined>(TEST_HOOKS.runViewPaint, location);
      commandToPaint.push((hostPaint ?? performance.now()) - started);
      scriptToPaint.push(snapshot.firstPaintMs);
    }
    console.log(`      run view first paint, finished run, 1,000,000-line log (median of ${ROUNDS}):`);
    console.log(`        Show Run command → panel made (the host's work: record, model, page): ${median(commandReturn).toFixed(0)} ms (each: ${commandReturn.map((v) => v.toFixed(0)).join(', ')})`);
    console.log(`        Show Run command → first drawing: ${median(commandToPaint).toFixed(0)} ms (each: ${commandToPaint.map((v) => v.toFixed(0)).join(', ')})`);
    console.log(`        page script start → first drawing: ${median(scriptToPaint).toFixed(0)} ms (each: ${scriptToPaint.map((v) => v.toFixed(0)).join(', ')})`);
    const floor: number[] = [];
    for (let round = 0; round < ROUNDS; round++) floor.push(await bareWebviewPaint());
    console.log(`        the floor, a bare webview (one line of script) from creation to its first frame: ${median(floor).toFixed(0)} ms (each: ${floor.map((v) => v.toFixed(0)).join(', ')})`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
