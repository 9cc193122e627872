/**
 * Which folders are Actors: a folder holding `.actor/actor.json`, or a legacy `apify.json`
 * (docs/file-formats.md#lookup-order). Found below workspace roots (a few levels deep, for monorepos) and above a
 * file (the Actor it belongs to).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { actorJsonPath, diskFileSource, legacyApifyJsonPath } from '../validator/files';
import type { FileSource } from '../validator/types';

/** How many folder levels below a workspace root are searched. */
export const DEFAULT_MAX_DEPTH = 4;

/** Folders never searched besides hidden ones: dependencies (npm, Python) and local storages. */
const SKIPPED_FOLDERS = new Set(['node_modules', 'storage', 'venv', '__pycache__']);

export function isActorRoot(folder: string, source: FileSource = diskFileSource): boolean {
  return source.exists(actorJsonPath(folder)) || source.exists(legacyApifyJsonPath(folder));
}

/** The Actor a file or folder belongs to: the nearest Actor folder at or above it (the innermost, for nested Actors). */
export function findActorRoot(filePath: string, source: FileSource = diskFileSource): string | undefined {
  let folder = source.isDirectory(filePath) ? filePath : path.dirname(filePath);
  for (;;) {
    if (isActorRoot(folder, source)) return folder;
    const parent = path.dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
}

/**
 * Every Actor folder at or below the given roots, at most `maxDepth` levels down, sorted and without duplicates
 * (overlapping roots of a multi-root workspace). Hidden folders (`.git`, `.greenroom`, `.venv`…) are skipped, but an
 * Actor's own `.actor/` is how it is recognised, not searched.
 */
export function findActorRoots(roots: readonly string[], maxDepth = DEFAULT_MAX_DEPTH): string[] {
  const found = new Set<string>();
  const visit = (folder: string, depth: number): void => {
    if (isActorRoot(folder)) found.add(folder);
    if (depth === maxDepth) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && !SKIPPED_FOLDERS.has(entry.name)) visit(path.join(folder, entry.name), depth + 1);
    }
  };
  for (const root of roots) visit(path.resolve(root), 0);
  return [...found].sort();
}
