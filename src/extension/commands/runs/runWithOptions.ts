/**
 * Actor: Run with Options… — asks for the build (tag or number), input, timeout and memory, then runs. Memory comes
 * last because actor.json's default may be an expression over the input and the other options; the default is the
 * first choice (Enter keeps it) and only sizes the Actor allows are offered.
 */
import * as vscode from 'vscode';
import { RunStartOptions } from '../../../engine';
import { ActorHint, errorMessage } from '../../actors/actorRegistry';
import { runDefaults } from '../../actors/settings';
import { startRun } from '../../runs/startRun';
import { Services } from '../../services/services';

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
    const options: RunStartOptions = { build: build.value };

    const inputChoice = await vscode.window.showQuickPick(
      [
        { label: "The Actor's INPUT", description: 'storage/key_value_stores/default/INPUT.json', file: false },
        { label: 'An input file…', file: true },
      ],
      { title: `${title} (2/4): input` },
    );
    if (!inputChoice) return undefined;
    if (inputChoice.file) {
      const files = await vscode.window.showOpenDialog({ title: 'Input JSON file', filters: { JSON: ['json'] }, defaultUri: vscode.Uri.file(actor.root) });
      if (!files?.[0]) return undefined;
      options.inputFile = files[0].fsPath;
    }

    const timeout = await vscode.window.showInputBox({
      title: `${title} (3/4): timeout in seconds (0 = none)`,
      value: String(defaults.timeoutSecs ?? 3600),
      validateInput: (text) => (/^\d+$/.test(text.trim()) ? undefined : 'A whole number of seconds'),
    });
    if (timeout === undefined) return undefined;
    options.timeoutSecs = Number(timeout);

    let memory;
    try {
      memory = await actor.engine.runMemory(options);
    } catch (error) {
      return void vscode.window.showErrorMessage(`Cannot run ${actor.name}: ${errorMessage(error)}`);
    }
    // The greenroom.run.memoryMbytes setting, when this Actor allows it, else the Actor's own default.
    const fromSetting = defaults.memoryMbytes !== undefined && memory.choices.includes(defaults.memoryMbytes);
    const defaultMbytes = fromSetting ? defaults.memoryMbytes! : memory.defaultMbytes;
    const picked = await vscode.window.showQuickPick(
      [defaultMbytes, ...memory.choices.filter((mb) => mb !== defaultMbytes)].map((mb) => ({
        label: `${mb} MB`,
        description: mb === defaultMbytes ? (fromSetting ? 'default (greenroom.run.memoryMbytes)' : "default (the Actor's)") : undefined,
        value: mb,
      })),
      { title: `${title} (4/4): memory`, placeHolder: `Memory: ${memory.description}` },
    );
    if (!picked) return undefined;
    options.memoryMbytes = picked.value;
    return (await startRun(services, actor, options))?.id;
  });
}
