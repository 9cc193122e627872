// What the platform would refuse, refused in VS Code: Run with Options… keeps the Actor's memory default when Enter is
// pressed at every step and offers only the sizes actor.json allows; Build lists the definition's errors.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, makeActor, waitFor, workspaceRoot } from './helpers';

describe('Refusals: memory range and invalid definitions (real Docker)', function () {
  this.timeout(180_000);

  before(async () => {
    await activateExtension();
  });

  it('Run with Options…: Enter at every step runs with the Actor\'s default memory; only sizes within min/max are offered', async () => {
    const actorRoot = path.join(workspaceRoot().fsPath, 'memory-range');
    fs.rmSync(actorRoot, { recursive: true, force: true });
    await makeActor(actorRoot, 'FROM apify/actor-node:20\nCMD ["node", "-e", "console.log(\'hello\')"]\n');
    const actorJsonFile = path.join(actorRoot, '.actor', 'actor.json');
    const actorJson = JSON.parse(fs.readFileSync(actorJsonFile, 'utf8'));
    fs.writeFileSync(actorJsonFile, JSON.stringify({ ...actorJson, minMemoryMbytes: 256, maxMemoryMbytes: 2048, defaultMemoryMbytes: 512 }));

    // The real pickers, watched: this suite presses Enter (accepts the active item) on each as a person would.
    const { showQuickPick } = vscode.window;
    const asked: { title?: string; labels: string[] }[] = [];
    Object.assign(vscode.window, {
      showQuickPick: async (items: readonly vscode.QuickPickItem[], options?: vscode.QuickPickOptions) => {
        asked.push({ title: options?.title, labels: (await items).map((item) => item.label) });
        return showQuickPick(items, options);
      },
    });
    let runId: string | undefined;
    let settled = false;
    try {
      const command = Promise.resolve(vscode.commands.executeCommand<string>('greenroom.runWithOptions', { actorRoot })).finally(() => (settled = true));
      // Enter on whatever picker or input box is open, until the command is done (no fixed count of steps or waits).
      while (!settled) {
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      runId = await command;
    } finally {
      Object.assign(vscode.window, { showQuickPick });
    }
    assert.ok(runId, `no run started; pickers: ${JSON.stringify(asked)}`);
    const memoryStep = asked.find((step) => step.title?.endsWith(': memory'));
    assert.ok(memoryStep, JSON.stringify(asked));
    assert.deepStrictEqual(memoryStep.labels, ['512 MB', '256 MB', '1024 MB', '2048 MB'], 'the default first, then only 256–2048');
    const record = await waitFor('the run record', () => {
      const file = path.join(actorRoot, '.greenroom', 'runs', `${runId}.json`);
      return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
    });
    assert.strictEqual(record.options.memoryMbytes, 512);
    assert.strictEqual(record.options.timeoutSecs, 3600);
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('Build of a definition the platform refuses fails before Docker, its notification listing the errors', async () => {
    const actorRoot = path.join(workspaceRoot().fsPath, 'invalid-definition');
    fs.rmSync(actorRoot, { recursive: true, force: true });
    await makeActor(actorRoot, 'FROM apify/actor-node:20\n');
    const actorJsonFile = path.join(actorRoot, '.actor', 'actor.json');
    fs.writeFileSync(actorJsonFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(actorJsonFile, 'utf8')), version: '1', minMemoryMbytes: 100 }));
    const shown: string[] = [];
    const { showErrorMessage } = vscode.window;
    Object.assign(vscode.window, { showErrorMessage: async (message: string) => (shown.push(message), undefined) });
    try {
      const build = (await vscode.commands.executeCommand<{ status: string; statusMessage: string }>('greenroom.build', actorRoot))!;
      assert.strictEqual(build.status, 'FAILED');
      const about = shown.filter((message) => message.includes(' of invalid-definition '));
      assert.strictEqual(about.length, 1, JSON.stringify(shown));
      assert.match(about[0], /FAILED: The Actor definition has 2 errors, which the platform's build refuses:/);
      assert.match(about[0], /\.actor\/actor\.json:\d+:\d+: error "version" must be MAJOR\.MINOR/);
      assert.match(about[0], /\.actor\/actor\.json:\d+:\d+: error "minMemoryMbytes" must be >= 128/);
    } finally {
      Object.assign(vscode.window, { showErrorMessage });
      fs.rmSync(actorRoot, { recursive: true, force: true });
    }
  });
});
