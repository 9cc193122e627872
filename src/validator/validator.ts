/** Validating a whole Actor: which file plays which role, each checked by its rules, with parse results cached. */
import * as path from 'node:path';
import { checkActorJson, checkLegacyApifyJson } from './actor';
import { Codes } from './codes';
import { checkDatasetSchema } from './datasetSchema';
import { ActorFile, ActorReference, actorJsonPath, actorLayout, actorReferences, localInputFiles } from './files';
import { checkInputObject } from './inputObject';
import { checkInputSchema } from './inputSchema';
import { JsonDocument } from './json';
import { checkKeyValueStoreSchema } from './keyValueStoreSchema';
import { checkOutputSchema } from './outputSchema';
import { Report, Site } from './report';
import { Diagnostic, FileRole, FileSource, ValidateOptions, WarningLevel } from './types';
import { checkWebServerSchema } from './webServerSchema';

export type SchemaRole = Extract<FileRole, 'input' | 'output' | 'dataset' | 'keyValueStore' | 'webServer'>;
const SCHEMA_ROLES: readonly FileRole[] = ['input', 'output', 'dataset', 'keyValueStore', 'webServer'];

interface SchemaContext {
  datasetAliases: readonly string[];
}

/** Checks a schema value found at `site` by the rules of its role. */
function checkSchema(role: SchemaRole, site: Site, report: Report, value: unknown, context: SchemaContext): void {
  switch (role) {
    case 'input':
      return checkInputSchema(site, report, value, site.base.length === 0 ? Buffer.byteLength(site.doc.text) : undefined);
    case 'output':
      return checkOutputSchema(site, report, value, context.datasetAliases);
    case 'dataset':
      return checkDatasetSchema(site, report, value);
    case 'keyValueStore':
      return checkKeyValueStoreSchema(site, report, value);
    case 'webServer':
      return checkWebServerSchema(site, report, value);
  }
}

/** Validates one schema file's text on its own (no Actor around it). */
export function validateDocument(file: string, text: string, role: SchemaRole, options: ValidateOptions = {}): Diagnostic[] {
  const report = new Report(options.warnings ?? 'all');
  guarded(report, file, () => {
    const doc = new JsonDocument(file, text);
    doc.syntaxDiagnostics.forEach((diagnostic) => report.push(diagnostic));
    checkSchema(role, new Site(doc), report, doc.value, { datasetAliases: ['default'] });
  });
  return report.diagnostics;
}

/** Runs `check`; a bug becomes one internal-error diagnostic instead of an exception. */
function guarded(report: Report, file: string, check: () => void): void {
  try {
    check();
  } catch (error) {
    report.push({
      file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, severity: 'error', code: Codes.internalError.id,
      message: `The validator failed on this file (${error instanceof Error ? error.message : String(error)}). Please report this.`,
    });
  }
}

export class ActorValidator {
  private readonly documents = new Map<string, JsonDocument>();
  /** Diagnostics of standalone schema files, per parsed document and rule set. */
  private readonly schemaResults = new WeakMap<JsonDocument, Map<string, Diagnostic[]>>();

  constructor(private readonly source: FileSource) {}

  /** Validate every file of the Actor. Re-validating after one file changed only re-parses that file. */
  validateActor(actorRoot: string, options: ValidateOptions = {}): { diagnostics: Diagnostic[]; files: ActorFile[] } {
    const level = options.warnings ?? 'all';
    const report = new Report(level);
    const files: ActorFile[] = [];
    const layout = actorLayout(actorRoot, this.source);
    if (layout?.kind === 'dockerfileOnly') {
      guarded(report, layout.dockerfilePath, () => this.validateDockerfileOnly(actorRoot, layout.dockerfilePath, report, files, level));
      return { diagnostics: report.diagnostics, files };
    }
    const legacy = layout?.kind === 'apifyJson';
    const definitionPath = layout?.definitionPath ?? actorJsonPath(actorRoot);
    guarded(report, definitionPath, () => {
      const definition = this.document(definitionPath);
      if (!definition) return;
      files.push({ path: definitionPath, role: legacy ? 'legacyApifyJson' : 'actor' });
      definition.syntaxDiagnostics.forEach((diagnostic) => report.push(diagnostic));
      const references = actorReferences(actorRoot, definition.value, this.source, legacy);
      const site = new Site(definition);
      if (legacy) checkLegacyApifyJson(site, report, definition.value, actorRoot, references);
      else checkActorJson(site, report, definition.value, references, this.source);
      const context: SchemaContext = { datasetAliases: datasetAliases(references) };
      const inputSchema = this.checkReferences(references, site, report, files, context, level);
      this.checkLocalInputs(actorRoot, inputSchema, report, files);
    });
    return { diagnostics: report.diagnostics, files };
  }

  /** An Actor with neither actor.json nor apify.json: what the platform reads is the input schema and INPUT files. */
  private validateDockerfileOnly(actorRoot: string, dockerfilePath: string, report: Report, files: ActorFile[], level: WarningLevel): void {
    // A Dockerfile is no JSON: a site over no text puts the diagnostic at the file's start.
    report.info(new Site(new JsonDocument(dockerfilePath, '')), [], Codes.legacy.noDefinition,
      'No .actor/actor.json: the platform builds this Actor from this Dockerfile with default settings, and finds the input schema at INPUT_SCHEMA.json. Add .actor/actor.json to give it a name, a version and its other schemas.');
    const references = actorReferences(actorRoot, undefined, this.source, true);
    const inputSchema = this.checkReferences(references, undefined, report, files, { datasetAliases: ['default'] }, level);
    this.checkLocalInputs(actorRoot, inputSchema, report, files);
  }

  /** Checks every referenced schema; returns the input schema value when it is valid (to check INPUT.json files). */
  private checkReferences(references: ActorReference[], actorSite: Site | undefined, report: Report, files: ActorFile[], context: SchemaContext, level: WarningLevel): unknown {
    let validInputSchema: unknown;
    const checked = new Set<string>();
    for (const reference of references) {
      if (reference.path && this.source.exists(reference.path)) files.push({ path: reference.path, role: reference.role, ...(reference.alias ? { alias: reference.alias } : {}) });
      if (!SCHEMA_ROLES.includes(reference.role)) continue;
      const role = reference.role as SchemaRole;
      const errorsBefore = report.errorCount();
      if (reference.inline !== undefined && reference.declaredAt && actorSite) {
        checkSchema(role, actorSite.child(reference.declaredAt), report, reference.inline, context);
        if (role === 'input' && report.errorCount() === errorsBefore) validInputSchema = reference.inline;
        continue;
      }
      const file = reference.path;
      if (!file || checked.has(`${role}|${file}`)) continue;
      checked.add(`${role}|${file}`);
      const doc = this.document(file);
      if (!doc) continue;
      guarded(report, file, () => {
        for (const diagnostic of this.schemaDiagnostics(doc, role, context, level)) report.push(diagnostic);
      });
      if (role === 'input' && report.errorCount(file) === 0) validInputSchema = doc.value;
    }
    return validInputSchema;
  }

  private schemaDiagnostics(doc: JsonDocument, role: SchemaRole, context: SchemaContext, level: WarningLevel): Diagnostic[] {
    const key = `${role}|${level}|${context.datasetAliases.join(',')}`;
    let results = this.schemaResults.get(doc);
    if (!results) this.schemaResults.set(doc, (results = new Map()));
    let diagnostics = results.get(key);
    if (!diagnostics) {
      const report = new Report(level);
      doc.syntaxDiagnostics.forEach((diagnostic) => report.push(diagnostic));
      checkSchema(role, new Site(doc), report, doc.value, context);
      diagnostics = report.diagnostics;
      results.set(key, diagnostics);
    }
    return diagnostics;
  }

  private checkLocalInputs(actorRoot: string, inputSchema: unknown, report: Report, files: ActorFile[]): void {
    for (const file of localInputFiles(actorRoot, this.source)) {
      files.push({ path: file, role: 'inputObject' });
      const doc = this.document(file);
      if (!doc) continue;
      doc.syntaxDiagnostics.forEach((diagnostic) => report.push(diagnostic));
      if (inputSchema !== undefined && !doc.hasSyntaxErrors) guarded(report, file, () => checkInputObject(new Site(doc), report, doc.value, inputSchema));
    }
  }

  /** Parsed document, re-parsed only when its text changed. */
  private document(file: string): JsonDocument | undefined {
    const text = this.source.readFile(file);
    if (text === undefined) {
      this.documents.delete(file);
      return undefined;
    }
    const cached = this.documents.get(file);
    if (cached && cached.text === text) return cached;
    const doc = new JsonDocument(file, text);
    this.documents.set(file, doc);
    return doc;
  }
}

function datasetAliases(references: readonly ActorReference[]): string[] {
  const aliases = references.filter((reference) => reference.role === 'dataset' && reference.alias).map((reference) => reference.alias as string);
  return aliases.length ? aliases : ['default'];
}

/** Every file that takes part in the Actor (for watchers and the language server). */
export function resolveActorFiles(actorRoot: string, source: FileSource): ActorFile[] {
  const layout = actorLayout(actorRoot, source);
  if (!layout) return [];
  const legacy = layout.kind !== 'actorJson';
  let definition: unknown;
  const files: ActorFile[] = [];
  if (layout.kind !== 'dockerfileOnly') {
    const text = source.readFile(layout.definitionPath);
    if (text === undefined) return [];
    files.push({ path: layout.definitionPath, role: legacy ? 'legacyApifyJson' : 'actor' });
    definition = new JsonDocument(layout.definitionPath, text).value;
  }
  for (const reference of actorReferences(actorRoot, definition, source, legacy)) {
    if (reference.path && reference.inline === undefined) files.push({ path: path.resolve(reference.path), role: reference.role, ...(reference.alias ? { alias: reference.alias } : {}) });
  }
  files.push(...localInputFiles(actorRoot, source).map((file): ActorFile => ({ path: file, role: 'inputObject' })));
  return files;
}
