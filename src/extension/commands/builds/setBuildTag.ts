/** Actor: Set Build Tag… — points a tag (e.g. `latest`, `beta`) at a successful build, moving it away from any other. */
import * as vscode from 'vscode';
import { errorMessage } from '../../actors/actorRegistry';
import { Services } from '../../services/services';
import { BuildTarget, pickBuild } from '../../services/targets';

const TAG_PATTERN = /^[a-zA-Z0-9._-]{1,64}$/;
const TAG_RULE = 'letters, digits, dot, dash and underscore (at most 64)';

export function registerSetBuildTag(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.setBuildTag', async (target?: BuildTarget, tagArgument?: string) => {
    const picked = await pickBuild(services, target, 'Set Build Tag');
    if (!picked) return;
    const { actor, build } = picked;
    // Runs started by tag would fail on a build without an image.
    if (build.status !== 'SUCCEEDED') {
      return void vscode.window.showErrorMessage(`Cannot tag build ${build.buildNumber}: it is ${build.status}; only a successful build can be tagged.`);
    }
    const tag =
      tagArgument ??
      (await vscode.window.showInputBox({
        title: `Tag build ${build.buildNumber} of ${actor.name}`,
        prompt: `Existing tags: ${Object.keys(actor.engine.tags()).join(', ') || 'none'}. A tag on another build moves here.`,
        value: 'latest',
        validateInput: (text) => (TAG_PATTERN.test(text) ? undefined : `A tag is ${TAG_RULE}`),
      }));
    if (tag === undefined) return;
    if (!TAG_PATTERN.test(tag)) return void vscode.window.showErrorMessage(`Cannot tag build ${build.buildNumber}: "${tag}" is not a tag (${TAG_RULE}).`);
    try {
      actor.engine.setBuildTag(tag, build.id);
    } catch (error) {
      void vscode.window.showErrorMessage(`Cannot tag build ${build.buildNumber}: ${errorMessage(error)}`);
    }
  });
}
