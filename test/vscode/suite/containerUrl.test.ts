// A run's web server (ACTOR_WEB_SERVER_PORT published at containerUrl) in the real VS Code with a real Docker engine:
// the Runs view and the run view offer it while the run is RUNNING, and only then.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { TEST_HOOKS } from '../../../src/extension/testHooks';
import type { RunViewSnapshot } from '../../../src/webviewProtocols/runView';
import { DOCKER_WAIT_CEILING_MS, activateExtension, makeActor, screenshot, waitFor, workspaceRoot } from './helpers';

interface RunItem {
  runId: string;
  description: string;
  tooltip?: string;
  contextValue: string;
}

const SERVER = [
  'const server = require("http").createServer((request, response) => response.end(JSON.stringify({ url: process.env.ACTOR_WEB_SERVER_URL })));',
  'server.listen(Number(process.env.ACTOR_WEB_SERVER_PORT), () => console.log("web server listening"));',
].join('\n');

describe('Container URL of a running Actor (real Docker)', function () {
  this.timeout(2 * DOCKER_WAIT_CEILING_MS);
  const actorRoot = () => path.join(workspaceRoot().fsPath, 'web-server');
  const runItem = async (runId: string) => (await vscode.commands.executeCommand<RunItem[]>(TEST_HOOKS.runsView))?.find((i) => i.runId === runId);

  before(async () => {
    await activateExtension();
    await vscode.commands.executeCommand('workbench.view.extension.greenroom');
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // Later suites see the workspace's own Actor only.
    fs.rmSync(actorRoot(), { recursive: true, force: true });
    await vscode.commands.executeCommand('greenroom.refresh');
  });

  it('shows the container URL as a link and offers Open Container URL while the run is RUNNING, not after', async () => {
    await makeActor(actorRoot(), 'FROM apify/actor-node:20\nCOPY server.js /usr/src/app/server.js\nCMD ["node", "/usr/src/app/server.js"]\n', { 'server.js': SERVER });
    const build = await vscode.commands.executeCommand<{ status: string }>('greenroom.build', actorRoot());
    assert.strictEqual(build?.status, 'SUCCEEDED');
    const runId = (await vscode.commands.executeCommand<string>('greenroom.run', actorRoot()))!;
    const running = await waitFor('the run to be RUNNING with its web server listening', async () => {
      const item = await runItem(runId);
      const log = path.join(actorRoot(), '.greenroom', 'runs', `${runId}.log`);
      const listening = fs.existsSync(log) && fs.readFileSync(log, 'utf8').includes('web server listening');
      return item?.description.startsWith('RUNNING') && listening ? item : undefined;
    }, DOCKER_WAIT_CEILING_MS);
    const run = JSON.parse(fs.readFileSync(path.join(actorRoot(), '.greenroom', 'runs', `${runId}.json`), 'utf8'));
    assert.match(run.containerUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    const answer = (await (await fetch(run.containerUrl)).json()) as { url: string };
    assert.strictEqual(answer.url, run.containerUrl, 'ACTOR_WEB_SERVER_URL inside the container is the containerUrl');
    assert.match(running.contextValue, /^greenroom\.run\.running\.web\b/, 'the context menu offers Open Container URL');
    assert.ok(running.tooltip?.includes(`[${run.containerUrl}](${run.containerUrl})`), `tooltip: ${running.tooltip}`);

    const location = (await vscode.commands.executeCommand<{ actorRoot: string; runId: string }>('greenroom.showRunDetails', { actorRoot: actorRoot(), runId }))!;
    const containerUrlField = async () => {
      const snapshot = await vscode.commands.executeCommand<RunViewSnapshot>(TEST_HOOKS.runView, location, { kind: 'snapshot' }).then(undefined, () => undefined);
      return snapshot?.status ? (Object.fromEntries(snapshot.fields)['Container URL'] ?? '') : undefined;
    };
    await waitFor('the run view to show the container URL', async () => ((await containerUrlField()) === run.containerUrl ? true : undefined));
    await new Promise((r) => setTimeout(r, 1000));
    await screenshot('run-view-container-url');

    await vscode.commands.executeCommand('greenroom.abortImmediately', { actorRoot: actorRoot(), runId });
    const ended = await waitFor('the run to end', async () => {
      const item = await runItem(runId);
      return item?.description.startsWith('ABORTED') ? item : undefined;
    }, DOCKER_WAIT_CEILING_MS);
    assert.strictEqual(ended.contextValue, 'greenroom.run.finished');
    assert.ok(!ended.tooltip?.includes(run.containerUrl), 'an ended run offers no link');
    await waitFor('the run view to drop the ended run\'s container URL', async () => ((await containerUrlField()) === '' ? true : undefined));
    assert.strictEqual(await vscode.commands.executeCommand('greenroom.openContainerUrl', { actorRoot: actorRoot(), runId }), undefined, 'nothing to open');
  });
});
