import type { FileSource } from '../validator/types';
import { DefinitionDocument, definitionKindAt } from './documentContext';
import { KEY_DOCS, OUTPUT_TEMPLATE_VARIABLES } from './keyDocs';
import { pathTargetAt } from './links';

export interface HoverInfo {
  /** Markdown. */
  contents: string;
  start: number;
  end: number;
}

const TEMPLATE_VARIABLE = /\{\{\s*([\w.]+)\s*\}\}/g;

/** What the key (or template variable, or file path) under `offset` means. */
export function hover(doc: DefinitionDocument, offset: number, source: FileSource): HoverInfo | undefined {
  const literal = doc.literalAt(offset) ?? doc.literalAt(offset + 1);
  if (!literal) return undefined;
  const range = { start: literal.offset, end: literal.offset + literal.length };
  const isKey = literal.parent?.type === 'property' && literal.parent.children?.[0] === literal;
  const location = doc.locationAt(offset);

  if (isKey) {
    const key = literal.value as string;
    const place = definitionKindAt(doc.role, location.path.slice(0, -1));
    const meaning = place && KEY_DOCS[place.kind][key];
    return meaning ? { contents: `**${key}**\n\n${meaning}`, ...range } : undefined;
  }

  const link = pathTargetAt(doc, offset);
  if (link) {
    const state = source.exists(link.target) ? 'exists' : '**does not exist**';
    return { contents: `\`${link.target}\` (${state})`, ...range };
  }

  if (typeof literal.value === 'string') {
    const variables = [...literal.value.matchAll(TEMPLATE_VARIABLE)].map((match) => match[1]);
    const described = variables.filter((name) => name in OUTPUT_TEMPLATE_VARIABLES);
    if (described.length > 0) {
      return { contents: described.map((name) => `**${name}**: ${OUTPUT_TEMPLATE_VARIABLES[name]}`).join('\n\n'), ...range };
    }
  }
  return undefined;
}
