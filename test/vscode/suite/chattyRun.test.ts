// A chatty run (chattyRun.ts: hundreds of log lines, dataset items and status messages a second) in the real VS Code:
// the Runs view, the status bar and the log terminal reach its final status; while it runs, the dataset viewer keeps
// its toolbar (the same element, still clickable) across refreshes, and the Runs item's Abort stops it. No timing is
// asserted (`npm run bench:ui` measures): every wait is for what the views must eventually show.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ViewerSnapshot } from '../../../src/webviewProtocols/datasetViewer';
import { engineTruth, logTerminals, runLogTail, makeChattyActor, pushedCount, runsView, statusBar } from './chattyRun';
import { TEST_HOOKS } from '../../../src/extension/testHooks';
import { activateExtension, waitFor, workspaceRoot } from './helpers';

const RATE = 500;
/** The engine's own pace on a loaded machine decides how long a run takes: waits allow for it generously. */
const RUN_WAIT_MS = 240_000;

describe('A chatty run (real Docker)', function () {
  this.timeout(600_000);
  let actorRoot: string;

  const runRow = async (runId: string) => (await runsView()).find((item) => item.runId === runId);
  const runTerminal = async (runId: string) => (await logTerminals()).find((terminal) => terminal.id === runId);
  const viewer = (datasetDir: string) =>
    Promise.resolve(vscode.commands.executeCommand<ViewerSnapshot>(TEST_HOOKS.datasetViewer, datasetDir, { kind: 'snapshot' }));

  before(async () => {
    await activateExtension();
    actorRoot = path.join(workspaceRoot().fsPath, 'chatty');
    await makeChattyActor(actorRoot);
    await vscode.commands.executeCommand('workbench.view.extension.greenroom');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const terminal of vscode.window.terminals) terminal.dispose();
  });

  it('shows the final status in the Runs view, the status bar and the log terminal', async () => {
    const secs = 10;
    const runId = await vscode.commands.executeCommand<string>('greenroom.run', { actorRoot, input: { secs, rate: RATE } });
    await vscode.commands.executeCommand('greenroom.showLog', { actorRoot, runId });
    await waitFor('the engine to finish the run', () => (engineTruth(actorRoot, runId).finishedAt ? true : undefined), RUN_WAIT_MS);
    const truth = engineTruth(actorRoot, runId);
    assert.strictEqual(truth.status, 'SUCCEEDED', `the run ended ${truth.status}; its log ends:\n${runLogTail(actorRoot, runId, 3000)}`);

    const row = await waitFor('the Runs view to show SUCCEEDED', async () => ((await runRow(runId))?.description?.startsWith('SUCCEEDED ') ? runRow(runId) : undefined), RUN_WAIT_MS);
    assert.strictEqual(pushedCount(row!.description), secs * RATE, `the Runs view shows the last status message: ${row!.description}`);
    await waitFor('the status bar to hide', async () => ((await statusBar()).visible ? undefined : true), RUN_WAIT_MS);
    const terminal = await waitFor('the log terminal to print the end', async () => ((await runTerminal(runId))?.ended ? runTerminal(runId) : undefined), RUN_WAIT_MS);
    assert.match(terminal!.lastLines.at(-1) ?? '', /Run SUCCEEDED: Pushed 5000 items/);
  });

  it("keeps the dataset viewer's toolbar while items arrive, and the Runs item's Abort stops the run", async () => {
    const runId = await vscode.commands.executeCommand<string>('greenroom.run', { actorRoot, input: { secs: 600, rate: RATE } });
    await waitFor('the Runs view to show the run RUNNING with its status message', async () => {
      const row = await runRow(runId);
      return row?.description?.startsWith('RUNNING ') && pushedCount(row.description) > 0 ? true : undefined;
    }, RUN_WAIT_MS);
    const datasetDir = await vscode.commands.executeCommand<string>('greenroom.openDatasetViewer', { actorRoot, runId });

    // Three refreshes with more items: the toolbar is the element it was.
    const totals: string[] = [];
    let first: ViewerSnapshot | undefined;
    await waitFor('the viewer to refresh three times', async () => {
      const shown = await viewer(datasetDir).then(undefined, () => undefined);
      if (!shown?.settled || !shown.range.startsWith('Items ')) return undefined;
      first ??= shown;
      assert.strictEqual(shown.pagerGeneration, first.pagerGeneration, `the toolbar was rebuilt on a refresh (${shown.range})`);
      if (totals[totals.length - 1] !== shown.range) totals.push(shown.range);
      return totals.length >= 4 ? true : undefined;
    }, RUN_WAIT_MS);

    // Its buttons still work while the refreshes go on.
    assert.strictEqual(await vscode.commands.executeCommand(TEST_HOOKS.datasetViewer, datasetDir, { kind: 'page', control: 'next' }), true);
    await waitFor('the second page', async () => ((await viewer(datasetDir)).range.startsWith('Items 101–200 of ') ? true : undefined), RUN_WAIT_MS);

    // The item's inline action: Abort (graceful) with the item as its argument.
    const row = (await runRow(runId))!;
    assert.match(row.contextValue ?? '', /^greenroom\.run\.running/);
    await vscode.commands.executeCommand('greenroom.abort', { actorRoot: row.actorRoot, runId: row.runId });
    await waitFor('the Runs view to show ABORTED', async () => ((await runRow(runId))?.description?.startsWith('ABORTED ') ? true : undefined), RUN_WAIT_MS);
    await waitFor('the status bar to hide', async () => ((await statusBar()).visible ? undefined : true), RUN_WAIT_MS);
    assert.ok(fs.readdirSync(datasetDir).length < 600 * RATE, 'the run stopped before pushing everything');
  });
});
