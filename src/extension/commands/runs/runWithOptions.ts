/** Actor: Run with Options… — asks for the build (tag or number), memory, timeout and input file, then runs. */
import * as vscode from 'vscode';
import { RunStartOptions } from '../../../engine';
import { ActorHint } from '../../actors/actorRegistry';
import { runDefaults } from '../../actors/settings';
import { startRun } from '../../runs/startRun';
import { Services } from '../../services/services';

const MEMORY_CHOICES = [128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768];

export function registerRunWithOptions(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.runWithOptions', async (hint?: ActorHint) => {
    const actor = await services.registry.pick(hint, 'Run with Options');
    if (!actor) return undefined;
    const defaults = runDefaults(actor.root);
    const title = `Run ${actor.name} with options`;

    const tags = Object.keys(actor.engine.tags());
    const builds = actor.engine.listBuilds().filter((b) => b.status === 'SUCCEEDED');
    const build = await vscode.window.showQuickPick(
      [
        { label: 'Default build', description: 'actor.json buildTag (built first when missing)', value: undefined },
        ...tags.map((tag) => ({ label: tag, description: 'tag', value: tag })),
        ...builds.map((b) => ({ label: b.buildNumber, description: `build ${b.id}`, value: b.buildNumber })),
      ],
      { title: `${title} (1/4): build` },
    );
    if (!build) return undefined;

    const memory = await vscode.window.showQuickPick(
      MEMORY_CHOICES.map((mb) => ({ label: `${mb} MB`, picked: mb === (defaults.memoryMbytes ?? 1024), value: mb })),
      { title: `${title} (2/4): memory`, placeHolder: `Default ${defaults.memoryMbytes ?? 1024} MB` },
    );
    if (!memory) return undefined;

    const timeout = await vscode.window.showInputBox({
      title: `${title} (3/4): timeout in seconds (0 = none)`,
      value: String(defaults.timeoutSecs ?? 3600),
      validateInput: (text) => (/^\d+$/.test(text.trim()) ? undefined : 'A whole number of seconds'),
    });
    if (timeout === undefined) return undefined;

    const inputChoice = await vscode.window.showQuickPick(
      [
        { label: "The Actor's INPUT", description: 'storage/key_value_stores/default/INPUT.json', file: false },
        { label: 'An input file…', file: true },
      ],
      { title: `${title} (4/4): input` },
    );
    if (!inputChoice) return undefined;
    const options: RunStartOptions = { build: build.value, memoryMbytes: memory.value, timeoutSecs: Number(timeout) };
    if (inputChoice.file) {
      const files = await vscode.window.showOpenDialog({ title: 'Input JSON file', filters: { JSON: ['json'] }, defaultUri: vscode.Uri.file(actor.root) });
      if (!files?.[0]) return undefined;
      options.inputFile = files[0].fsPath;
    }
    return (await startRun(services, actor, options))?.id;
  });
}
