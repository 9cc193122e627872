// `npm run bench:run-view` (a section of bench:ui): the run view's first paint for a finished run with a
// 1,000,000-line log, inside a real VS Code: the panel opened ROUNDS times afresh, each time timed from the Show Run
// command to the page's first drawing (host side) and from the page's script start to it (webview side).
// Most of the first figure is VS Code's webview machinery, before the page's script starts: in code-server a window's
// first webview takes ~0.5 s, later ones ~1.3 s however long after the last one closed (VS Code in the browser sets up
// the webview's service worker again: microsoft/vscode#138257); inlining the bundle into the page changed nothing.
import * as vscode from 'vscode';
import { TEST_HOOKS } from '../../../src/extension/testHooks';
import type { RunViewSnapshot } from '../../../src/webviewProtocols/runView';
import { activateExtension, waitFor, workspaceRoot } from './helpers';
import { RUN_ID, writeFinishedRun } from './runFixture';

const ROUNDS = Number(process.env.BENCH_RUN_VIEW_ROUNDS) || 7;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

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
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
