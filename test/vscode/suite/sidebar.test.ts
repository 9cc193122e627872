// The Actor sidebar in the real VS Code against a real Docker engine (the launcher starts one): run the example
// Actor from its command and watch the Runs view, export its dataset (CSV, xlsx), read the run details with the
// output object, then abort a long run gracefully, resurrect it and abort it immediately.
import * as assert from 'assert';
import { Workbook } from 'exceljs';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { TEST_HOOKS } from '../../../src/extension/testHooks';
import type { RunViewSnapshot, RunViewTestAction } from '../../../src/webviewProtocols/runView';
import { DOCKER_WAIT_CEILING_MS, activateExtension, screenshot, waitFor, waitUntil, workspaceRoot } from './helpers';

interface RunItem {
  actorRoot: string;
  runId: string;
  label: string;
  description: string;
  contextValue: string;
}

const runItems = () => Promise.resolve(vscode.commands.executeCommand<RunItem[]>(TEST_HOOKS.runsView));

/** Polls the Runs view until the run's item shows `status`; returns every status it showed meanwhile. */
async function waitForStatus(runId: string, status: string, seen: string[] = []): Promise<string[]> {
  const read = async () => {
    const shown = (await runItems()).find((i) => i.runId === runId)?.description.split(' · ')[0];
    if (shown && seen[seen.length - 1] !== shown) seen.push(shown);
    return shown;
  };
  await waitUntil(`run ${runId} to show ${status} in the Runs view`, read, (shown) => shown === status, DOCKER_WAIT_CEILING_MS);
  return seen;
}

describe('Actor sidebar (real Docker)', function () {
  this.timeout(2 * DOCKER_WAIT_CEILING_MS);
  let actorRoot: string;

  before(async () => {
    await activateExtension();
    actorRoot = workspaceRoot().fsPath;
    await vscode.workspace.getConfiguration('greenroom').update('run.gracefulAbortSecs', 2, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.view.extension.greenroom');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  let runId: string;

  it('runs the example Actor from its command; the Runs view follows it to SUCCEEDED', async () => {
    // Earlier suites (the input form) edit the workspace's INPUT.json: this run sets the input it asserts on.
    const input = { names: ['Ada', 'Linus', 'Grace'], greeting: 'Hi', repeat: 2 };
    fs.writeFileSync(path.join(actorRoot, 'storage', 'key_value_stores', 'default', 'INPUT.json'), JSON.stringify(input, null, 4));
    runId = (await vscode.commands.executeCommand<string>('greenroom.run', actorRoot))!;
    assert.ok(runId, 'greenroom.run returned no run id');
    const seen = await waitForStatus(runId, 'SUCCEEDED');
    assert.deepStrictEqual(seen.filter((s) => !['READY', 'RUNNING'].includes(s)), ['SUCCEEDED'], `statuses shown: ${seen.join(' → ')}`);
    const item = (await runItems()).find((i) => i.runId === runId)!;
    assert.match(item.description, /SUCCEEDED · \d+ s · 0\.1\.\d+ · Greeted \d+ time\(s\)/);
    assert.strictEqual(item.contextValue, 'greenroom.run.finished');
    await new Promise((r) => setTimeout(r, 1000));
    await screenshot('sidebar-runs');
  });

  it('exports the run dataset to CSV, flattened like the platform', async () => {
    const run = JSON.parse(fs.readFileSync(path.join(actorRoot, '.greenroom', 'runs', `${runId}.json`), 'utf8'));
    const file = path.join(actorRoot, 'export.csv');
    const count = await vscode.commands.executeCommand<number>('greenroom.exportDataset', { actorRoot, runId }, { format: 'csv', file });
    const lines = fs.readFileSync(file, 'utf8').trim().split('\r\n');
    assert.strictEqual(count, run.stats.datasetItemCount ?? lines.length - 1);
    assert.strictEqual(lines[0], 'name,greeting,letters,extra'); // INPUT has no extra: an empty object, one empty column
    assert.strictEqual(lines[1], 'Ada,"Hi, Ada!",3,{}');
  });

  it("opens the finished run's records and items read-only", async () => {
    const run = JSON.parse(fs.readFileSync(path.join(actorRoot, '.greenroom', 'runs', `${runId}.json`), 'utf8'));
    const { storageDir } = run.greenroom;
    const storeDir = path.join(storageDir, 'key_value_stores', run.defaultKeyValueStoreId);
    const summary = { storageDir, storeId: run.defaultKeyValueStoreId, name: 'SUMMARY.json', key: 'SUMMARY', file: path.join(storeDir, 'SUMMARY.json'), contentType: 'application/json; charset=utf-8' };
    const opened = await vscode.commands.executeCommand<{ shown: string; uri: string }>('greenroom.openRecord', summary);
    const record = await waitFor('the SUMMARY record in an editor', () => (vscode.window.activeTextEditor?.document.uri.toString() === opened?.uri ? vscode.window.activeTextEditor : undefined));
    assert.match(JSON.parse(record.document.getText()).greeted.toString(), /^\d+$/);
    assert.strictEqual(record.document.uri.scheme, 'greenroom-storage');
    assert.strictEqual(vscode.workspace.fs.isWritableFileSystem(record.document.uri.scheme), false, 'read-only');

    const folder = await vscode.commands.executeCommand<string>('greenroom.openDatasetViewer', { actorRoot, runId });
    await waitFor('the run dataset viewer', async () => {
      const drawn = await Promise.resolve(vscode.commands.executeCommand<{ settled: boolean }>(TEST_HOOKS.datasetViewer, folder, { kind: 'snapshot' })).catch(() => undefined);
      return drawn?.settled ? drawn : undefined;
    });
    assert.strictEqual(await vscode.commands.executeCommand(TEST_HOOKS.datasetViewer, folder, { kind: 'openRow', itemNumber: 1 }), true);
    const item = await waitFor('the first item in an editor', () => (vscode.window.activeTextEditor?.document.uri.fsPath.endsWith('000000001.json') ? vscode.window.activeTextEditor : undefined));
    assert.strictEqual(item.document.uri.scheme, 'greenroom-storage', 'read-only');
    assert.strictEqual(JSON.parse(item.document.getText()).name, 'Ada');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it("exports the rows of the dataset schema's overview view", async () => {
    const file = path.join(actorRoot, 'export-overview.csv');
    await vscode.commands.executeCommand<number>('greenroom.exportDataset', { actorRoot, runId }, { format: 'csv', file, view: 'overview' });
    const lines = fs.readFileSync(file, 'utf8').trim().split('\r\n');
    assert.deepStrictEqual(lines.slice(0, 2), ['name,greeting,letters', 'Ada,"Hi, Ada!",3']);
  });

  it('exports the run dataset to Excel, loading the xlsx writer only for that', async () => {
    const xlsxBundleLoaded = () => Object.keys(require.cache).some((file) => file.endsWith(path.join('dist', 'xlsxExport.js')));
    assert.strictEqual(xlsxBundleLoaded(), false, 'dist/xlsxExport.js loaded before any xlsx export');
    const file = path.join(actorRoot, 'export.xlsx');
    const count = await vscode.commands.executeCommand<number>('greenroom.exportDataset', { actorRoot, runId }, { format: 'xlsx', file });
    assert.ok(xlsxBundleLoaded());
    const workbook = new Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.getWorksheet('Items')!;
    assert.strictEqual(sheet.rowCount, count! + 1);
    assert.deepStrictEqual((sheet.getRow(1).values as unknown[]).slice(1), ['name', 'greeting', 'letters', 'extra']);
    assert.deepStrictEqual((sheet.getRow(2).values as unknown[]).slice(1), ['Ada', 'Hi, Ada!', 3, '{}']);
  });

  it('shows the run view with the output object resolved into the run storages', async () => {
    const location = (await vscode.commands.executeCommand<{ actorRoot: string; runId: string }>('greenroom.showRunDetails', { actorRoot, runId }))!;
    const view = (action: RunViewTestAction) => Promise.resolve(vscode.commands.executeCommand<RunViewSnapshot>(TEST_HOOKS.runView, location, action));
    const header = await waitFor('the run view', async () => {
      const snapshot = await view({ kind: 'snapshot' }).then(undefined, () => undefined);
      return snapshot?.status ? snapshot : undefined;
    });
    assert.strictEqual(header.status, 'SUCCEEDED');
    assert.strictEqual(Object.fromEntries(header.fields)['Exit code'], '0');
    const output = await view({ kind: 'selectTab', title: 'Output' });
    assert.match(output.output[0], /^Greetingsgreetings \| .*\/datasets\//);
    assert.match(output.output[1], /^Summarysummary \| .*\/key_value_stores\/.*\/SUMMARY\.json$/);
    await new Promise((r) => setTimeout(r, 1000));
    await screenshot('run-view-real-run');
  });

  it('aborts a long run gracefully, resurrects it, and aborts it immediately', async () => {
    const sleeper = path.join(actorRoot, 'sleeper');
    fs.mkdirSync(path.join(sleeper, '.actor'), { recursive: true });
    fs.writeFileSync(path.join(sleeper, '.actor', 'actor.json'), JSON.stringify({ actorSpecification: 1, name: 'sleeper', version: '0.1', dockerfile: './Dockerfile' }));
    fs.writeFileSync(path.join(sleeper, '.actor', 'Dockerfile'), 'FROM apify/actor-node:20\nCMD ["node", "-e", "setInterval(() => console.log(\'tick\'), 500)"]\n');
    await waitFor('the sleeper Actor to be found', async () => {
      await vscode.commands.executeCommand('greenroom.refresh');
      return (await vscode.commands.executeCommand<string>('greenroom.build', sleeper)) ? true : undefined;
    }, DOCKER_WAIT_CEILING_MS);

    const longRun = (await vscode.commands.executeCommand<string>('greenroom.run', sleeper))!;
    await waitForStatus(longRun, 'RUNNING');
    await screenshot('sidebar-running');
    await vscode.commands.executeCommand('greenroom.abort', { actorRoot: sleeper, runId: longRun });
    const seen = await waitForStatus(longRun, 'ABORTED');
    assert.ok(!seen.includes('FAILED'), `statuses shown: ${seen.join(' → ')}`);

    const resurrected = await vscode.commands.executeCommand<string>('greenroom.resurrect', { actorRoot: sleeper, runId: longRun }, {});
    assert.strictEqual(resurrected, longRun, 'a resurrected run keeps its id');
    await waitForStatus(longRun, 'RUNNING');
    await vscode.commands.executeCommand('greenroom.abortImmediately', { actorRoot: sleeper, runId: longRun });
    await waitForStatus(longRun, 'ABORTED');
  });
});
