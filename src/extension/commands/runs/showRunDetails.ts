/** Actor: Show Run Details — the run record, stats, status message and output object in a read-only document, shown
 * as a rendered Markdown preview. */
import * as vscode from 'vscode';
import { runDetailsUri } from '../../runs/runDetails';
import { Services } from '../../services/services';
import { pickRun, RunTarget } from '../../services/targets';

export function registerShowRunDetails(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('greenroom.showRunDetails', async (target?: RunTarget) => {
    const picked = await pickRun(services, target, 'Show Run Details');
    if (!picked) return undefined;
    const document = await vscode.workspace.openTextDocument(runDetailsUri(picked.actor, picked.run.id));
    await vscode.languages.setTextDocumentLanguage(document, 'markdown');
    // Rendered: the record is a table and the output object a list of links; "Open Source" still shows the text.
    await vscode.commands.executeCommand('markdown.showPreview', document.uri);
    return document.uri;
  });
}
