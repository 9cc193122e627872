// The sidebar's states before there is anything to list: Docker unreachable (the endpoint tried and the fixes,
// then back to normal), an Actor without runs or builds, a single Actor without runs (the "No runs yet" welcome
// content) and no Actor at all (the "No Actor" welcome content). Welcome content shows when a view is empty and
// its context key holds, so those cases assert both through the test hooks.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { DrawnItem, TEST_HOOKS } from '../../../src/extension/testHooks';
import { activateExtension, makeActor, screenshot, waitFor, workspaceRoot } from './helpers';

const runsView = () => Promise.resolve(vscode.commands.executeCommand<DrawnItem[]>(TEST_HOOKS.runsView));
const buildsView = () => Promise.resolve(vscode.commands.executeCommand<DrawnItem[]>(TEST_HOOKS.buildsView));
const runsMessage = () => Promise.resolve(vscode.commands.executeCommand<string | undefined>(TEST_HOOKS.runsViewMessage));
const contextKeys = () => Promise.resolve(vscode.commands.executeCommand<Record<string, unknown>>(TEST_HOOKS.contextKeys));

const UNREACHABLE = 'tcp://127.0.0.1:9';
/** The workbench draws a view a moment after the extension changed it. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1000));

describe('Actor sidebar welcome states', function () {
  let root: string;

  before(async () => {
    await activateExtension();
    root = workspaceRoot().fsPath;
    await vscode.commands.executeCommand('workbench.view.extension.greenroom');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('greenroom').update('docker.host', undefined, vscode.ConfigurationTarget.Workspace);
    fs.rmSync(path.join(root, 'fresh'), { recursive: true, force: true });
    await vscode.commands.executeCommand('greenroom.refresh');
  });

  it('names the Docker endpoint it tried and offers the fixes while Docker is unreachable, then recovers', async () => {
    const settings = vscode.workspace.getConfiguration('greenroom');
    await settings.update('docker.host', UNREACHABLE, vscode.ConfigurationTarget.Workspace);
    try {
      const message = await waitFor('the Runs view to show the Docker problem', runsMessage);
      assert.match(message, /^Docker isn't running or isn't installed: nothing answers at tcp:\/\/127\.0\.0\.1:9 \(setting\)\. Start Docker \(or Podman\)/);
      const fixes = (await runsView()).slice(0, 2);
      assert.deepStrictEqual(
        fixes.map((item) => [item.label, item.command]),
        [
          ['Try Again', 'greenroom.refresh'],
          ['Use Another Endpoint…', 'workbench.action.openSettings'],
        ],
      );
      await vscode.commands.executeCommand('notifications.clearAll');
      await settle();
      await screenshot('sidebar-welcome-docker-unreachable');

      // "Try Again" while Docker is still away keeps the problem.
      await vscode.commands.executeCommand('greenroom.refresh');
      assert.strictEqual(await runsMessage(), message);
    } finally {
      await settings.update('docker.host', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor('the Docker problem to go', async () => ((await runsMessage()) === undefined ? true : undefined));
    assert.ok(!(await runsView()).some((item) => item.label === 'Try Again'));
  });

  it('shows "No runs yet" and "No builds yet" in the group of an Actor that has neither', async () => {
    const fresh = path.join(root, 'fresh');
    await makeActor(fresh, 'FROM apify/actor-node:20\n');
    const runs = await runsView();
    assert.deepStrictEqual(
      runs.filter((item) => item.parent === 'fresh').map((item) => item.label),
      ['No runs yet'],
    );
    const builds = await buildsView();
    assert.deepStrictEqual(
      builds.filter((item) => item.parent === 'fresh').map((item) => item.label),
      ['No builds yet'],
    );

    // Deleting the folder (VS Code reports the folder, not the actor.json inside) takes the Actor away. Not at
    // once: the file watcher drops a creation and a deletion that come in one batch.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    fs.rmSync(fresh, { recursive: true, force: true });
    await waitFor('the deleted Actor to leave the views', async () => ((await runsView()).some((item) => item.actorRoot === fresh) ? undefined : true));
  });

  it('with a single Actor without runs the Runs view is empty (its welcome offers a run); with no Actor, the "No Actor" welcome', async () => {
    const fresh = path.join(root, 'fresh');
    if (!fs.existsSync(fresh)) await makeActor(fresh, 'FROM apify/actor-node:20\n');
    const definitions = (await vscode.workspace.findFiles('**/{.actor/actor.json,apify.json}', '**/node_modules/**')).map((uri) => uri.fsPath);
    const hide = (file: string) => fs.renameSync(file, `${file}.hidden`);
    const others = definitions.filter((file) => !file.startsWith(fresh + path.sep));
    const refreshUntil = (what: string, probe: () => Promise<true | undefined>) =>
      waitFor(what, async () => {
        await vscode.commands.executeCommand('greenroom.refresh');
        return probe();
      });
    try {
      others.forEach(hide);
      await refreshUntil('only the fresh Actor to be left', async () => {
        const builds = await buildsView();
        return builds.length === 0 && (await contextKeys())['greenroom.hasActor'] === true ? true : undefined;
      });
      assert.deepStrictEqual(await runsView(), [], 'an empty Runs view shows the "No runs yet" welcome content');
      await settle();
      await screenshot('sidebar-welcome-no-runs');

      hide(path.join(fresh, '.actor', 'actor.json'));
      await refreshUntil('no Actor to be left', async () => ((await contextKeys())['greenroom.hasActor'] === false ? true : undefined));
      assert.deepStrictEqual(await runsView(), []);
      assert.deepStrictEqual(await buildsView(), []);
      await settle();
      await screenshot('sidebar-welcome-no-actor');
    } finally {
      for (const file of definitions) if (fs.existsSync(`${file}.hidden`)) fs.renameSync(`${file}.hidden`, file);
      fs.rmSync(fresh, { recursive: true, force: true });
      await refreshUntil('the Actors to be back', async () => ((await contextKeys())['greenroom.hasActor'] === true ? true : undefined));
    }
  });
});
