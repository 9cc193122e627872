// Greenroom owns the Actor definition files: VS Code's own JSON support must not report on them twice, and must
// not try (and fail, offline) to download the Apify schemas their "$schema" keys name.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, waitFor, workspaceRoot } from './helpers';

describe('diagnostics from other sources', () => {
  before(activateExtension);

  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('the example input schema (it names an Apify "$schema") gets no diagnostic but Greenroom\'s', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), '.actor', 'input_schema.json');
    const document = await vscode.workspace.openTextDocument(uri);
    assert.strictEqual(document.languageId, 'actor-definition');
    await vscode.window.showTextDocument(document);
    // Give the JSON language server time to resolve the schema and report.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const foreign = vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source !== 'greenroom');
    assert.deepStrictEqual(foreign.map((d) => `${d.source}: ${d.message}`), []);
  });

  it('keeps Format Document and the outline for Actor Definition files', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), '.actor', 'actor.json');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const edits = await waitFor('formatting edits', async () => {
      const result = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', uri, { tabSize: 2, insertSpaces: true });
      return result?.length ? result : undefined;
    });
    assert.ok(edits.length > 0, 'the example is indented with 4 spaces, so 2-space formatting changes it');
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri);
    assert.ok(symbols?.some((symbol) => symbol.name === 'storages'), 'outline lists the top-level keys');
  });
});
