import { format, Node, parseTree } from 'jsonc-parser';

export interface OutlineEntry {
  name: string;
  kind: 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';
  detail?: string;
  /** Offsets of the whole property (key and value). */
  start: number;
  end: number;
  /** Offsets of the key, what the outline selects. */
  nameStart: number;
  nameEnd: number;
  children: OutlineEntry[];
}

/**
 * Outline of a definition file: one entry per property, nested like the JSON. Input fields show their title, so a
 * long input schema reads like its form.
 */
export function outline(text: string): OutlineEntry[] {
  const tree = parseTree(text, [], { allowTrailingComma: true });
  return tree ? entriesOf(tree) : [];
}

function entriesOf(container: Node): OutlineEntry[] {
  if (container.type === 'array') {
    return (container.children ?? []).map((item, index) => entryOf(String(index), item, item, item));
  }
  if (container.type !== 'object') return [];
  return (container.children ?? []).flatMap((property) => {
    const [key, value] = property.children ?? [];
    return key && value ? [entryOf(String(key.value), property, key, value)] : [];
  });
}

function entryOf(name: string, whole: Node, label: Node, value: Node): OutlineEntry {
  const title = value.type === 'object' ? value.children?.find((p) => p.children?.[0]?.value === 'title')?.children?.[1]?.value : undefined;
  const detail = typeof title === 'string' ? title : value.type === 'string' || value.type === 'number' || value.type === 'boolean' ? String(value.value) : undefined;
  return {
    name,
    kind: value.type as OutlineEntry['kind'],
    detail,
    start: whole.offset,
    end: whole.offset + whole.length,
    nameStart: label.offset,
    nameEnd: label.offset + label.length,
    children: entriesOf(value),
  };
}

export interface TextReplacement {
  start: number;
  end: number;
  newText: string;
}

/** Formats the whole document, or the given range of it, keeping comments. */
export function formatDefinition(
  text: string,
  options: { tabSize: number; insertSpaces: boolean },
  range?: { start: number; end: number },
): TextReplacement[] {
  const edits = format(text, range ? { offset: range.start, length: range.end - range.start } : undefined, {
    tabSize: options.tabSize,
    insertSpaces: options.insertSpaces,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    insertFinalNewline: text.endsWith('\n'),
  });
  return edits.map((edit) => ({ start: edit.offset, end: edit.offset + edit.length, newText: edit.content }));
}
