// The run view in the real VS Code, on a finished run this suite writes to disk (record, a 1,000,000-line log with
// Greenroom's own lines in it, stats samples, storages), so it needs no Docker: opened by Show Run, driven and read
// through the webview's own DOM (the test hook posts actions the page answers from its DOM, clicking its controls).
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { RunViewSnapshot, RunViewTestAction } from '../../../src/webviewProtocols/runView';
import { TEST_HOOKS } from '../../../src/extension/testHooks';
import { activateExtension, screenshot, waitFor, workspaceRoot } from './helpers';
import { LINES_PER_TIME, LOG_LINES, MILLIS_PER_TIME, RUN_ID, RUN_STARTED_AT, SAMPLES, writeFinishedRun } from './runFixture';


function hook<T>(action: RunViewTestAction): Promise<T> {
  return Promise.resolve(vscode.commands.executeCommand<T>(TEST_HOOKS.runView, { actorRoot: workspaceRoot().fsPath, runId: RUN_ID }, action));
}

async function viewWhen(what: string, test: (snapshot: RunViewSnapshot) => boolean): Promise<RunViewSnapshot> {
  let last: RunViewSnapshot | undefined;
  return waitFor(what, async () => {
    last = (await hook<RunViewSnapshot>({ kind: 'snapshot' }).catch(() => undefined)) ?? last;
    return last && test(last) ? last : undefined;
  }).catch((error: Error) => {
    throw new Error(`${error.message}; the run view showed ${JSON.stringify({ ...last, log: { ...last?.log, drawn: last?.log.drawn.slice(0, 3) } })}`);
  });
}

function runViewTabs(): number {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('greenroom.runView')).length;
}

describe('Run view', function () {
  this.timeout(180_000);

  before(async () => {
    await activateExtension();
    writeFinishedRun(workspaceRoot().fsPath);
    await waitFor('the fixture run to be known', async () => {
      await vscode.commands.executeCommand('greenroom.refresh');
      const items = await vscode.commands.executeCommand<{ runId?: string }[]>(TEST_HOOKS.runsView);
      return items?.some((item) => item.runId === RUN_ID) ? true : undefined;
    });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens from Show Run with the header, the buttons a finished run has and the tabs, reusing its panel', async () => {
    const location = { actorRoot: workspaceRoot().fsPath, runId: RUN_ID };
    await vscode.commands.executeCommand('greenroom.showRunDetails', location);
    const snapshot = await viewWhen('the header and the log size', (s) => s.status === 'SUCCEEDED' && s.log.total === LOG_LINES && s.log.drawn.length > 0);
    assert.match(snapshot.title, /^hello-actor · Run #41 · \w{3} \d+ \d\d:\d\d:\d\d$/);
    assert.strictEqual(snapshot.statusMessage, 'Greeted 2 people');
    const fields = Object.fromEntries(snapshot.fields);
    assert.strictEqual(fields.Duration, '2 min 0 s');
    assert.strictEqual(fields.Build, '0.0.1');
    assert.strictEqual(fields['Exit code'], '0');
    assert.strictEqual(fields.Memory, '512 MB');
    assert.strictEqual(fields.Timeout, '1 h 0 min');
    assert.deepStrictEqual(snapshot.actions, ['Rerun', 'Resurrect']);
    assert.deepStrictEqual(snapshot.tabs, ['Log', 'Input', 'Output', 'Storage', 'Charts', 'Charges']);
    assert.strictEqual(fields['Cost (pay-per-event)'], '$0.025 ($0.045 charged, above the limit), limit $0.03');
    console.log(`      run view first paint: ${snapshot.firstPaintMs.toFixed(0)} ms (script start to the first drawing)`);
    await vscode.commands.executeCommand('greenroom.showRunDetails', location);
    assert.strictEqual(runViewTabs(), 1, 'a second Show Run reveals the open panel');
  });

  it('shows the end of a 1,000,000-line log with a bounded number of rows, and scrolls anywhere', async () => {
    let snapshot = await viewWhen('the last lines', (s) => s.log.drawn.includes(`INFO  Line ${LOG_LINES - 1} of the Actor`));
    assert.strictEqual(snapshot.log.following, true);
    assert.ok(snapshot.log.rowsInDom < 200, `${snapshot.log.rowsInDom} rows in the DOM`);
    await hook({ kind: 'scrollLog', line: 499_990 });
    snapshot = await viewWhen('line 500,000 (Greenroom\'s own)', (s) => s.log.drawn.includes('Greenroom: note 500000'));
    assert.strictEqual(snapshot.log.following, false, 'scrolled up: no longer following');
    assert.ok(snapshot.log.greenroomLines >= 1, 'Greenroom\'s own line is set apart');
    assert.ok(snapshot.log.rowsInDom < 200);
    await screenshot('run-view-log');
  });

  it('shows when each line was written in a Times column, which the toolbar\'s toggle hides', async () => {
    await hook({ kind: 'scrollLog', line: LOG_LINES - 1 });
    let snapshot = await viewWhen('the last line with its time', (s) => s.log.drawn.includes(`INFO  Line ${LOG_LINES - 1} of the Actor`) && s.log.drawnTimes.some(Boolean));
    assert.strictEqual(snapshot.log.timesShown, true, 'shown by default');
    const last = snapshot.log.drawn.indexOf(`INFO  Line ${LOG_LINES - 1} of the Actor`);
    const written = new Date(Date.parse(RUN_STARTED_AT) + (LOG_LINES / LINES_PER_TIME - 1) * MILLIS_PER_TIME).toISOString();
    // Local time: the hours depend on the time zone, the rest does not.
    assert.match(snapshot.log.drawnTimes[last], /^\d\d:\d\d:\d\d\.\d{3}$/);
    assert.strictEqual(snapshot.log.drawnTimes[last].slice(3), written.slice(14, 23));
    assert.ok(snapshot.log.drawnTimeTitles[last].endsWith(written), `the tooltip has the full date: ${snapshot.log.drawnTimeTitles[last]}`);
    await screenshot('run-view-log-times');
    snapshot = await hook<RunViewSnapshot>({ kind: 'toggleTimes' });
    assert.strictEqual(snapshot.log.timesShown, false);
    assert.ok(snapshot.log.drawnTimes.every((time) => time === ''), 'no time is drawn');
    // Left hidden: the charts test sees it stay so when the webview loads again.
  });

  it('searches the whole log and jumps to the match', async () => {
    assert.strictEqual(await hook({ kind: 'search', query: 'needle' }), true);
    const snapshot = await viewWhen('the match', (s) => s.log.searchSummary === '1 of 1' && s.log.drawn.includes('INFO  the needle is here (765432)'));
    assert.ok(snapshot.log.firstDrawn <= 765_431);
  });

  it('shows the input, the output resolved into the run storages, and the storages with counts', async () => {
    let snapshot = await hook<RunViewSnapshot>({ kind: 'selectTab', title: 'Input' });
    assert.deepStrictEqual(JSON.parse(snapshot.input), { names: ['Ada', 'Grace'] });
    snapshot = await hook<RunViewSnapshot>({ kind: 'selectTab', title: 'Output' });
    assert.strictEqual(snapshot.output.length, 2);
    assert.match(snapshot.output[0], /^Greetingsgreetings \| .*datasets\/DRunViewFixture0001$/);
    assert.match(snapshot.output[1], /^Summarysummary \| .*SUMMARY\.json$/);
    await screenshot('run-view-output');
    assert.strictEqual(await hook({ kind: 'openOutput', title: 'Summary' }), true);
    await waitFor('SUMMARY.json in an editor', () => (vscode.window.activeTextEditor?.document.uri.fsPath.endsWith('SUMMARY.json') ? true : undefined));
    await vscode.commands.executeCommand('greenroom.showRunDetails', { actorRoot: workspaceRoot().fsPath, runId: RUN_ID });
    await hook<RunViewSnapshot>({ kind: 'selectTab', title: 'Storage' });
    // Sizes on disk come once measured, a moment after the tab is shown.
    snapshot = await viewWhen('the storages with their sizes on disk', (s) => s.storages.length === 3 && !s.storages.some((row) => row.includes('…')));
    assert.deepStrictEqual(
      snapshot.storages.map((row) => row.split(' | ').slice(0, 4).join(' | ')),
      ['Dataset | default | 2 items | 76 B', 'Key-value store | default | 2 records · 38 B | 38 B', 'Request queue | default | 0 requests | 0 B'],
    );
    assert.match(snapshot.storages[0].split(' | ')[4], /\d{4}/, 'and when each last changed');
    await screenshot('run-view-storage');
  });

  it('lists the charges: each priced event with its count within the limit and cost, and the charges as they came', async () => {
    const snapshot = await hook<RunViewSnapshot>({ kind: 'selectTab', title: 'Charges' });
    assert.strictEqual(snapshot.selectedTab, 'Charges');
    assert.deepStrictEqual(snapshot.charges.events, [
      'apify-actor-start | Actor start | $0.005 | 1 | $0.005',
      'greeting | Greeting sent | $0.02 | 2 (1 within the limit) | $0.02',
      'report | Report written | $0.10 | 0 | $0.00',
    ]);
    assert.strictEqual(snapshot.charges.total, "Total: $0.025 ($0.045 charged, above the limit) · limit $0.03 (the run's maximum total charge)");
    assert.strictEqual(snapshot.charges.logRows, 3);
    await screenshot('run-view-charges');
  });

  it('charts memory against the limit and CPU, in light and dark themes', async () => {
    const snapshot = await (async () => {
      await hook({ kind: 'selectTab', title: 'Charts' });
      return viewWhen('the charts', (s) => s.chart.drawn);
    })();
    assert.strictEqual(snapshot.chart.points, SAMPLES);
    assert.strictEqual(snapshot.chart.memoryLimitDrawn, true);
    const workbench = vscode.workspace.getConfiguration('workbench');
    const theme = workbench.inspect<string>('colorTheme')?.globalValue;
    try {
      await workbench.update('colorTheme', 'Default Light Modern', vscode.ConfigurationTarget.Global);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await screenshot('run-view-charts-light');
      // The panel was hidden meanwhile (its webview torn down and loaded again): the log comes back where it was.
      await hook({ kind: 'selectTab', title: 'Log' });
      let log = await viewWhen('the log where it was', (s) => s.log.drawn.includes('INFO  the needle is here (765432)') && !s.log.following);
      assert.strictEqual(log.log.timesShown, false, 'the Times column stays hidden, as it was left');
      log = await hook<RunViewSnapshot>({ kind: 'toggleTimes' });
      assert.ok(log.log.timesShown && log.log.drawnTimes.some(Boolean), 'and comes back with the toggle');
      await new Promise((resolve) => setTimeout(resolve, 500));
      await screenshot('run-view-log-light');
      await workbench.update('colorTheme', 'Default Dark Modern', vscode.ConfigurationTarget.Global);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await screenshot('run-view-log-dark');
      await hook({ kind: 'selectTab', title: 'Charts' });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await screenshot('run-view-charts-dark');
    } finally {
      await workbench.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
    }
  });
});
