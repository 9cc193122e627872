/**
 * JSON parsing with ranges. The platform reads definition files with `JSON.parse`, so that decides what the value is
 * and whether the file is valid; jsonc-parser gives the tree we need for ranges and keeps going after a syntax error
 * so the rest of the file still gets checked while someone is typing.
 */
import { findNodeAtLocation, Node, parseTree, ParseError, printParseErrorCode } from 'jsonc-parser';
import { Codes, DiagnosticCode } from './codes';
import { Diagnostic, FileChange, Position, Range } from './types';

export type JsonPath = (string | number)[];

/** Which part of a property a diagnostic points at. */
export type RangePart = 'key' | 'value';

export class JsonDocument {
  /** The value as the platform sees it (JSON.parse), or jsonc-parser's best effort when the text is not valid JSON. */
  readonly value: unknown;
  readonly syntaxDiagnostics: Diagnostic[] = [];
  private lineStarts: number[] | undefined;
  private tree: { root: Node | undefined } | undefined;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    try {
      this.value = JSON.parse(text);
    } catch (error) {
      const jsoncErrors: ParseError[] = [];
      const root = this.parseTree(jsoncErrors);
      this.value = root ? jsoncValue(root) : undefined;
      this.reportSyntax(jsoncErrors, error instanceof Error ? error.message : String(error));
    }
  }

  /** The syntax tree, built only when a range is needed (valid files usually need none). */
  get root(): Node | undefined {
    return (this.tree ??= { root: this.parseTree([]) }).root;
  }

  private parseTree(errors: ParseError[]): Node | undefined {
    const root = parseTree(this.text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    this.tree = { root };
    return root;
  }

  get hasSyntaxErrors(): boolean {
    return this.syntaxDiagnostics.length > 0;
  }

  positionAt(offset: number): Position {
    const starts = (this.lineStarts ??= computeLineStarts(this.text));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low, character: offset - starts[low] };
  }

  rangeAt(offset: number, length: number): Range {
    return { start: this.positionAt(offset), end: this.positionAt(offset + length) };
  }

  nodeAt(path: JsonPath): Node | undefined {
    if (!this.root) return undefined;
    // ajv pointers give array indices as strings; jsonc-parser wants numbers for arrays.
    let node: Node | undefined = this.root;
    for (const segment of path) {
      if (!node) return undefined;
      const index = node.type === 'array' && typeof segment === 'string' && /^\d+$/.test(segment) ? Number(segment) : segment;
      node = findNodeAtLocation(node, [index]);
    }
    return node;
  }

  /**
   * Range of the value (or key) at `path`. Falls back to the nearest existing ancestor's key, so a diagnostic about
   * something missing lands on the object that should contain it.
   */
  rangeOf(path: JsonPath, part: RangePart = 'value'): Range {
    for (let length = path.length; length >= 0; length--) {
      const node = this.nodeAt(path.slice(0, length));
      if (!node) continue;
      // The root object itself: point at its opening brace rather than the whole file.
      if (node === this.root && node.type === 'object') return this.rangeAt(node.offset, 1);
      const wantKey = part === 'key' || length < path.length;
      const property = node.parent?.type === 'property' ? node.parent : undefined;
      const target = wantKey && property?.children?.[0] ? property.children[0] : node;
      return this.rangeAt(target.offset, target.length);
    }
    return this.rangeAt(0, Math.min(this.text.length, 1));
  }

  /** Offset just after the opening brace of the object at `path` (for inserting a property). */
  insertionIntoObject(path: JsonPath, property: string, value: unknown): FileChange | undefined {
    const node = this.nodeAt(path);
    if (!node || node.type !== 'object') return undefined;
    const entry = `${JSON.stringify(property)}: ${JSON.stringify(value)}`;
    const first = node.children?.[0];
    if (!first) {
      return { kind: 'edit', file: this.file, range: this.rangeAt(node.offset + 1, 0), newText: entry };
    }
    const lineStart = this.text.lastIndexOf('\n', first.offset - 1) + 1;
    const before = this.text.slice(lineStart, first.offset);
    const separator = /^\s*$/.test(before) ? `,\n${before}` : ', ';
    return { kind: 'edit', file: this.file, range: this.rangeAt(first.offset, 0), newText: entry + separator };
  }

  private reportSyntax(jsoncErrors: ParseError[], platformMessage: string): void {
    if (this.text.trim() === '') {
      this.syntaxDiagnostics.push(this.syntaxDiagnostic(0, 0, Codes.json.empty, 'The file is empty. It must contain a JSON object.'));
      return;
    }
    const reported = new Set<string>();
    const plainSyntax: Diagnostic[] = [];
    for (const error of jsoncErrors) {
      const diagnostic = this.describeJsoncError(error);
      const identity = `${diagnostic.code}@${diagnostic.range.start.line}:${diagnostic.range.start.character}`;
      if (reported.has(identity)) continue;
      reported.add(identity);
      if (diagnostic.code !== Codes.json.syntax.id) this.syntaxDiagnostics.push(diagnostic);
      else plainSyntax.push(diagnostic);
    }
    // A file that is not JSON at all gives an error every few characters: the first few say enough.
    const shown = plainSyntax.slice(0, MAX_SYNTAX_ERRORS);
    if (plainSyntax.length > MAX_SYNTAX_ERRORS) {
      const last = shown[shown.length - 1];
      shown[shown.length - 1] = { ...last, message: `${last.message} ${plainSyntax.length - MAX_SYNTAX_ERRORS} more syntax errors follow; fix these first.` };
    }
    this.syntaxDiagnostics.push(...shown);
    this.syntaxDiagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    if (this.syntaxDiagnostics.length === 0) {
      const offset = Number(/position (\d+)/.exec(platformMessage)?.[1] ?? 0);
      this.syntaxDiagnostics.push(this.syntaxDiagnostic(offset, 1, Codes.json.syntax, `Invalid JSON: ${platformMessage}.`));
    }
  }

  private describeJsoncError(error: ParseError): Diagnostic {
    const code = printParseErrorCode(error.error);
    if (code === 'InvalidCommentToken' || code === 'UnexpectedEndOfComment') {
      const remove: FileChange = { kind: 'edit', file: this.file, range: this.rangeAt(error.offset, error.length), newText: '' };
      return {
        ...this.syntaxDiagnostic(error.offset, error.length, Codes.json.comment,
          'Comments are not allowed: the platform reads this file with JSON.parse, which rejects them. Remove the comment.'),
        fixes: [{ title: 'Remove the comment', changes: [remove], preferred: true }],
      };
    }
    const trailingComma = (code === 'PropertyNameExpected' || code === 'ValueExpected') ? this.trailingCommaBefore(error.offset) : undefined;
    if (trailingComma !== undefined) {
      const remove: FileChange = { kind: 'edit', file: this.file, range: this.rangeAt(trailingComma, 1), newText: '' };
      return {
        ...this.syntaxDiagnostic(trailingComma, 1, Codes.json.trailingComma,
          'Trailing comma: JSON does not allow a comma before a closing bracket, and the platform rejects the file. Remove the comma.'),
        fixes: [{ title: 'Remove the trailing comma', changes: [remove], preferred: true }],
      };
    }
    return this.syntaxDiagnostic(error.offset, Math.max(error.length, 1), Codes.json.syntax, `Invalid JSON: ${SYNTAX_MESSAGES[code] ?? code}.`);
  }

  /** Offset of a comma that directly precedes a closing `}`/`]` at `offset`, if that is what the error is about. */
  private trailingCommaBefore(offset: number): number | undefined {
    const closing = this.text[offset];
    if (closing !== '}' && closing !== ']') return undefined;
    let index = offset - 1;
    while (index >= 0 && /\s/.test(this.text[index])) index--;
    return this.text[index] === ',' ? index : undefined;
  }

  private syntaxDiagnostic(offset: number, length: number, code: DiagnosticCode, message: string): Diagnostic {
    return { file: this.file, range: this.rangeAt(offset, length), severity: 'error', code: code.id, message };
  }
}

/** Syntax errors without a fix of their own (json/syntax) reported per file; comments and trailing commas are all kept. */
const MAX_SYNTAX_ERRORS = 3;

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'a property name in double quotes is expected here',
  ValueExpected: 'a value is expected here',
  ColonExpected: 'a colon is expected after the property name',
  CommaExpected: 'a comma is expected between items',
  CloseBraceExpected: 'a closing brace "}" is missing',
  CloseBracketExpected: 'a closing bracket "]" is missing',
  EndOfFileExpected: 'unexpected content after the end of the JSON value',
  UnexpectedEndOfString: 'the string is not closed',
  UnexpectedEndOfNumber: 'the number is incomplete',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'control characters must be escaped inside strings',
};

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (char === 10) starts.push(index + 1);
    else if (char === 13 && text.charCodeAt(index + 1) !== 10) starts.push(index + 1);
  }
  return starts;
}

/** Value of a (possibly broken) jsonc tree; like jsonc-parser's getNodeValue but with own-property objects only. */
function jsoncValue(node: Node): unknown {
  switch (node.type) {
    case 'array':
      return (node.children ?? []).map(jsoncValue);
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key && value) Object.defineProperty(result, String(key.value), { value: jsoncValue(value), enumerable: true, writable: true, configurable: true });
      }
      return result;
    }
    default:
      return node.value;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON pointer (ajv's instancePath) to path segments. */
export function pointerToPath(pointer: string): JsonPath {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}
