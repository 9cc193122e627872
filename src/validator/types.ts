/**
 * The validator's public contract. Pure data: no `vscode` import anywhere under src/validator, so the
 * language server, the CLI and the engine share one verdict.
 */

export type Severity = 'error' | 'warning' | 'info';

/** 0-based, like LSP. `character` counts UTF-16 code units. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** One change a quick fix makes. Paths are absolute. */
export type FileChange =
  | { kind: 'edit'; file: string; range: Range; newText: string }
  | { kind: 'create'; file: string; content: string }
  | { kind: 'delete'; file: string };

export interface QuickFix {
  title: string;
  changes: FileChange[];
  /** The fix a user most likely wants (VS Code's "preferred" action, applied by Auto Fix). */
  preferred?: boolean;
}

export interface Diagnostic {
  /** Absolute path of the file the problem is in. */
  file: string;
  range: Range;
  severity: Severity;
  /** Stable identifier, one of the catalogue in codes.ts (docs/diagnostics.md). Never reworded once published. */
  code: string;
  /** Plain words a person understands, naming the key or value and what to do. */
  message: string;
  fixes?: QuickFix[];
}

/** What warnings to emit beyond the platform's own errors. */
export type WarningLevel = 'all' | 'likelyMistakes' | 'none';

/** Role a file plays in an Actor; decides which rules apply. */
export type FileRole =
  | 'actor'
  | 'legacyApifyJson'
  | 'input'
  | 'output'
  | 'dataset'
  | 'keyValueStore'
  | 'webServer'
  | 'inputObject'
  | 'dockerfile'
  | 'readme'
  | 'changelog'
  | 'dockerContextDir';

/** Read access to files. The language server overlays open documents on the disk through this. */
export interface FileSource {
  /** Text of the file, or undefined when it does not exist or cannot be read. */
  readFile(absolutePath: string): string | undefined;
  exists(absolutePath: string): boolean;
  isDirectory(absolutePath: string): boolean;
  /** Entries (names only) of a directory, or [] when it does not exist. */
  listDirectory(absolutePath: string): string[];
}

export interface ValidateOptions {
  warnings?: WarningLevel;
}
