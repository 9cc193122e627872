import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateExtension, screenshot, workspaceRoot } from './helpers';

describe('activation', () => {
  it('opens the example Actor as the workspace', async () => {
    const actorJson = vscode.Uri.joinPath(workspaceRoot(), '.actor', 'actor.json');
    const stat = await vscode.workspace.fs.stat(actorJson);
    assert.strictEqual(stat.type, vscode.FileType.File);
  });

  it(`activates ${EXTENSION_ID} on a workspace with .actor/actor.json`, async () => {
    const extension = await activateExtension();
    assert.ok(extension.isActive, 'extension is not active after activate()');
  });

  it('registers every command that package.json contributes', async () => {
    const extension = await activateExtension();
    const contributed: string[] = extension.packageJSON.contributes.commands.map((command: { command: string }) => command.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepStrictEqual(contributed.filter((command) => !registered.has(command)), [], 'contributed but not registered');
    await screenshot('activated');
  });
});
