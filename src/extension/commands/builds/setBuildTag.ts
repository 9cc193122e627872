/** Actor: Set Build Tag… — points a tag (e.g. `latest`, `beta`) at a build, moving it away from any other. */
import * as vscode from 'vscode';
import { BuildTarget, errorMessage, pickBuild, Services } from '../services';

const TAG_PATTERN = /^[a-zA-Z0-9._-]{1,64}$/;

export function registerSetBuildTag(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.setBuildTag', async (target?: BuildTarget, tagArgument?: string) => {
    const picked = await pickBuild(services, target, 'Set Build Tag');
    if (!picked) return;
    const tag =
      tagArgument ??
      (await vscode.window.showInputBox({
        title: `Tag build ${picked.build.buildNumber} of ${picked.actor.name}`,
        value: 'latest',
        validateInput: (text) => (TAG_PATTERN.test(text) ? undefined : 'Letters, digits, dot, dash and underscore (at most 64)'),
      }));
    if (!tag) return;
    try {
      picked.actor.engine.setBuildTag(tag, picked.build.id);
    } catch (error) {
      void vscode.window.showErrorMessage(`Cannot tag build ${picked.build.buildNumber}: ${errorMessage(error)}`);
    }
  });
}
