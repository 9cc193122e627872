// The language server seen through VS Code: diagnostics, completion and quick fixes on the example's input schema.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { activateExtension, screenshot, waitFor, workspaceRoot } from './helpers';

const SOURCE = 'greenroom';
/** The example's boolean field `shout` has `"editor": "checkbox"`, its only checkbox. */
const VALID_EDITOR = '"checkbox"';
const INVALID_EDITOR = '"textarea"';

describe('input schema diagnostics', () => {
  let document: vscode.TextDocument;
  let editor: vscode.TextEditor;
  let original: string;

  before(async () => {
    await activateExtension();
    const uri = vscode.Uri.joinPath(workspaceRoot(), '.actor', 'input_schema.json');
    original = fs.readFileSync(uri.fsPath, 'utf8');
    document = await vscode.workspace.openTextDocument(uri);
    editor = await vscode.window.showTextDocument(document);
  });

  after(async () => {
    // Leave the (temporary) workspace as it was for the tests that follow. Reverting is not enough: in the browser
    // VS Code saves edits after a delay (files.autoSave), so an edit may have reached the disk, or be on its way.
    if (document.getText() !== original) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), original);
      await vscode.workspace.applyEdit(edit);
    }
    await document.save();
    await waitFor('the input schema to be back as it was, on disk and in the editor', () =>
      !document.isDirty && document.getText() === original && fs.readFileSync(document.uri.fsPath, 'utf8') === original ? true : undefined,
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** Range of `text` (which must occur once) in the document. */
  function rangeOf(text: string): vscode.Range {
    const source = document.getText();
    const offset = source.indexOf(text);
    assert.ok(offset >= 0 && source.indexOf(text, offset + 1) < 0, `expected exactly one ${text} in ${document.uri.path}`);
    return new vscode.Range(document.positionAt(offset), document.positionAt(offset + text.length));
  }

  function greenroomDiagnostics(): vscode.Diagnostic[] {
    return vscode.languages.getDiagnostics(document.uri).filter((diagnostic) => diagnostic.source === SOURCE);
  }

  /** The Greenroom diagnostic on the `"editor": "textarea"` value of `shout`, once the server has reported it. */
  function editorDiagnostic(): vscode.Diagnostic | undefined {
    const value = rangeOf(INVALID_EDITOR);
    return greenroomDiagnostics().find((diagnostic) => diagnostic.range.intersection(value) !== undefined);
  }

  it('reports an editor that does not fit the field type, at the value', async () => {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, rangeOf(VALID_EDITOR), INVALID_EDITOR);
    assert.ok(await vscode.workspace.applyEdit(edit), 'edit not applied');

    const diagnostic = await waitFor('a greenroom diagnostic on "editor": "textarea"', editorDiagnostic);
    const value = rangeOf(INVALID_EDITOR);
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(diagnostic.range.start.line, value.start.line, 'diagnostic is not on the editor line');
    // At the value: inside `"editor": "textarea"`, covering the value's text.
    const property = new vscode.Range(rangeOf('"editor": ' + INVALID_EDITOR).start, value.end);
    assert.ok(property.contains(diagnostic.range), `range ${JSON.stringify(diagnostic.range)} is outside the editor property`);
    assert.ok(diagnostic.range.contains(value.start.translate(0, 1)), `range ${JSON.stringify(diagnostic.range)} misses the value`);
    assert.match(diagnostic.message, /textarea/);
    // Show the squiggle and its hover in the screenshot.
    editor.selection = new vscode.Selection(value.start.translate(0, 1), value.start.translate(0, 1));
    editor.revealRange(diagnostic.range, vscode.TextEditorRevealType.InCenter);
    await vscode.commands.executeCommand('editor.action.showHover');
    await screenshot('diagnostic-editor-textarea');
  });

  it('completes the editors allowed for a boolean field', async () => {
    const insideValue = rangeOf(INVALID_EDITOR).start.translate(0, 1);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      insideValue,
    );
    const labels = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label).replace(/^"|"$/g, ''));
    for (const editor of ['checkbox', 'hidden']) assert.ok(labels.includes(editor), `${editor} not offered; got ${labels.join(', ')}`);
  });

  it('fixes the editor with a quick fix, and the error goes away', async () => {
    const diagnostic = await waitFor('the editor diagnostic', editorDiagnostic);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((action) => action.edit && /checkbox/.test(action.title));
    assert.ok(fix?.edit, `no quick fix to checkbox; got: ${actions.map((action) => action.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'quick fix not applied');

    assert.ok(document.getText().includes(`"editor": ${VALID_EDITOR}`), 'quick fix did not restore the checkbox editor');
    // The example is valid as shipped: once fixed, the file has no Greenroom error left.
    await waitFor('the Greenroom errors to disappear', () =>
      greenroomDiagnostics().some((d) => d.severity === vscode.DiagnosticSeverity.Error) ? undefined : true,
    );
  });
});
