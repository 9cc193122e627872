// The sidebar's actions against a real Docker engine, on a small Actor of the suite's own ("quick": sleeps for the
// input's sleepSecs, optionally ignoring SIGINT): the `actor` tasks, the status bar while a run is active, Purge
// Shared Storage, Delete Run, retention, the run settings, a failed build's notification, Set Build Tag and Delete
// Build. Three builds in all (two of quick, the second from the cache; one failing); later tests use the first.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { DrawnItem, StatusBarSnapshot, TEST_HOOKS } from '../../../src/extension/testHooks';
import type { RunViewSnapshot } from '../../../src/webviewProtocols/runView';
import { DOCKER_WAIT_CEILING_MS, FIXTURE_PLATFORM_JS, activateExtension, makeActor, screenshot, waitFor, waitUntil, workspaceRoot } from './helpers';

const MAIN_JS = `${FIXTURE_PLATFORM_JS}
readInput().then(({ sleepSecs = 0, ignoreSigint = false }) => {
  if (ignoreSigint) process.on('SIGINT', () => console.log('SIGINT ignored'));
  console.log('sleeping ' + sleepSecs + ' s');
  setTimeout(() => console.log('done'), sleepSecs * 1000);
});
`;
const DOCKERFILE = 'FROM apify/actor-node:20\nCOPY main.js /quick/main.js\nCMD ["node", "/quick/main.js"]\n';

const runsView = () => Promise.resolve(vscode.commands.executeCommand<DrawnItem[]>(TEST_HOOKS.runsView));
const buildsView = () => Promise.resolve(vscode.commands.executeCommand<DrawnItem[]>(TEST_HOOKS.buildsView));
const statusBar = () => Promise.resolve(vscode.commands.executeCommand<StatusBarSnapshot>(TEST_HOOKS.runStatusBar));

/** Runs a task and resolves with the exit code its process ended with. */
function executeTask(task: vscode.Task): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const listener = vscode.tasks.onDidEndTaskProcess((event) => {
      if (event.execution.task.name !== task.name || event.execution.task.source !== task.source) return;
      listener.dispose();
      resolve(event.exitCode);
    });
    vscode.tasks.executeTask(task).then(undefined, (error: unknown) => {
      listener.dispose();
      reject(error);
    });
  });
}

describe('Actor sidebar actions (real Docker)', function () {
  this.timeout(2 * DOCKER_WAIT_CEILING_MS);
  let quick: string;
  const records = (kind: 'runs' | 'builds') => path.join(quick, '.greenroom', kind);
  const readRecord = (kind: 'runs' | 'builds', id: string) => JSON.parse(fs.readFileSync(path.join(records(kind), `${id}.json`), 'utf8'));
  const tags = (): Record<string, string> => JSON.parse(fs.readFileSync(path.join(quick, '.greenroom', 'tags.json'), 'utf8'));
  const quickRuns = async () => (await runsView()).filter((item) => item.runId && item.actorRoot === quick);
  const quickBuilds = async () => (await buildsView()).filter((item) => item.buildId && item.actorRoot === quick);

  /** Polls the Runs view until the run shows `status`. */
  const waitForStatus = (runId: string, status: string) =>
    waitUntil(`run ${runId} to show ${status}`, async () => (await quickRuns()).find((item) => item.runId === runId)?.description, (shown) => !!shown?.startsWith(`${status} `), DOCKER_WAIT_CEILING_MS);

  const run = async (input: { sleepSecs: number; ignoreSigint?: boolean }) => {
    const runId = await vscode.commands.executeCommand<string>('greenroom.run', { actorRoot: quick, input });
    assert.ok(runId, 'greenroom.run returned no run id');
    return runId;
  };

  let firstBuildId: string;

  before(async () => {
    await activateExtension();
    quick = path.join(workspaceRoot().fsPath, 'quick');
    fs.rmSync(quick, { recursive: true, force: true });
    await makeActor(quick, DOCKERFILE, { 'main.js': MAIN_JS });
    await vscode.commands.executeCommand('workbench.view.extension.greenroom');
  });

  after(async () => {
    const settings = vscode.workspace.getConfiguration('greenroom');
    for (const setting of ['runs.keep', 'run.memoryMbytes', 'run.timeoutSecs', 'run.gracefulAbortSecs']) {
      await settings.update(setting, undefined, vscode.ConfigurationTarget.Workspace);
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('provides build and run tasks per Actor; the build task ends with exit code 0 and a new build', async () => {
    const tasks = await vscode.tasks.fetchTasks({ type: 'actor' });
    const mine = tasks.filter((task) => task.definition.actor === 'quick');
    assert.deepStrictEqual(mine.map((task) => [task.name, task.definition.command]).sort(), [['build quick', 'build'], ['run quick', 'run']]);
    assert.ok(tasks.some((task) => task.name === 'run hello-actor' && task.definition.actor === '.'), 'the Actor at the folder root has tasks too');
    const buildTask = mine.find((task) => task.definition.command === 'build')!;
    assert.strictEqual(buildTask.group?.id, vscode.TaskGroup.Build.id);

    const before = new Set((await quickBuilds()).map((item) => item.buildId));
    assert.strictEqual(await executeTask(buildTask), 0);
    const added = (await quickBuilds()).filter((item) => !before.has(item.buildId));
    assert.strictEqual(added.length, 1, 'one new build in the Builds view');
    firstBuildId = added[0].buildId!;
    assert.strictEqual(readRecord('builds', firstBuildId).status, 'SUCCEEDED');
    assert.match(added[0].description!, /^latest · SUCCEEDED · /);
  });

  it('the run task runs the Actor and ends with exit code 0', async () => {
    // No INPUT.json in the Actor's storage yet: the run gets {}, so it sleeps 0 s.
    fs.rmSync(path.join(quick, 'storage'), { recursive: true, force: true });
    const before = new Set((await quickRuns()).map((item) => item.runId));
    // Fetched right before it runs: VS Code looks a provided task up again by its id when it executes it.
    const runTask = (await vscode.tasks.fetchTasks({ type: 'actor' })).find((task) => task.definition.actor === 'quick' && task.definition.command === 'run')!;
    assert.strictEqual(await executeTask(runTask), 0);
    const added = await waitFor('the run in the Runs view', async () => (await quickRuns()).find((item) => !before.has(item.runId)));
    assert.match(added.description!, /^SUCCEEDED · /);
  });

  it('shows the active run in the status bar, ticking; a click opens its run view; gone once it ends', async () => {
    const runId = await run({ sleepSecs: 600 });
    await waitForStatus(runId, 'RUNNING');
    const shown = await waitFor('the status bar to show the run', async () => {
      const bar = await statusBar();
      return bar.visible && bar.text.includes('quick RUNNING') ? bar : undefined;
    });
    assert.match(shown.text, /^\$\(sync~spin\) quick RUNNING \d+ s$/);
    await waitFor('the elapsed time to tick', async () => ((await statusBar()).text !== shown.text ? true : undefined));
    await screenshot('status-bar-running');

    assert.strictEqual(shown.command?.command, 'greenroom.showRunDetails');
    const location = await vscode.commands.executeCommand<{ actorRoot: string; runId: string }>(shown.command.command, ...(shown.command.arguments ?? []));
    assert.strictEqual(location?.runId, runId);
    const view = await waitFor('the run view of the active run', async () => {
      const snapshot = await vscode.commands.executeCommand<RunViewSnapshot>(TEST_HOOKS.runView, location, { kind: 'snapshot' }).then(undefined, () => undefined);
      return snapshot?.status === 'RUNNING' ? snapshot : undefined;
    });
    assert.deepStrictEqual(view.actions.slice(0, 2), ['Abort gracefully', 'Abort'], 'a running run offers the abort buttons');

    await vscode.commands.executeCommand('greenroom.abortImmediately', { actorRoot: quick, runId });
    await waitForStatus(runId, 'ABORTED');
    await waitFor('the status bar item to hide', async () => ((await statusBar()).visible ? undefined : true));
  });

  it("purges the shared storage of the active editor's Actor but keeps INPUT, and refuses while a run uses it", async () => {
    const storage = path.join(quick, 'storage');
    const file = (...parts: string[]) => path.join(storage, ...parts);
    const write = (relative: string[], text: string) => {
      fs.mkdirSync(path.dirname(file(...relative)), { recursive: true });
      fs.writeFileSync(file(...relative), text);
    };
    write(['key_value_stores', 'default', 'INPUT.json'], JSON.stringify({ sleepSecs: 600 }));
    write(['key_value_stores', 'default', 'OUTPUT.json'], '{}');
    write(['datasets', 'default', '000000001.json'], '{"a":1}');
    write(['request_queues', 'default', 'request.json'], '{}');
    write(['key_value_stores', 'named', 'KEPT.json'], '{}');

    const sharedRun = (await vscode.commands.executeCommand<string>('greenroom.runSharedStorage', quick))!;
    await waitForStatus(sharedRun, 'RUNNING');
    await vscode.commands.executeCommand('greenroom.purgeSharedStorage', quick, { confirmed: true });
    assert.ok(fs.existsSync(file('datasets', 'default', '000000001.json')), 'nothing is purged under a running run');
    await vscode.commands.executeCommand('greenroom.abortImmediately', { actorRoot: quick, runId: sharedRun });
    await waitForStatus(sharedRun, 'ABORTED');

    // No Actor named: with several in the workspace, the one of the active editor.
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(quick, 'main.js')));
    await vscode.commands.executeCommand('greenroom.purgeSharedStorage', undefined, { confirmed: true });
    assert.deepStrictEqual(fs.readdirSync(file('key_value_stores', 'default')), ['INPUT.json']);
    assert.ok(!fs.existsSync(file('datasets', 'default')), 'the default dataset is purged');
    assert.ok(!fs.existsSync(file('request_queues', 'default')), 'the default request queue is purged');
    assert.ok(fs.existsSync(file('key_value_stores', 'named', 'KEPT.json')), 'named storages are kept');
  });

  it('deletes a finished run with its log and storages', async () => {
    const runId = await run({ sleepSecs: 0 });
    await waitForStatus(runId, 'SUCCEEDED');
    const record = readRecord('runs', runId);
    const storages = [
      path.join(record.greenroom.storageDir, 'datasets', record.defaultDatasetId),
      path.join(record.greenroom.storageDir, 'key_value_stores', record.defaultKeyValueStoreId),
      path.join(record.greenroom.storageDir, 'request_queues', record.defaultRequestQueueId),
    ];
    assert.ok(fs.existsSync(storages[1]), 'the run has its own key-value store (with INPUT)');
    await vscode.commands.executeCommand('greenroom.deleteRun', { actorRoot: quick, runId }, { confirmed: true });
    await waitFor('the run to leave the Runs view', async () => ((await quickRuns()).some((item) => item.runId === runId) ? undefined : true));
    assert.ok(!fs.existsSync(path.join(records('runs'), `${runId}.json`)), 'record deleted');
    assert.ok(!fs.readdirSync(records('runs')).some((name) => name.startsWith(runId)), 'log deleted');
    assert.deepStrictEqual(storages.filter((dir) => fs.existsSync(dir)), [], 'storages deleted');
  });

  it('keeps only greenroom.runs.keep finished runs', async () => {
    await vscode.workspace.getConfiguration('greenroom').update('runs.keep', 1, vscode.ConfigurationTarget.Workspace);
    if (!(await quickRuns()).length) await waitForStatus(await run({ sleepSecs: 0 }), 'SUCCEEDED');
    const runId = await run({ sleepSecs: 0 });
    await waitForStatus(runId, 'SUCCEEDED');
    await waitFor('retention to delete the older runs', async () => {
      const left = (await quickRuns()).map((item) => item.runId);
      return left.length === 1 && left[0] === runId ? true : undefined;
    }, DOCKER_WAIT_CEILING_MS);
  });

  it('runs with the memory, timeout and graceful-abort settings', async () => {
    const settings = vscode.workspace.getConfiguration('greenroom');
    await settings.update('run.memoryMbytes', 256, vscode.ConfigurationTarget.Workspace);
    await settings.update('run.timeoutSecs', 2, vscode.ConfigurationTarget.Workspace);
    await settings.update('run.gracefulAbortSecs', 1, vscode.ConfigurationTarget.Workspace);
    const runId = await run({ sleepSecs: 600, ignoreSigint: true });
    await waitForStatus(runId, 'TIMED-OUT');
    const record = readRecord('runs', runId);
    assert.strictEqual(record.options.memoryMbytes, 256);
    assert.strictEqual(record.options.timeoutSecs, 2);
    // What the engine guarantees, from the record: SIGINT once the timeout is reached (timeoutAt), the kill when
    // the graceful window (1 s, by default 30 s) has passed. The window only shows when the Actor had its SIGINT
    // handler by then: on a busy machine its node may still be starting, and then SIGINT ends it at once.
    const pastTimeoutMs = Date.parse(record.finishedAt) - Date.parse(record.greenroom.timeoutAt);
    const ignored = fs.readFileSync(path.join(records('runs'), `${runId}.log`), 'utf8').includes('SIGINT ignored');
    assert.ok(pastTimeoutMs >= (ignored ? 1000 : 0) && pastTimeoutMs < 30_000, `ended ${pastTimeoutMs} ms after its timeout (SIGINT ${ignored ? '' : 'not '}ignored)`);
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('says why a build failed, with Open Log opening its log', async () => {
    const broken = path.join(workspaceRoot().fsPath, 'broken');
    await makeActor(broken, 'FROM apify/actor-node:20\nRUN echo failing on purpose && exit 3\n');
    // The extension and this suite share one API object: answer the notification as a click on "Open Log" would.
    const shown: { message: string; items: string[] }[] = [];
    const showErrorMessage = vscode.window.showErrorMessage;
    Object.assign(vscode.window, {
      showErrorMessage: async (message: string, ...items: string[]) => {
        shown.push({ message, items });
        return items.includes('Open Log') ? 'Open Log' : undefined;
      },
    });
    try {
      const build = (await vscode.commands.executeCommand<{ status: string; buildNumber: string }>('greenroom.build', broken))!;
      assert.strictEqual(build.status, 'FAILED');
      // (Other notifications may come meanwhile, e.g. the previous test's timed-out run.)
      const about = shown.filter((notification) => notification.message.includes(' of broken '));
      assert.strictEqual(about.length, 1, JSON.stringify(shown));
      assert.match(about[0].message, /^Build 0\.1\.1 of broken FAILED: .*returned a non-zero code: 3/);
      assert.deepStrictEqual(about[0].items, ['Open Log']);
      assert.ok(vscode.window.terminals.some((terminal) => terminal.name === `broken: Build ${build.buildNumber}`), 'the build log terminal is open');
    } finally {
      Object.assign(vscode.window, { showErrorMessage });
      fs.rmSync(broken, { recursive: true, force: true });
    }
  });

  it('moves a tag between builds with Set Build Tag; the Builds view shows it', async () => {
    await vscode.commands.executeCommand('greenroom.setBuildTag', { actorRoot: quick, buildId: firstBuildId }, 'beta');
    assert.strictEqual(tags().beta, firstBuildId);
    const second = (await vscode.commands.executeCommand<{ id: string; status: string }>('greenroom.build', quick))!;
    assert.strictEqual(second.status, 'SUCCEEDED');
    await vscode.commands.executeCommand('greenroom.setBuildTag', { actorRoot: quick, buildId: second.id }, 'beta');
    await vscode.commands.executeCommand('greenroom.setBuildTag', { actorRoot: quick, buildId: second.id }, 'not a tag');
    assert.deepStrictEqual(tags(), { latest: second.id, beta: second.id });

    const described = await waitFor('the Builds view to show the tags', async () => {
      const items = await quickBuilds();
      const descriptions = Object.fromEntries(items.map((item) => [item.buildId, item.description ?? '']));
      return descriptions[second.id]?.startsWith('latest, beta · ') ? descriptions : undefined;
    });
    assert.match(described[firstBuildId], /^SUCCEEDED · /, 'the first build lost both tags');
    await vscode.commands.executeCommand('greenroom.builds.focus');
    await vscode.commands.executeCommand('notifications.clearAll');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await screenshot('sidebar-builds');
  });

  it('deletes a build with its tags and image', async () => {
    const [newest] = await quickBuilds();
    const { imageName } = readRecord('builds', newest.buildId!);
    const imageExists = () => spawnSync('docker', ['image', 'inspect', imageName], { stdio: 'ignore' }).status === 0;
    assert.ok(imageExists(), `image ${imageName} exists before`);
    await vscode.commands.executeCommand('greenroom.deleteBuild', { actorRoot: quick, buildId: newest.buildId }, { confirmed: true });
    assert.ok(!fs.existsSync(path.join(records('builds'), `${newest.buildId}.json`)), 'record deleted');
    assert.deepStrictEqual(tags(), {}, 'its tags are gone');
    assert.ok(!imageExists(), `image ${imageName} removed`);
    await waitFor('the build to leave the Builds view', async () => ((await quickBuilds()).some((item) => item.buildId === newest.buildId) ? undefined : true));
  });
});
