/** An Actor of the workspace as everything else names it: its folder, its name, which definition file it has. */
import * as path from 'node:path';
import { actorJsonPath, diskFileSource, legacyApifyJsonPath } from '../validator/files';
import type { FileSource } from '../validator/types';

export interface WorkspaceActor {
  /** The Actor's folder (holding `.actor/actor.json` or `apify.json`). */
  readonly root: string;
  /** actor.json `name` (apify.json's for a legacy Actor), else the folder name. */
  readonly name: string;
  /** `.actor/actor.json`, or the legacy `apify.json`. */
  readonly definitionFile: string;
  readonly legacy: boolean;
}

export function describeActor(root: string, source: FileSource = diskFileSource): WorkspaceActor {
  const legacy = !source.exists(actorJsonPath(root));
  const definitionFile = legacy ? legacyApifyJsonPath(root) : actorJsonPath(root);
  return { root, name: declaredName(definitionFile, source) ?? path.basename(root), definitionFile, legacy };
}

function declaredName(definitionFile: string, source: FileSource): string | undefined {
  const text = source.readFile(definitionFile);
  if (text === undefined) return undefined;
  try {
    const name = (JSON.parse(text) as { name?: unknown } | null)?.name;
    return typeof name === 'string' && name.trim() ? name : undefined;
  } catch {
    // A broken definition file (the validator reports it): the folder name is the best name left.
    return undefined;
  }
}
