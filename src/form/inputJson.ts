/**
 * Writing the form's input into an existing INPUT.json without disturbing it: keys the schema does not know stay
 * byte for byte, and so does the layout of the keys the form did not change. Changed values are replaced in place,
 * removed keys cut out, new keys appended — each in the file's own indentation and line breaks.
 */
import { applyEdits, findNodeAtLocation, modify, Node, parseTree, ParseError, printParseErrorCode } from 'jsonc-parser';
import { InputObject } from './input';

interface Layout {
  /** One level of indentation. */
  unit: string;
  eol: string;
}

/**
 * New text of INPUT.json. `formKeys` are the keys the form owns: each is set to `input[key]`, or removed when
 * the input has no such key. A missing, empty or unparsable file, or one that is not an object, is replaced by
 * the input, pretty-printed.
 */
export function updateInputJsonText(existing: string | undefined, input: InputObject, formKeys: readonly string[]): string {
  const layout = detectLayout(existing ?? '');
  const errors: ParseError[] = [];
  const root = existing?.trim() ? parseTree(existing, errors, { disallowComments: true }) : undefined;
  if (existing === undefined || !root || errors.length > 0 || root.type !== 'object') {
    return stringify(input, layout, '') + layout.eol;
  }

  let text = existing;
  for (const key of formKeys) {
    const tree = parseTree(text)!;
    const node = findNodeAtLocation(tree, [key]);
    const value = input[key];
    if (value === undefined) {
      if (node) text = applyEdits(text, modify(text, [key], undefined, {}));
    } else if (!node) {
      text = appendProperty(text, tree, key, value, layout);
    } else if (JSON.stringify(value) !== JSON.stringify(JSON.parse(text.slice(node.offset, node.offset + node.length)))) {
      const indent = lineIndent(text, node.parent!.offset);
      text = text.slice(0, node.offset) + stringify(value, layout, indent) + text.slice(node.offset + node.length);
    }
  }
  return text;
}

function appendProperty(text: string, root: Node, key: string, value: unknown, layout: Layout): string {
  const last = root.children?.[root.children.length - 1];
  const indent = last ? lineIndent(text, last.offset) : layout.unit;
  const property = `${JSON.stringify(key)}: ${stringify(value, layout, indent)}`;
  if (last) {
    const end = last.offset + last.length;
    return `${text.slice(0, end)},${layout.eol}${indent}${property}${text.slice(end)}`;
  }
  const close = root.offset + root.length - 1;
  return `${text.slice(0, close)}${layout.eol}${indent}${property}${layout.eol}${text.slice(close)}`;
}

/** JSON text of a value whose first line sits after `indent`: its further lines are indented to match. */
function stringify(value: unknown, layout: Layout, indent: string): string {
  return JSON.stringify(value, null, layout.unit).split('\n').join(layout.eol + indent);
}

function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset))![0];
}

/** The file's indentation unit (its first indented line; two spaces when there is none) and line break. */
function detectLayout(text: string): Layout {
  return { unit: /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ', eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

/**
 * Why the form cannot write into this INPUT.json text (it does not parse, or is not an object), else undefined.
 * Empty text is fine: the form's input replaces it.
 */
export function inputJsonProblem(text: string): string | undefined {
  if (!text.trim()) return undefined;
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true });
  if (errors.length > 0) {
    const { line, column } = lineAndColumn(text, errors[0].offset);
    return `does not parse as JSON (${printParseErrorCode(errors[0].error)} at line ${line}, column ${column})`;
  }
  return root?.type === 'object' ? undefined : 'is not a JSON object';
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

/** The one replacement that turns `before` into `after` (their common start and end kept), undefined when equal. */
export function minimalTextChange(before: string, after: string): { offset: number; length: number; text: string } | undefined {
  if (before === after) return undefined;
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before[start] === after[start]) start++;
  let end = 0;
  while (end < shorter - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return { offset: start, length: before.length - start - end, text: after.slice(start, after.length - end) };
}
