/** Collecting diagnostics: where they point (a site inside a JSON document) and which ones the warning level keeps. */
import { DiagnosticCode } from './codes';
import { JsonDocument, JsonPath, RangePart } from './json';
import { Diagnostic, FileChange, QuickFix, Range, Severity, WarningLevel } from './types';

/** A JSON value inside a document: a whole file, or a schema written inline in actor.json. */
export class Site {
  constructor(
    readonly doc: JsonDocument,
    readonly base: JsonPath = [],
  ) {}

  get file(): string {
    return this.doc.file;
  }

  range(path: JsonPath = [], part: RangePart = 'value'): Range {
    return this.doc.rangeOf([...this.base, ...path], part);
  }

  child(path: JsonPath): Site {
    return new Site(this.doc, [...this.base, ...path]);
  }

  /** Quick-fix change that renames the key at `path`. */
  renameKey(path: JsonPath, newName: string): FileChange {
    return { kind: 'edit', file: this.file, range: this.range(path, 'key'), newText: JSON.stringify(newName) };
  }

  replaceValue(path: JsonPath, value: unknown): FileChange {
    return { kind: 'edit', file: this.file, range: this.range(path, 'value'), newText: JSON.stringify(value) };
  }

  insertProperty(objectPath: JsonPath, property: string, value: unknown): FileChange | undefined {
    return this.doc.insertionIntoObject([...this.base, ...objectPath], property, value);
  }
}

/** `likelyMistake` warnings survive the `likelyMistakes` level; `unknownKey` ones only `all`. */
export type WarningKind = 'likelyMistake' | 'unknownKey';

export interface ReportOptions {
  part?: RangePart;
  fixes?: QuickFix[];
  /** For warnings and infos: which warning level keeps it (default likelyMistake). */
  kind?: WarningKind;
}

export class Report {
  readonly diagnostics: Diagnostic[] = [];

  constructor(readonly level: WarningLevel = 'all') {}

  error(site: Site, path: JsonPath, code: DiagnosticCode, message: string, options: ReportOptions = {}): void {
    this.add(site, path, 'error', code, message, options);
  }

  warning(site: Site, path: JsonPath, code: DiagnosticCode, message: string, options: ReportOptions = {}): void {
    this.add(site, path, 'warning', code, message, options);
  }

  info(site: Site, path: JsonPath, code: DiagnosticCode, message: string, options: ReportOptions = {}): void {
    this.add(site, path, 'info', code, message, options);
  }

  push(diagnostic: Diagnostic, kind?: WarningKind): void {
    if (diagnostic.severity !== 'error' && !this.keeps(kind ?? 'likelyMistake')) return;
    this.diagnostics.push(diagnostic);
  }

  errorCount(file?: string): number {
    return this.diagnostics.filter((d) => d.severity === 'error' && (file === undefined || d.file === file)).length;
  }

  private add(site: Site, path: JsonPath, severity: Severity, code: DiagnosticCode, message: string, options: ReportOptions): void {
    const diagnostic: Diagnostic = { file: site.file, range: site.range(path, options.part), severity, code: code.id, message };
    if (options.fixes?.length) diagnostic.fixes = options.fixes;
    this.push(diagnostic, options.kind);
  }

  private keeps(kind: WarningKind): boolean {
    if (this.level === 'none') return false;
    return this.level === 'all' || kind === 'likelyMistake';
  }
}
