import * as path from 'node:path';
import { findNodeAtLocation, Node } from 'jsonc-parser';
import { DefinitionDocument } from './documentContext';
import { ACTOR_PATH_KEYS } from './completion';

export interface PathLink {
  /** Offsets of the string's contents, without its quotes. */
  start: number;
  end: number;
  /** Absolute path the value resolves to (relative to `.actor/`). */
  target: string;
}

/** Every string in actor.json that names a file or folder, resolved against `.actor/`. */
export function pathLinks(doc: DefinitionDocument): PathLink[] {
  if (doc.role !== 'actor' || !doc.tree) return [];
  const actorDir = path.dirname(doc.filePath);
  const candidates: Node[] = [];
  const add = (node: Node | undefined) => {
    if (node?.type === 'string' && typeof node.value === 'string' && node.value.length > 0) candidates.push(node);
  };
  for (const key of Object.keys(ACTOR_PATH_KEYS)) add(findNodeAtLocation(doc.tree, [key]));
  add(findNodeAtLocation(doc.tree, ['storages', 'dataset']));
  add(findNodeAtLocation(doc.tree, ['storages', 'keyValueStore']));
  for (const alias of findNodeAtLocation(doc.tree, ['storages', 'datasets'])?.children ?? []) add(alias.children?.[1]);
  return candidates.map((node) => ({
    start: node.offset + 1,
    end: node.offset + node.length - 1,
    target: path.resolve(actorDir, node.value as string),
  }));
}

/** The file a path string at `offset` names (go to definition). */
export function pathTargetAt(doc: DefinitionDocument, offset: number): PathLink | undefined {
  return pathLinks(doc).find((link) => link.start <= offset && offset <= link.end);
}
