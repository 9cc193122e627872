/**
 * The Greenroom language server over a given connection (the entry file, server.ts, makes it; tests may pass their
 * own): validates the workspace's Actors as their files change and serves completion, hover, links, definitions,
 * the outline, formatting and quick fixes over the validator and the language service.
 */
import {
  CodeAction,
  CompletionItem,
  CompletionItemKind,
  Connection,
  DidChangeConfigurationNotification,
  DocumentLink,
  DocumentSymbol,
  FormattingOptions,
  InitializeResult,
  Location,
  MarkupKind,
  Range,
  SymbolKind,
  TextDocuments,
  TextDocumentSyncKind,
  TextEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { complete, DefinitionDocument, formatDefinition, hover, outline, OutlineEntry, pathLinks, pathTargetAt } from '../../src/language';
import { ActorFile, ActorValidator, resolveActorFiles } from '../../src/validator';
// Not the workspace index: the server needs no engine (nor a Docker client in its bundle).
import { findActorRoot, findActorRoots, isActorRoot } from '../../src/workspace/actorRoots';
import { DiagnosticData, DIAGNOSTIC_SOURCE, toCodeAction, toLspDiagnostic } from './conversions';
import { OverlayFileSource } from './overlayFileSource';
import {
  InitializationOptions,
  ServerStatus,
  SETTINGS_SECTION,
  STATUS_NOTIFICATION,
  ValidationSettings,
  VALIDATION_SETTINGS_SECTION,
} from './protocol';
import { ValidationScheduler } from './validationScheduler';

/**
 * Formatting and the outline serve documents of the Actor Definition language, which VS Code's JSON support no
 * longer handles. Documents still in the `json` language keep VS Code's own, so ours would only duplicate it.
 */
const OWN_LANGUAGE = 'actor-definition';

const COMPLETION_KINDS = {
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  file: CompletionItemKind.File,
  variable: CompletionItemKind.Variable,
} as const;

const SYMBOL_KINDS: Record<OutlineEntry['kind'], SymbolKind> = {
  object: SymbolKind.Module,
  array: SymbolKind.Array,
  string: SymbolKind.String,
  number: SymbolKind.Number,
  boolean: SymbolKind.Boolean,
  null: SymbolKind.Null,
};

/** Sets the server up on `connection` and starts listening. */
export function createServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const source = new OverlayFileSource(documents);
  const validator = new ActorValidator(source);

  let settings: ValidationSettings = { enable: true, warnings: 'all', debounceMs: 150 };
  let workspaceRoots: string[] = [];
  /** VS Code's own JSON support already reports syntax errors in open .json documents; don't say it twice. */
  let clientReportsJsonSyntax = false;
  let clientSupportsConfiguration = false;

  /** What each validated Actor consists of, and the files we last published diagnostics for. */
  const actorFiles = new Map<string, ActorFile[]>();
  const publishedFiles = new Map<string, Set<string>>();
  const problemCounts = new Map<string, { errors: number; warnings: number }>();
  let lastValidationMs = 0;

  const scheduler = new ValidationScheduler(settings.debounceMs, validateActor);

  connection.onInitialize((params): InitializeResult => {
    clientSupportsConfiguration = Boolean(params.capabilities.workspace?.configuration);
    clientReportsJsonSyntax = Boolean((params.initializationOptions as InitializationOptions | undefined)?.clientReportsJsonSyntax);
    workspaceRoots = (params.workspaceFolders ?? []).map((folder) => URI.parse(folder.uri).fsPath);
    if (workspaceRoots.length === 0 && params.rootUri) workspaceRoots = [URI.parse(params.rootUri).fsPath];
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['"', ':', '{', '.'] },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        documentLinkProvider: { resolveProvider: false },
        definitionProvider: true,
        documentSymbolProvider: true,
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
      },
      serverInfo: { name: 'Greenroom Actor definition server' },
    };
  });

  connection.onInitialized(async () => {
    if (clientSupportsConfiguration) {
      await connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    }
    await refreshSettings();
    for (const actorRoot of findActorRoots(workspaceRoots)) scheduler.schedule(actorRoot, 0);
  });

  async function refreshSettings(): Promise<void> {
    if (!clientSupportsConfiguration) return;
    const validation = (await connection.workspace.getConfiguration(VALIDATION_SETTINGS_SECTION)) as Partial<ValidationSettings> | null;
    settings = { ...settings, ...validation };
    scheduler.setDelay(settings.debounceMs);
  }

  connection.onDidChangeConfiguration(async () => {
    await refreshSettings();
    for (const actorRoot of actorFiles.keys()) scheduler.schedule(actorRoot, 0);
  });

  /**
   * Actors a file takes part in: the one it sits in, plus every validated Actor that references it from elsewhere
   * (monorepos share `../../shared/input_schema.json`). Editing a schema so re-checks its INPUT files too.
   */
  function actorsUsing(filePath: string): string[] {
    const roots = new Set<string>();
    const enclosing = findActorRoot(filePath, source);
    if (enclosing) roots.add(enclosing);
    for (const [actorRoot, files] of actorFiles) if (files.some((file) => file.path === filePath)) roots.add(actorRoot);
    return [...roots];
  }

  documents.onDidChangeContent(({ document }) => {
    for (const actorRoot of actorsUsing(URI.parse(document.uri).fsPath)) scheduler.schedule(actorRoot);
  });

  // Closing a document reverts it to the disk's content, which may differ from the unsaved text.
  documents.onDidClose(({ document }) => {
    for (const actorRoot of actorsUsing(URI.parse(document.uri).fsPath)) scheduler.schedule(actorRoot);
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    const affected = new Set(changes.flatMap((change) => actorsUsing(URI.parse(change.uri).fsPath)));
    for (const actorRoot of affected) {
      // A deleted actor.json leaves no Actor behind: clear what was published for it.
      if (isActorRoot(actorRoot)) scheduler.schedule(actorRoot);
      else forgetActor(actorRoot);
    }
  });

  async function validateActor(actorRoot: string, isStale: () => boolean): Promise<void> {
    if (!settings.enable) {
      forgetActor(actorRoot);
      return;
    }
    // Let queued document changes arrive first: an edit that lands now makes this run stale.
    await new Promise((resolve) => setImmediate(resolve));
    if (isStale()) return;
    sendStatus('validating');
    const started = performance.now();
    const { diagnostics, files } = validator.validateActor(actorRoot, { warnings: settings.warnings });
    lastValidationMs = performance.now() - started;
    if (isStale()) return;
    actorFiles.set(actorRoot, files);

    const byFile = new Map<string, ReturnType<typeof toLspDiagnostic>[]>();
    for (const file of files) byFile.set(file.path, []);
    let errors = 0;
    let warnings = 0;
    for (const diagnostic of diagnostics) {
      if (clientReportsJsonSyntax && diagnostic.code.startsWith('json/') && isOpenJsonDocument(diagnostic.file)) continue;
      if (diagnostic.severity === 'error') errors++;
      if (diagnostic.severity === 'warning') warnings++;
      byFile.set(diagnostic.file, [...(byFile.get(diagnostic.file) ?? []), toLspDiagnostic(diagnostic)]);
    }
    for (const stale of publishedFiles.get(actorRoot) ?? []) if (!byFile.has(stale)) byFile.set(stale, []);
    for (const [file, fileDiagnostics] of byFile) {
      void connection.sendDiagnostics({ uri: URI.file(file).toString(), diagnostics: fileDiagnostics });
    }
    publishedFiles.set(actorRoot, new Set([...byFile].filter(([, list]) => list.length > 0).map(([file]) => file)));
    problemCounts.set(actorRoot, { errors, warnings });
    sendStatus('idle');
  }

  function isOpenJsonDocument(filePath: string): boolean {
    return source.openDocument(filePath)?.languageId === 'json';
  }

  function forgetActor(actorRoot: string): void {
    for (const file of publishedFiles.get(actorRoot) ?? []) void connection.sendDiagnostics({ uri: URI.file(file).toString(), diagnostics: [] });
    publishedFiles.delete(actorRoot);
    actorFiles.delete(actorRoot);
    problemCounts.delete(actorRoot);
    sendStatus('idle');
  }

  function sendStatus(state: ServerStatus['state']): void {
    const totals = [...problemCounts.values()].reduce((sum, c) => ({ errors: sum.errors + c.errors, warnings: sum.warnings + c.warnings }), {
      errors: 0,
      warnings: 0,
    });
    const status: ServerStatus = { state, actors: problemCounts.size, ...totals, lastValidationMs };
    void connection.sendNotification(STATUS_NOTIFICATION, status);
  }

  /** The open document as a definition file, when it is one of an Actor's files. */
  function definitionDocument(uri: string): DefinitionDocument | undefined {
    const document = documents.get(uri);
    if (!document) return undefined;
    const filePath = URI.parse(uri).fsPath;
    for (const actorRoot of actorsUsing(filePath)) {
      const files = actorFiles.get(actorRoot) ?? resolveActorFiles(actorRoot, source);
      const role = files.find((file) => file.path === filePath)?.role;
      if (role) return new DefinitionDocument(filePath, role, document.getText());
    }
    return undefined;
  }

  connection.onCompletion(({ textDocument, position }): CompletionItem[] => {
    const doc = definitionDocument(textDocument.uri);
    const document = documents.get(textDocument.uri);
    if (!doc || !document) return [];
    return complete(doc, document.offsetAt(position), source).map((entry, index) => ({
      label: entry.label,
      kind: COMPLETION_KINDS[entry.kind],
      detail: entry.detail,
      documentation: entry.documentation ? { kind: MarkupKind.Markdown, value: entry.documentation } : undefined,
      textEdit: TextEdit.replace(
        { start: document.positionAt(entry.replace.start), end: document.positionAt(entry.replace.end) },
        entry.insertText,
      ),
      // The JSON-quoted text is what the user sees typed, so filter on it; keep the meta-schema's order.
      filterText: entry.insertText,
      sortText: String(index).padStart(4, '0'),
    }));
  });

  connection.onHover(({ textDocument, position }) => {
    const doc = definitionDocument(textDocument.uri);
    const document = documents.get(textDocument.uri);
    if (!doc || !document) return null;
    const info = hover(doc, document.offsetAt(position), source);
    if (!info) return null;
    return {
      contents: { kind: MarkupKind.Markdown, value: info.contents },
      range: { start: document.positionAt(info.start), end: document.positionAt(info.end) },
    };
  });

  connection.onDocumentLinks(({ textDocument }): DocumentLink[] => {
    const doc = definitionDocument(textDocument.uri);
    const document = documents.get(textDocument.uri);
    if (!doc || !document) return [];
    return pathLinks(doc)
      .filter((link) => source.exists(link.target))
      .map((link) => ({
        range: { start: document.positionAt(link.start), end: document.positionAt(link.end) },
        target: URI.file(link.target).toString(),
      }));
  });

  connection.onDefinition(({ textDocument, position }): Location | null => {
    const doc = definitionDocument(textDocument.uri);
    const document = documents.get(textDocument.uri);
    if (!doc || !document) return null;
    const link = pathTargetAt(doc, document.offsetAt(position));
    if (!link || !source.exists(link.target) || source.isDirectory(link.target)) return null;
    return { uri: URI.file(link.target).toString(), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
  });

  connection.onDocumentSymbol(({ textDocument }): DocumentSymbol[] => {
    const document = documents.get(textDocument.uri);
    if (document?.languageId !== OWN_LANGUAGE) return [];
    const range = (start: number, end: number): Range => ({ start: document.positionAt(start), end: document.positionAt(end) });
    const toSymbol = (entry: OutlineEntry): DocumentSymbol => ({
      name: entry.name || '""',
      detail: entry.detail,
      kind: SYMBOL_KINDS[entry.kind],
      range: range(entry.start, entry.end),
      selectionRange: range(entry.nameStart, entry.nameEnd),
      children: entry.children.map(toSymbol),
    });
    return outline(document.getText()).map(toSymbol);
  });

  function formattingEdits(uri: string, options: FormattingOptions, range?: Range): TextEdit[] {
    const document = documents.get(uri);
    if (document?.languageId !== OWN_LANGUAGE) return [];
    const offsets = range ? { start: document.offsetAt(range.start), end: document.offsetAt(range.end) } : undefined;
    return formatDefinition(document.getText(), options, offsets).map((edit) =>
      TextEdit.replace({ start: document.positionAt(edit.start), end: document.positionAt(edit.end) }, edit.newText),
    );
  }

  connection.onDocumentFormatting(({ textDocument, options }) => formattingEdits(textDocument.uri, options));
  connection.onDocumentRangeFormatting(({ textDocument, options, range }) => formattingEdits(textDocument.uri, options, range));

  connection.onCodeAction(({ context }): CodeAction[] =>
    context.diagnostics
      .filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE)
      .flatMap((diagnostic) => ((diagnostic.data as DiagnosticData | undefined)?.fixes ?? []).map((fix) => toCodeAction(fix, diagnostic))),
  );

  connection.onShutdown(() => scheduler.dispose());

  documents.listen(connection);
  connection.listen();
}
