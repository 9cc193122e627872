import {
  CodeAction,
  CodeActionKind,
  CreateFile,
  DeleteFile,
  Diagnostic as LspDiagnostic,
  DiagnosticSeverity,
  TextDocumentEdit,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { Diagnostic, QuickFix, Severity } from '../../src/validator/types';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export const DIAGNOSTIC_SOURCE = 'greenroom';

/** The quick fixes ride along in `data`, so a code action request needs no server-side memory of past runs. */
export interface DiagnosticData {
  fixes: QuickFix[];
}

export function toLspDiagnostic(diagnostic: Diagnostic): LspDiagnostic {
  return {
    range: diagnostic.range,
    severity: SEVERITY[diagnostic.severity],
    code: diagnostic.code,
    source: DIAGNOSTIC_SOURCE,
    message: diagnostic.message,
    data: diagnostic.fixes?.length ? ({ fixes: diagnostic.fixes } satisfies DiagnosticData) : undefined,
  };
}

export function toCodeAction(fix: QuickFix, diagnostic: LspDiagnostic): CodeAction {
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: fix.preferred,
    edit: toWorkspaceEdit(fix),
  };
}

function toWorkspaceEdit(fix: QuickFix): WorkspaceEdit {
  const documentChanges: WorkspaceEdit['documentChanges'] = [];
  const editsByFile = new Map<string, TextEdit[]>();
  for (const change of fix.changes) {
    const uri = URI.file(change.file).toString();
    if (change.kind === 'edit') {
      editsByFile.set(uri, [...(editsByFile.get(uri) ?? []), TextEdit.replace(change.range, change.newText)]);
    } else if (change.kind === 'create') {
      documentChanges.push(CreateFile.create(uri, { overwrite: false, ignoreIfExists: false }));
      documentChanges.push(
        TextDocumentEdit.create({ uri, version: null }, [TextEdit.insert({ line: 0, character: 0 }, change.content)]),
      );
    } else {
      documentChanges.push(DeleteFile.create(uri, { ignoreIfNotExists: true }));
    }
  }
  for (const [uri, edits] of editsByFile) documentChanges.unshift(TextDocumentEdit.create({ uri, version: null }, edits));
  return { documentChanges };
}
