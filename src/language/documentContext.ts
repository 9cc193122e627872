import { findNodeAtLocation, getLocation, getNodeValue, Location, Node, parseTree } from 'jsonc-parser';
import type { FileRole } from '../validator/types';
import { DefinitionKind } from './keyDocs';

export type JsonPath = (string | number)[];

/** A definition file's text with its role, parsed once for all language features of one request. */
export class DefinitionDocument {
  readonly tree: Node | undefined;

  constructor(
    readonly filePath: string,
    readonly role: FileRole,
    readonly text: string,
  ) {
    this.tree = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  }

  locationAt(offset: number): Location {
    return getLocation(this.text, offset);
  }

  valueAt(path: JsonPath): unknown {
    const node = this.tree && findNodeAtLocation(this.tree, path);
    return node ? getNodeValue(node) : undefined;
  }

  /** The literal (string, number, boolean or null; a key or a value) the offset is in or right after, if any. */
  literalAt(offset: number): Node | undefined {
    let node = this.tree;
    while (node?.children) {
      const child: Node | undefined = node.children.find((c) => c.offset <= offset && offset <= c.offset + c.length);
      if (!child) break;
      node = child;
    }
    if (!node || !['string', 'number', 'boolean', 'null'].includes(node.type)) return undefined;
    // Before a string's opening quote is outside it.
    return node.offset < offset ? node : undefined;
  }
}

/**
 * Which part of which definition a JSON path points into. actor.json may hold the input, output, dataset and
 * key-value store schemas inline, so paths inside those are mapped to the embedded schema's own kind.
 */
export interface DefinitionPlace {
  kind: DefinitionKind;
  /** Path inside the definition part (e.g. inside one input field). */
  path: JsonPath;
  /** Path of that part in the document (e.g. of the input field object). */
  base: JsonPath;
}

export function definitionKindAt(role: FileRole, path: JsonPath): DefinitionPlace | undefined {
  const embedded = (kind: DefinitionKind, at: number): DefinitionPlace => ({ kind, path: path.slice(at), base: path.slice(0, at) });
  const within = (place: DefinitionPlace, at: number): DefinitionPlace => ({ ...place, base: [...path.slice(0, at), ...place.base] });
  if (role === 'actor') {
    const [first, second, third] = path;
    if (first === 'input' || first === 'inputSchema') return within(inputKind(path.slice(1)), 1);
    if (first === 'output' || first === 'outputSchema') return embedded('output', 1);
    if (first === 'storages' && second === 'dataset' && path.length > 2) return within(datasetKind(path.slice(2)), 2);
    if (first === 'storages' && second === 'datasets' && third !== undefined && path.length > 3) return within(datasetKind(path.slice(3)), 3);
    if (first === 'storages' && second === 'keyValueStore' && path.length > 2) return embedded('keyValueStore', 2);
    return embedded('actor', 0);
  }
  if (role === 'input') return inputKind(path);
  if (role === 'dataset') return datasetKind(path);
  if (role === 'output') return embedded('output', 0);
  if (role === 'keyValueStore') return embedded('keyValueStore', 0);
  return undefined;
}

/** Input fields nest: `properties.<f>` is a field, and so are `properties.<f>.properties.<g>` and `.items.properties.<g>`. */
function inputKind(path: JsonPath): DefinitionPlace {
  let fieldStart = -1;
  for (let i = 0; i + 1 < path.length; i++) {
    if (path[i] === 'properties' && typeof path[i + 1] === 'string' && (i === 0 || fieldStart >= 0)) {
      fieldStart = i + 2;
      i++;
    } else if (fieldStart >= 0 && path[i] !== 'items') {
      break;
    }
  }
  return fieldStart >= 0
    ? { kind: 'inputField', path: path.slice(fieldStart), base: path.slice(0, fieldStart) }
    : { kind: 'input', path, base: [] };
}

function datasetKind(path: JsonPath): DefinitionPlace {
  return path[0] === 'views' && path.length > 2
    ? { kind: 'datasetView', path: path.slice(2), base: path.slice(0, 2) }
    : { kind: 'dataset', path, base: [] };
}
