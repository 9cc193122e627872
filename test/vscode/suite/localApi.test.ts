// The local Apify API the window serves (src/extension/services/localApi.ts) in the real VS Code with a real Docker
// engine: "Copy Local API URL and Token" starts it, the status bar shows it, it refuses requests without the token, a
// run started through it is at home (its container reaches the API at the bridge gateway) and shows in the Runs view.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { DrawnItem, TEST_HOOKS } from '../../../src/extension/testHooks';
import { DOCKER_WAIT_CEILING_MS, FIXTURE_PLATFORM_JS, activateExtension, makeActor, waitFor, workspaceRoot } from './helpers';

// Reads its input through the API and writes it back as OUTPUT: the container's round trip to the window's server.
const MAIN_JS = `${FIXTURE_PLATFORM_JS}
readInput().then(async (input) => {
  const stored = await api('key-value-stores/' + env.ACTOR_DEFAULT_KEY_VALUE_STORE_ID + '/records/OUTPUT', { method: 'PUT', body: JSON.stringify({ echo: input, atHome }) });
  console.log('OUTPUT stored: HTTP ' + stored.status);
  process.exitCode = stored.ok ? 0 : 1;
});
`;

describe('The local Apify API served by the window (real Docker)', function () {
  this.timeout(2 * DOCKER_WAIT_CEILING_MS);
  const actorRoot = () => path.join(workspaceRoot().fsPath, 'api-echo');

  before(async () => {
    await activateExtension();
    await makeActor(actorRoot(), 'FROM apify/actor-node:20\nCOPY main.js /echo/main.js\nCMD ["node", "/echo/main.js"]\n', { 'main.js': MAIN_JS });
  });
  after(async () => {
    fs.rmSync(actorRoot(), { recursive: true, force: true });
    await vscode.commands.executeCommand('greenroom.refresh');
  });

  it('serves on loopback with a token; a run started through it is at home and shows in the Runs view', async () => {
    const url = await vscode.commands.executeCommand<string>('greenroom.copyLocalApi');
    assert.match(url ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    // The token is in the workspace's platform file (mode 0600), as another process of the user finds it.
    const recorded = JSON.parse(fs.readFileSync(path.join(workspaceRoot().fsPath, '.greenroom', 'platform.json'), 'utf8')) as { url: string; token: string; pid: number };
    assert.strictEqual(recorded.url, url);
    const auth = { authorization: `Bearer ${recorded.token}` };
    assert.strictEqual((await fetch(`${url}/v2/users/me`)).status, 401, 'no token, no access');
    assert.strictEqual((await fetch(`${url}/v2/users/me`, { headers: auth })).status, 200);

    const started = await fetch(`${url}/v2/acts/api-echo/runs?waitForFinish=60`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ hello: 'api' }) });
    assert.strictEqual(started.status, 201, await started.clone().text());
    let run = ((await started.json()) as { data: { id: string; status: string; defaultKeyValueStoreId: string } }).data;
    run = await waitFor('the run to finish', async () => {
      const current = ((await (await fetch(`${url}/v2/actor-runs/${run.id}?waitForFinish=30`, { headers: auth })).json()) as { data: typeof run }).data;
      return ['SUCCEEDED', 'FAILED', 'ABORTED', 'TIMED-OUT'].includes(current.status) ? current : undefined;
    }, DOCKER_WAIT_CEILING_MS);
    const log = await (await fetch(`${url}/v2/logs/${run.id}`, { headers: auth })).text();
    assert.strictEqual(run.status, 'SUCCEEDED', log);
    const output = await (await fetch(`${url}/v2/key-value-stores/${run.defaultKeyValueStoreId}/records/OUTPUT`, { headers: auth })).json();
    assert.deepStrictEqual(output, { echo: { hello: 'api' }, atHome: true });

    const row = await waitFor('the run in the Runs view', async () =>
      (await vscode.commands.executeCommand<DrawnItem[]>(TEST_HOOKS.runsView))?.find((item) => item.runId === run.id && item.description?.startsWith('SUCCEEDED')),
    );
    assert.strictEqual(row.actorRoot, actorRoot());
  });
});
