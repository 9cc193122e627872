// Standby mode in the real VS Code with a real Docker engine: "Actor: Open Standby URL" serves the Actor's standby
// URL with the window's local API; a request there starts a standby run (origin STANDBY) shown in the Runs view.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { DrawnItem, TEST_HOOKS } from '../../../src/extension/testHooks';
import { DOCKER_WAIT_CEILING_MS, activateExtension, makeActor, waitFor, workspaceRoot } from './helpers';

const SERVER = [
  'const server = require("http").createServer((request, response) =>',
  '  response.end(JSON.stringify({ origin: process.env.APIFY_META_ORIGIN, runId: process.env.ACTOR_RUN_ID, path: request.url })));',
  'server.listen(Number(process.env.ACTOR_STANDBY_PORT));',
].join('\n');

describe('Standby URL of an Actor (real Docker)', function () {
  this.timeout(2 * DOCKER_WAIT_CEILING_MS);
  const actorRoot = () => path.join(workspaceRoot().fsPath, 'standby-web');

  before(async () => {
    await activateExtension();
    await makeActor(actorRoot(), 'FROM apify/actor-node:20\nCOPY server.js /usr/src/app/server.js\nCMD ["node", "/usr/src/app/server.js"]\n', { 'server.js': SERVER });
    const actorJson = path.join(actorRoot(), '.actor', 'actor.json');
    const definition = JSON.parse(fs.readFileSync(actorJson, 'utf8'));
    fs.writeFileSync(actorJson, JSON.stringify({ ...definition, usesStandbyMode: true, actorStandby: { idleTimeoutSecs: 1 } }));
    const build = await vscode.commands.executeCommand<{ status: string }>('greenroom.build', actorRoot());
    assert.strictEqual(build?.status, 'SUCCEEDED');
  });
  after(async () => {
    fs.rmSync(actorRoot(), { recursive: true, force: true });
    await vscode.commands.executeCommand('greenroom.refresh');
  });

  it('opens the standby URL; a request there is answered by a standby run, which the Runs view shows and the idle timeout ends', async () => {
    const url = await vscode.commands.executeCommand<string>('greenroom.openStandbyUrl', actorRoot());
    assert.match(url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const recorded = JSON.parse(fs.readFileSync(path.join(workspaceRoot().fsPath, '.greenroom', 'platform.json'), 'utf8')) as { standby?: Record<string, string> };
    assert.strictEqual(recorded.standby?.[actorRoot()], url, 'the platform file records it');

    const answer = (await (await fetch(new URL('/hello?x=1', url!))).json()) as { origin: string; runId: string; path: string };
    assert.deepStrictEqual([answer.origin, answer.path], ['STANDBY', '/hello?x=1']);
    const row = await waitFor('the standby run in the Runs view', async () =>
      (await vscode.commands.executeCommand<DrawnItem[]>(TEST_HOOKS.runsView))?.find((item) => item.runId === answer.runId),
    );
    assert.match(row.description ?? '', /STANDBY/, `row: ${row.description}`);
    await waitFor('the idle standby run to be wound down', async () => {
      const item = (await vscode.commands.executeCommand<DrawnItem[]>(TEST_HOOKS.runsView))?.find((candidate) => candidate.runId === answer.runId);
      return item?.description?.startsWith('ABORTED') ? item : undefined;
    }, DOCKER_WAIT_CEILING_MS);
  });

  it('says why an Actor without usesStandbyMode has no standby URL', async () => {
    const plainRoot = path.join(workspaceRoot().fsPath, 'standby-plain');
    await makeActor(plainRoot, 'FROM apify/actor-node:20\n');
    const shown: string[] = [];
    const { showErrorMessage } = vscode.window;
    Object.assign(vscode.window, { showErrorMessage: async (message: string) => (shown.push(message), undefined) });
    try {
      assert.strictEqual(await vscode.commands.executeCommand('greenroom.openStandbyUrl', plainRoot), undefined);
      assert.deepStrictEqual(shown, ['standby-plain has no standby URL: standby-plain does not use Standby mode: set "usesStandbyMode": true in its actor.json']);
    } finally {
      Object.assign(vscode.window, { showErrorMessage });
      fs.rmSync(plainRoot, { recursive: true, force: true });
      await vscode.commands.executeCommand('greenroom.refresh');
    }
  });
});
